/// The namespaces and targets of a tree, from its directory listings alone (no file is read): what commands
/// check `--namespace` and `--target` against before they load anything.
///
/// ```swift
/// let inventory = TreeInventory(source: WorktreeSource(root: "."))
/// inventory.targets["seer"]   // ["de", "default", "s4s", "us"]
/// ```
public struct TreeInventory: Sendable, Equatable {
    /// The namespaces with a directory under the schemas directory.
    public var schemaNamespaces: Set<String>
    /// Every namespace with a directory under the values directory → the target directories it has.
    public var targets: [String: Set<String>]

    /// Lists `source` laid out as `layout`. Unreadable or missing directories count as empty, and symbolic links
    /// are not entered (the linter reports them).
    public init(source: any TreeSource, layout: TreeLayout = TreeLayout()) {
        func directories(_ path: String) -> [String] {
            guard let entries = try? source.entries(of: path) else { return [] }
            return entries.filter { $0.kind == .directory && !$0.isSymbolicLink }.map(\.name)
        }
        schemaNamespaces = Set(directories(layout.schemasDirectory))
        var targets: [String: Set<String>] = [:]
        for namespace in directories(layout.valuesDirectory) {
            targets[namespace] = Set(directories(joinPath(layout.valuesDirectory, namespace)))
        }
        self.targets = targets
    }

    /// Creates an inventory from its parts.
    public init(schemaNamespaces: Set<String>, targets: [String: Set<String>]) {
        self.schemaNamespaces = schemaNamespaces
        self.targets = targets
    }

    /// Both trees' namespaces and targets (the two sides of a diff).
    public func merging(_ other: TreeInventory) -> TreeInventory {
        TreeInventory(
            schemaNamespaces: schemaNamespaces.union(other.schemaNamespaces),
            targets: targets.merging(other.targets) { $0.union($1) })
    }

    /// Every namespace, with a schema or values or both → its targets (none for a schema-only namespace).
    public var namespaces: [String: Set<String>] {
        var all = targets
        for namespace in schemaNamespaces where all[namespace] == nil { all[namespace] = [] }
        return all
    }
}
