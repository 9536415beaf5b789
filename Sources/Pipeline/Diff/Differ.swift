public import OptionsSchema

extension IssueCode {
    /// A schema change that would break services (reference §4.1).
    public static let forbiddenSchemaChange = IssueCode(rawValue: "forbidden-schema-change")
    /// An option removed from its schema still has values.
    public static let removedOptionInUse = IssueCode(rawValue: "removed-option-in-use")
}

/// Everything `diff` reports about a change: the head side's problems, schema changes and effective values.
public struct DiffReport: Sendable {
    /// The namespaces compared, sorted.
    public var namespaces: [String]
    /// Problems of the head side (as `lint` reports them), then forbidden schema changes and removed options still
    /// in use, each at its place.
    public var diagnostics: [Diagnostic]
    /// Every schema change, allowed or not, in the reference's order.
    public var schemaChanges: [SchemaChange]
    /// Per namespace and target (sorted), the targets whose effective values differ.
    public var targets: [TargetDiff]

    /// The number of errors (head problems and forbidden schema changes).
    public var errorCount: Int { diagnostics.count { $0.severity == .error } }
    /// Whether anything differs: a schema or an effective value.
    public var hasChanges: Bool { !schemaChanges.isEmpty || !targets.isEmpty }
}

/// Compares two trees of the same layout (two revisions, or a revision and the working tree), namespace by
/// namespace: the head is linted, both sides are merged by target, and schema changes are judged (reference §4).
///
/// ```swift
/// let report = try await Differ(base: old, head: new).diff(namespaces: ["seer"])
/// report.targets.map(\.target)   // ["default", "de", "us"]
/// ```
public struct Differ: Sendable {
    /// The tree before the change.
    public let base: any TreeSource
    /// The tree after the change.
    public let head: any TreeSource
    /// Where schemas and values are, on both sides.
    public let layout: TreeLayout
    /// Forbidden schema changes to let through, by `SchemaChange.overrideName` (`seer:key`, or `seer` for a
    /// namespace change): each is still listed, marked as allowed, and is not an error.
    public var allowedForbidden: Set<String> = []
    /// Whether values are read on both sides; `false` compares schemas only (a service repository's check).
    public var readsValues = true
    /// Whether remedies name `--allow-forbidden` (surfaces without that flag turn it off).
    public var offersOverride = true

    /// Creates a differ.
    public init(base: any TreeSource, head: any TreeSource, layout: TreeLayout = TreeLayout()) {
        self.base = base
        self.head = head
        self.layout = layout
    }

    /// The namespaces a set of changed paths (relative to the root) touches: `<schemas>/<ns>/…` and
    /// `<values>/<ns>/…`.
    public func touchedNamespaces(_ paths: [String]) -> Set<String> {
        layout.namespaces(touchedBy: paths)
    }

    /// Compares `namespaces` (all of both trees when `nil`).
    /// - Parameters:
    ///   - repository: when given, head namespaces must be named `<repository>` or `<repository>-*`.
    ///   - changed: when known (from comparing the trees), the namespaces whose files differ: every namespace in
    ///     `namespaces` is still read and checked on both sides, but only these are compared, since a namespace
    ///     whose files are the same on both sides cannot differ.
    /// - Throws: `SourceError` when either tree cannot be read at all.
    ///   - changedSchemas: when known, the namespaces whose schema directory differs; the others are not judged
    ///     by the schema evolution rules, and only the keys their files set are compared.
    ///   - cache: where what is linted on both sides is kept (when both are revisions); a new one when `nil`. A
    ///     caller can reuse one across diffs of the same repository, or keep it alive to the end of a command that
    ///     exits next: freeing a whole tree's parsed files takes about 0.1 s on the large corpus.
    public func diff(
        namespaces: Set<String>? = nil, repository: String? = nil, changed: Set<String>? = nil,
        changedSchemas: Set<String>? = nil, cache: LintCache? = nil
    ) async throws(SourceError) -> DiffReport {
        var timer = PhaseTimer()
        let (base, head, layout) = (base, head, layout)
        let headReport: LintReport
        let baseReport: LintReport
        if head.contentID(of: layout.schemasDirectory) != nil && base.contentID(of: layout.schemasDirectory) != nil {
            // Two revisions: most files are the same git objects on both sides. The head first, on all cores; the
            // base then takes each unchanged namespace, schema and values file from it instead of reading and
            // checking it again.
            let cache = cache ?? LintCache()
            var headLinter = Linter(source: head, layout: layout, retainsValues: true)
            headLinter.readsValues = readsValues
            headLinter.cache = cache
            headReport = try await headLinter.lint(namespaces: namespaces)
            var baseLinter = Linter(source: base, layout: layout, retainsValues: true)
            baseLinter.readsValues = readsValues
            baseLinter.cache = cache
            baseReport = try await baseLinter.lint(namespaces: namespaces)
        } else {
            // The working tree has no content ids: both sides at once, as a change usually touches a namespace
            // or two, too few to fill the cores alone.
            async let baseLint = Self.lintResult(base, layout, namespaces, readsValues: readsValues)
            var headLinter = Linter(source: head, layout: layout, retainsValues: true)
            headLinter.readsValues = readsValues
            headReport = try await headLinter.lint(namespaces: namespaces)
            baseReport = try await baseLint.get()
        }
        timer.mark("lint both sides")
        // A schema that is broken on either side cannot be compared: its errors fail the run already, and it
        // must not read as a removed or added namespace. Its values are then compared as set, without defaults.
        let broken = baseReport.schemas.invalidNamespaces.union(headReport.schemas.invalidNamespaces)
        let baseSchemas = baseReport.schemas.schemas.filter { !broken.contains($0.key) }
        let headSchemas = headReport.schemas.schemas.filter { !broken.contains($0.key) }
        var diagnostics = headReport.diagnostics

        // Only namespaces whose schema (or, when that is not known, whose files) changed are judged.
        let judged = changedSchemas ?? changed
        func judgedOnly(_ schemas: [String: NamespaceSchema]) -> [String: NamespaceSchema] {
            judged.map { judged in schemas.filter { judged.contains($0.key) } } ?? schemas
        }
        var changes = SchemaEvolution.compare(
            base: judgedOnly(baseSchemas), head: judgedOnly(headSchemas), repository: repository)
        for index in changes.indices where changes[index].isForbidden {
            let change = changes[index]
            let remedy = remedy(for: change)
            changes[index].remedy = remedy
            if allowedForbidden.contains(change.overrideName) {
                changes[index].isAllowedByOverride = true
                continue
            }
            let file = schemaFile(change.namespace, inBase: change.isInBase)
            diagnostics.append(
                Diagnostic(
                    .error, .forbiddenSchemaChange, change.message + "; " + remedy, file: file, at: change.position))
        }
        // A removed option that files still set: one warning per place, naming every target that sets it. It
        // replaces the head lint's unknown-option warning at the same place, which says less.
        var explained: Set<String> = []
        for change in changes where change.kind == .optionRemoved {
            guard let key = change.key else { continue }
            let places = (headReport.values[change.namespace] ?? []).flatMap { file in
                file.options.filter { $0.key == key }.map { (file, $0.keyPosition) }
            }
            let targets = Set(places.map(\.0.file.target)).sorted()
            for (file, position) in places {
                explained.insert("\(file.displayPath):\(position)")
                diagnostics.append(
                    Diagnostic(
                        .warning, .removedOptionInUse,
                        "'\(key)' is still set here, but the head schema of '\(change.namespace)' no longer "
                            + "declares it (services ignore it; remove the value); set in "
                            + "\(targets.count == 1 ? "target" : "targets") \(targets.joined(separator: ", "))",
                        file: file.displayPath, at: position))
            }
        }
        diagnostics.removeAll { diagnostic in
            diagnostic.code == .unknownOption
                && explained.contains(
                    "\(diagnostic.file ?? ""):\(diagnostic.position.map(String.init(describing:)) ?? "")")
        }
        diagnostics.sort(by: Diagnostic.precedes)
        timer.mark("schema evolution")

        let names = Set(baseReport.values.keys).union(headReport.values.keys).union(baseSchemas.keys).union(
            headSchemas.keys
        ).sorted()
        let sides = names.filter { changed?.contains($0) ?? true }.map { namespace in
            (
                namespace,
                EffectiveDiff.Side(schema: baseSchemas[namespace], files: baseReport.values[namespace] ?? []),
                EffectiveDiff.Side(schema: headSchemas[namespace], files: headReport.values[namespace] ?? [])
            )
        }
        // Namespaces are independent: compare them on all cores.
        let targets = await concurrentMap(sides) { namespace, base, head in
            EffectiveDiff.compare(
                namespace: namespace, base: base, head: head,
                schemaUnchanged: changedSchemas.map { !$0.contains(namespace) } ?? false)
        }.flatMap { $0 }
        timer.mark("compare values")
        return DiffReport(namespaces: names, diagnostics: diagnostics, schemaChanges: changes, targets: targets)
    }

    /// The way forward for a forbidden change, with the `--allow-forbidden` escape for a deliberate one.
    func remedy(for change: SchemaChange) -> String {
        let values =
            readsValues
            ? "'\(joinPath(joinPath(layout.valuesDirectory, change.namespace), TreeLayout.defaultTarget))/'"
            : "the values repository's 'option-values/\(change.namespace)/\(TreeLayout.defaultTarget)/'"
        let escape =
            offersOverride
            ? "or, if every service reading it is ready, pass --allow-forbidden \(change.overrideName)" : nil
        func with(_ advice: String) -> String { escape.map { "\(advice) (\($0))" } ?? advice }
        switch change.kind {
        case .defaultChanged:
            return with(
                "to change what services read, keep the schema default and set the new value in \(values) instead")
        case .typeChanged, .itemsTypeChanged, .shapeChanged, .itemShapeChanged, .dictValueTypeChanged:
            return with(
                "running services still read the old shape: add a new option with the new one, move values and "
                    + "readers to it, then remove this option")
        case .namespaceRemoved:
            return with(
                "services that load the namespace fail without its schema: stop reading it and remove its values first")
        case .namespaceName:
            return with("rename the namespace")
        default:
            return escape ?? "a deliberate change needs every service reading it to be ready"
        }
    }

    /// A lint that keeps its values, as a `Result` so it can run as an `async let`.
    static func lintResult(
        _ source: any TreeSource, _ layout: TreeLayout, _ namespaces: Set<String>?, readsValues: Bool
    ) async -> Result<LintReport, SourceError> {
        do throws(SourceError) {
            var linter = Linter(source: source, layout: layout, retainsValues: true)
            linter.readsValues = readsValues
            return .success(try await linter.lint(namespaces: namespaces))
        } catch {
            return .failure(error)
        }
    }

    /// The display path of a namespace's `schema.json` on one side.
    func schemaFile(_ namespace: String, inBase: Bool) -> String {
        let path = joinPath(joinPath(layout.schemasDirectory, namespace), TreeLayout.schemaFileName)
        return (inBase ? base : head).displayPath(path)
    }
}
