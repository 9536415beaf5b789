import OptionsSchema
import Synchronization

/// The outcome of a lint run.
public struct LintReport: Sendable {
    /// Every problem, in a stable order (by file, then position).
    public var diagnostics: [Diagnostic]
    /// How many schemas were read.
    public var schemaCount: Int
    /// How many values files were read.
    public var valuesFileCount: Int
    /// The schemas that were loaded, for stages that follow linting.
    public var schemas: SchemaSet
    /// The parsed values files of every namespace that has a values directory, each list in path order, when the
    /// linter was asked to keep them (`Linter.retainsValues`); files without an `options` mapping are left out.
    public var values: [String: [LoadedValuesFile]] = [:]

    /// The number of errors.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// The number of warnings.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// The same report with every warning turned into an error (`--strict`), except the advice of
    /// `DeadConfiguration`, which stays a warning.
    public func strict() -> LintReport {
        var copy = self
        for index in copy.diagnostics.indices where !DeadConfiguration.codes.contains(copy.diagnostics[index].code) {
            copy.diagnostics[index].severity = .error
        }
        return copy
    }
}

/// Checks a whole tree, or the namespaces a change touches: every schema, every values file, every rule of
/// reference §2, reporting every problem at once.
///
/// ```swift
/// let report = try await Linter(source: WorktreeSource(root: ".")).lint()
/// for diagnostic in report.diagnostics { print(diagnostic.message) }
/// ```
public struct Linter: Sendable {
    /// The tree to read.
    public let source: any TreeSource
    /// Where schemas and values are.
    public let layout: TreeLayout
    /// Whether a missing values directory is an error (`SourceError`) rather than an empty tree.
    public var requiresValuesDirectory: Bool
    /// Whether the values directory is read at all; `false` checks the schemas only (`validate-schema`).
    public var readsValues = true
    /// Whether the report keeps the parsed values files (`LintReport.values`), so merging needs no second read.
    public var retainsValues: Bool
    /// What was already linted in another tree: a namespace, schema or values file with the same content ids there
    /// (the same git objects) is taken from it instead of being read and checked again.
    public var cache: LintCache?

    /// Creates a linter.
    public init(
        source: any TreeSource, layout: TreeLayout = TreeLayout(), requiresValuesDirectory: Bool = false,
        retainsValues: Bool = false
    ) {
        self.source = source
        self.layout = layout
        self.requiresValuesDirectory = requiresValuesDirectory
        self.retainsValues = retainsValues
    }

    /// Lints the tree.
    ///
    /// Each namespace is one unit of work, run on all cores: its schema, its values files, their checks.
    /// - Parameter namespaces: only these namespaces (their schemas and values); all when `nil`.
    /// - Throws: `SourceError` when the schemas or values directory cannot be read at all.
    public func lint(namespaces: Set<String>? = nil) async throws(SourceError) -> LintReport {
        var timer = PhaseTimer()
        let loader = SchemaLoader(source: source, layout: layout)
        let walker = ValuesWalker(source: source, layout: layout)
        var diagnostics: [Diagnostic] = []

        let schemaListing = try loader.namespaceListing()
        var schemaNames = Set(schemaListing.names)
        diagnostics += schemaListing.diagnostics.filter { diagnostic in
            namespaces.map { names in names.contains { diagnostic.file?.hasSuffix("/" + $0) == true } } ?? true
        }
        var valueNames: Set<String> = []
        if readsValues && (source.kind(of: layout.valuesDirectory) != nil || requiresValuesDirectory) {
            if let namespaces {
                _ = try source.entries(of: layout.valuesDirectory)
                for namespace in namespaces.sorted() {
                    let path = joinPath(layout.valuesDirectory, namespace)
                    switch source.kind(of: path) {
                    case .directory?: valueNames.insert(namespace)
                    case .other?:
                        // A link (kinds never follow links) or a special file: skipped, as in a whole-tree run.
                        diagnostics.append(
                            Diagnostic(
                                .warning, .ignoredFile,
                                "symbolic link or special file ignored: values are not read through links",
                                file: source.displayPath(path)))
                    default: break
                    }
                }
            } else {
                let top = try walker.topLevel()
                valueNames = Set(top.namespaces)
                diagnostics += top.diagnostics
            }
        }
        if let namespaces { schemaNames.formIntersection(namespaces) }
        let names = schemaNames.union(valueNames).sorted()
        timer.mark("list")

        let results = await concurrentMap(names) {
            [self, schemaNames, valueNames] namespace -> Result<NamespaceResult, SourceError> in
            let hasSchema = schemaNames.contains(namespace)
            let hasValues = valueNames.contains(namespace)
            let key = cache != nil ? cacheKey(namespace, hasSchema: hasSchema, hasValues: hasValues) : nil
            return LintCache.Table.value(in: cache?.namespaces, for: key, keeping: { (try? $0.get()) != nil }) {
                lintNamespace(namespace, hasSchema: hasSchema, hasValues: hasValues, loader: loader, walker: walker)
            }
        }
        timer.mark("namespaces")

        var schemas = SchemaSet()
        var files: [ValuesFile] = []
        var checked: [CheckedValuesFile] = []
        var values: [String: [LoadedValuesFile]] = [:]
        for (namespace, result) in zip(names, results) {
            var unit = try result.get()
            if retainsValues && valueNames.contains(namespace) {
                values[namespace] = unit.checked.compactMap { checkedFile in
                    checkedFile.options.map {
                        LoadedValuesFile(
                            file: checkedFile.file, displayPath: source.displayPath(checkedFile.file.path), options: $0)
                    }
                }
                for index in unit.checked.indices { unit.checked[index].options = nil }
            }
            if let schema = unit.schema {
                schemas.schemas[namespace] = schema
            } else if schemaNames.contains(namespace) {
                schemas.invalidNamespaces.insert(namespace)
            }
            diagnostics += unit.diagnostics
            files += unit.files
            checked += unit.checked
        }
        diagnostics += crossFileDiagnostics(checked, allFiles: files)
        diagnostics.sort(by: Diagnostic.precedes)
        timer.mark("cross-file rules")
        return LintReport(
            diagnostics: diagnostics, schemaCount: schemaNames.count, valuesFileCount: files.count, schemas: schemas,
            values: values)
    }

    /// What identifies a namespace's content for `cache`: the content ids of its schema and values directories
    /// (and how its paths are shown, which the diagnostics carry); `nil` when the source has no ids.
    func cacheKey(_ namespace: String, hasSchema: Bool, hasValues: Bool) -> String? {
        var key = source.displayPath("") + "\u{0}" + namespace + "\u{0}" + String(retainsValues)
        for (present, directory) in [(hasSchema, layout.schemasDirectory), (hasValues, layout.valuesDirectory)] {
            guard present else {
                key += "\u{0}-"
                continue
            }
            guard let id = source.contentID(of: joinPath(directory, namespace)) else { return nil }
            key += "\u{0}" + id
        }
        return key
    }

    /// What linting one namespace found.
    struct NamespaceResult: Sendable {
        var schema: NamespaceSchema?
        var diagnostics: [Diagnostic] = []
        var files: [ValuesFile] = []
        var checked: [CheckedValuesFile] = []
    }

    /// Loads one namespace's schema, walks its values directory and checks every file in it.
    func lintNamespace(
        _ namespace: String, hasSchema: Bool, hasValues: Bool, loader: SchemaLoader, walker: ValuesWalker
    ) -> Result<NamespaceResult, SourceError> {
        var result = NamespaceResult()
        // The schema's part of every cache key below: its content id, "-" for none; nil when unknown (no caching).
        var schemaID: String? = "-"
        if hasSchema {
            let schemaPath = joinPath(joinPath(layout.schemasDirectory, namespace), TreeLayout.schemaFileName)
            schemaID = cache == nil ? nil : source.contentID(of: schemaPath)
            let key = schemaID.map { source.displayPath(schemaPath) + "\u{0}" + $0 }
            let loaded = LintCache.Table.value(in: cache?.schemas, for: key) { loader.load(namespace: namespace) }
            result.schema = loaded.schema
            result.diagnostics = loaded.diagnostics
        }
        guard hasValues else { return .success(result) }
        do throws(SourceError) {
            let walked = try walker.walk(namespace: namespace)
            result.files = walked.files
            result.diagnostics += walked.diagnostics
            let checker = ValuesChecker(schema: result.schema)
            var filesPerTarget: [String: Int] = [:]
            for file in walked.files { filesPerTarget[file.target, default: 0] += 1 }
            for file in walked.files {
                let display = source.displayPath(file.path)
                if let problem = KubernetesName.problem(with: file.target, label: "target name") {
                    result.diagnostics.append(Diagnostic(.error, .invalidName, problem, file: display))
                    continue
                }
                if !hasSchema {
                    result.diagnostics.append(
                        Diagnostic(
                            .error, .unknownNamespace,
                            "Unknown namespace '\(namespace)' in file \(display). No schema found for this namespace.",
                            file: display))
                }
                let collectsKeys = filesPerTarget[file.target, default: 0] > 1
                let key =
                    cache == nil
                    ? nil
                    : schemaID.flatMap { schemaID in
                        source.contentID(of: file.path).map {
                            [schemaID, $0, display, String(collectsKeys), String(retainsValues)].joined(
                                separator: "\u{0}")
                        }
                    }
                let checkedFile = try LintCache.Table.value(in: cache?.files, for: key) { () throws(SourceError) in
                    let bytes: [UInt8]
                    do throws(SourceError) {
                        bytes = try source.contents(of: file.path)
                    } catch  where error.isAboutTheFile {
                        // One bad file (a link, a FIFO, a file over the size limit) is an error of its own, not
                        // the end of the run.
                        return CheckedValuesFile(
                            file: file, keys: [],
                            diagnostics: [Diagnostic(.error, .unreadableFile, error.description, file: display)])
                    }
                    return checker.check(
                        bytes, file: file, displayPath: display, collectsKeys: collectsKeys,
                        retainsOptions: retainsValues)
                }
                result.diagnostics += Self.capped(checkedFile.diagnostics, file: display)
                result.checked.append(checkedFile)
            }
        } catch {
            return .failure(error)
        }
        return .success(result)
    }

    /// The most diagnostics reported for one file: a hostile file with a million unknown keys must not make a
    /// million diagnostics (and a SARIF document of gigabytes).
    public static let diagnosticsPerFile = 1000

    /// `diagnostics` cut to `diagnosticsPerFile`, with one more that counts what was left out: an error when an
    /// error was, so the exit code stays what it should be.
    static func capped(_ diagnostics: [Diagnostic], file: String) -> [Diagnostic] {
        guard diagnostics.count > diagnosticsPerFile else { return diagnostics }
        let left = diagnostics[diagnosticsPerFile...]
        let errors = left.count { $0.severity == .error }
        var kept = Array(diagnostics.prefix(diagnosticsPerFile))
        kept.append(
            Diagnostic(
                errors > 0 ? .error : .warning, left.first?.code ?? .unknownOption,
                "\(left.count) more problems in this file are not shown (\(errors) errors, "
                    + "\(left.count - errors) warnings); fix the ones above first", file: file))
        return kept
    }

    /// Rules across files (§2.5): no option twice in one target, a `default` target in every namespace.
    func crossFileDiagnostics(_ checked: [CheckedValuesFile], allFiles: [ValuesFile]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        struct Seen {
            var file: String
            var position: SourcePosition
        }
        // Only targets with several files can repeat a key across files.
        var groups: [String: [Int]] = [:]
        for (index, file) in checked.enumerated() {
            groups[file.file.namespace + "/" + file.file.target, default: []].append(index)
        }
        for indices in groups.values where indices.count > 1 {
            var seen: [String: Seen] = [:]
            for index in indices.sorted() {
                let file = checked[index]
                let display = source.displayPath(file.file.path)
                for (key, position) in file.keys {
                    if let first = seen[key] {
                        diagnostics.append(
                            Diagnostic(
                                .error, .duplicateOption,
                                "Duplicate key '\(key)' found in \(first.file) and \(display)",
                                file: display, at: position,
                                notes: [
                                    Diagnostic.Note("'\(key)' is first set here", file: first.file, at: first.position)
                                ]))
                    } else {
                        seen[key] = Seen(file: display, position: position)
                    }
                }
            }
        }
        var targets: [String: Set<String>] = [:]
        for file in allFiles { targets[file.namespace, default: []].insert(file.target) }
        for (namespace, names) in targets where !names.contains(TreeLayout.defaultTarget) {
            diagnostics.append(
                Diagnostic(
                    .error, .missingDefaultTarget, "Namespace '\(namespace)' is missing required 'default' target",
                    file: source.displayPath(joinPath(layout.valuesDirectory, namespace))))
        }
        return diagnostics
    }
}

/// What was linted in one tree, reused when linting another tree where it is the same git objects — the two
/// sides of a `diff` share most files: whole namespaces (same schema and values directories), schemas (same
/// `schema.json`) and values files (same file checked against the same schema).
public final class LintCache: Sendable {
    let namespaces = Table<Result<Linter.NamespaceResult, SourceError>>()
    let schemas = Table<SchemaLoader.Loaded>()
    let files = Table<CheckedValuesFile>()

    /// An empty cache.
    public init() {}

    /// One kind of entry, by content key.
    final class Table<Value: Sendable>: Sendable {
        private let entries = Mutex<[String: Value]>([:])

        /// The entry for `key` in `table`, else what `make` returns, kept when `keeps` accepts it; without a table
        /// or a key (content unknown), just what `make` returns.
        static func value<Failure: Error>(
            in table: Table?, for key: String?, keeping keeps: (Value) -> Bool = { _ in true },
            _ make: () throws(Failure) -> Value
        ) throws(Failure) -> Value {
            guard let table, let key else { return try make() }
            if let cached = table.entries.withLock({ $0[key] }) { return cached }
            let value = try make()
            if keeps(value) { table.entries.withLock { $0[key] = value } }
            return value
        }

        /// Runs `body` on the entries (for tests).
        func withLock<Result: Sendable>(_ body: (inout [String: Value]) -> Result) -> Result {
            entries.withLock { body(&$0) }
        }
    }
}
