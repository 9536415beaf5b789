public import OptionsSchema

/// The schemas of a tree: the usable ones, the ones that exist but are broken, and every problem found.
public struct SchemaSet: Sendable {
    /// Valid schemas by namespace.
    public var schemas: [String: NamespaceSchema] = [:]
    /// Namespaces that have a schema directory whose schema has errors.
    public var invalidNamespaces: Set<String> = []
    /// Problems found while loading.
    public var diagnostics: [Diagnostic] = []

    /// Creates an empty set.
    public init() {}
}

/// Loads `<schemas>/<namespace>/schema.json` files: directory rules (§2.6), JSON, the schema language (§2.7–2.8).
public struct SchemaLoader: Sendable {
    /// The tree to read.
    public let source: any TreeSource
    /// Where the schemas are.
    public let layout: TreeLayout

    /// Creates a loader.
    public init(source: any TreeSource, layout: TreeLayout = TreeLayout()) {
        self.source = source
        self.layout = layout
    }

    /// The namespace directories of the schemas directory, sorted; plain files are skipped, as in the reference.
    /// - Throws: `SourceError` when the schemas directory cannot be listed.
    public func namespaceNames() throws(SourceError) -> [String] {
        try namespaceListing().names
    }

    /// The namespace directories of the schemas directory, sorted, and a warning for each entry skipped that is
    /// neither a directory nor a plain file (a symbolic link, a FIFO): nothing in the tree is read through a link.
    /// - Throws: `SourceError` when the schemas directory cannot be listed.
    public func namespaceListing() throws(SourceError) -> (names: [String], diagnostics: [Diagnostic]) {
        let entries = try source.entries(of: layout.schemasDirectory)
        let skipped = entries.filter { $0.isSymbolicLink || $0.kind == .other }.map { entry in
            Diagnostic(
                .warning, .ignoredFile,
                entry.isSymbolicLink
                    ? "symbolic link ignored: schemas are not read through links"
                    : entry.ignoredReason,
                file: source.displayPath(joinPath(layout.schemasDirectory, entry.name)))
        }
        return (entries.filter { $0.kind == .directory && !$0.isSymbolicLink }.map(\.name), skipped)
    }

    /// A schema as loaded: `schema` is `nil` when it has errors.
    public typealias Loaded = (schema: NamespaceSchema?, diagnostics: [Diagnostic])

    /// Loads one namespace's schema; the result's `schema` is `nil` when it has errors.
    public func load(namespace: String) -> Loaded {
        let directory = joinPath(layout.schemasDirectory, namespace)
        if let problem = KubernetesName.problem(with: namespace, label: "namespace name") {
            return (nil, [Diagnostic(.error, .invalidName, problem, file: source.displayPath(directory))])
        }
        let path = joinPath(directory, TreeLayout.schemaFileName)
        let file = source.displayPath(path)
        let bytes: [UInt8]
        do {
            bytes = try source.contents(of: path)
        } catch {
            let message: String
            if case .notFound = error {
                message = "Failed to read file: namespace directory '\(namespace)' has no \(TreeLayout.schemaFileName)"
            } else {
                message = "Failed to read file: \(error)"
            }
            return (nil, [Diagnostic(.error, .missingSchema, message, file: file)])
        }
        let result: SchemaParseResult
        do {
            result = try SchemaParser.parse(json: bytes, namespace: namespace)
        } catch {
            return (
                nil,
                [
                    Diagnostic(
                        .error, .jsonSyntax, "Failed to parse JSON: \(error.message)", file: file, at: error.position)
                ]
            )
        }
        return (result.schema, result.issues.map { Diagnostic($0, file: file) })
    }
}
