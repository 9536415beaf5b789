import OptionsSchema

/// The outcome of a lint run.
public struct LintReport: Sendable {
    /// Every problem, in a stable order (by file, then position).
    public var diagnostics: [Diagnostic]
    /// How many schemas were read.
    public var schemaCount: Int
    /// How many values files were read.
    public var valuesFileCount: Int

    /// The number of errors.
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// The number of warnings.
    public var warningCount: Int { diagnostics.count { $0.severity == .warning } }

    /// The same report with every warning turned into an error (`--strict`).
    public func strict() -> LintReport {
        var copy = self
        for index in copy.diagnostics.indices { copy.diagnostics[index].severity = .error }
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

    /// Creates a linter.
    public init(source: any TreeSource, layout: TreeLayout = TreeLayout(), requiresValuesDirectory: Bool = false) {
        self.source = source
        self.layout = layout
        self.requiresValuesDirectory = requiresValuesDirectory
    }

    /// Lints the tree.
    /// - Parameter namespaces: only these namespaces (their schemas and values); all when `nil`.
    /// - Throws: `SourceError` when the schemas or values directory cannot be read at all.
    public func lint(namespaces: Set<String>? = nil) async throws(SourceError) -> LintReport {
        let names = namespaces.map { Array($0).sorted() }
        if source.kind(of: layout.schemasDirectory) != .directory {
            _ = try source.entries(of: layout.schemasDirectory)
        }
        let schemas = try await SchemaLoader(source: source, layout: layout).load(namespaces: names)
        var diagnostics = schemas.diagnostics
        var files: [ValuesFile] = []
        if source.kind(of: layout.valuesDirectory) != nil || requiresValuesDirectory {
            let walked = try ValuesWalker(source: source, layout: layout).walk(namespaces: names)
            files = walked.files
            diagnostics += walked.diagnostics
        }

        // Files whose namespace and target names are acceptable are read and checked in parallel.
        var checkable: [ValuesFile] = []
        for file in files {
            let display = source.displayPath(file.path)
            if let problem = KubernetesName.problem(with: file.target, label: "target name") {
                diagnostics.append(Diagnostic(.error, .invalidName, problem, file: display))
                continue
            }
            if !schemas.hasSchema(for: file.namespace) {
                diagnostics.append(
                    Diagnostic(
                        .error, .unknownNamespace,
                        "Unknown namespace '\(file.namespace)' in file \(display). No schema found for this namespace.",
                        file: display))
            }
            checkable.append(file)
        }
        let checkers = Dictionary(
            uniqueKeysWithValues: Set(checkable.map(\.namespace)).map {
                ($0, ValuesChecker(schema: schemas.schemas[$0]))
            })
        let source = self.source
        let results = await concurrentMap(checkable) { file -> Result<CheckedValuesFile, SourceError> in
            do throws(SourceError) {
                let bytes = try source.contents(of: file.path)
                let checker = checkers[file.namespace] ?? ValuesChecker(schema: nil)
                return .success(checker.check(bytes, file: file, displayPath: source.displayPath(file.path)))
            } catch {
                return .failure(error)
            }
        }
        var checked: [CheckedValuesFile] = []
        for result in results {
            switch result {
            case .success(let file):
                checked.append(file)
                diagnostics += file.diagnostics
            case .failure(let error): throw error
            }
        }
        diagnostics += crossFileDiagnostics(checked, allFiles: files)
        diagnostics.sort(by: Diagnostic.precedes)
        return LintReport(
            diagnostics: diagnostics, schemaCount: schemas.schemas.count + schemas.invalidNamespaces.count,
            valuesFileCount: files.count)
    }

    /// Rules across files (§2.5): no option twice in one target, a `default` target in every namespace.
    func crossFileDiagnostics(_ checked: [CheckedValuesFile], allFiles: [ValuesFile]) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        struct Seen {
            var file: String
            var position: SourcePosition
        }
        var seen: [String: [String: Seen]] = [:]  // "namespace/target" → key → first place
        for file in checked {
            let group = file.file.namespace + "/" + file.file.target
            let display = source.displayPath(file.file.path)
            for (key, position) in file.keys {
                if let first = seen[group]?[key] {
                    diagnostics.append(
                        Diagnostic(
                            .error, .duplicateOption, "Duplicate key '\(key)' found in \(first.file) and \(display)",
                            file: display, at: position,
                            notes: [Diagnostic.Note("'\(key)' is first set here", file: first.file, at: first.position)]
                        ))
                } else {
                    seen[group, default: [:]][key] = Seen(file: display, position: position)
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
