/// Where schemas and values live in a tree.
public struct TreeLayout: Sendable, Hashable {
    /// The schemas directory: `<schemas>/<namespace>/schema.json`.
    public var schemasDirectory: String
    /// The values directory: `<values>/<namespace>/<target>/*.yaml`.
    public var valuesDirectory: String

    /// The sentry-options automator layout: `schemas/` and `option-values/`.
    public init(schemasDirectory: String = "schemas", valuesDirectory: String = "option-values") {
        self.schemasDirectory = schemasDirectory
        self.valuesDirectory = valuesDirectory
    }

    /// The namespaces a set of changed paths (relative to the root) touches: `<schemas>/<ns>/…` and
    /// `<values>/<ns>/…`. Files directly in either directory belong to no namespace.
    public func namespaces(touchedBy paths: [String]) -> Set<String> {
        var names: Set<String> = []
        for path in paths {
            for directory in [schemasDirectory, valuesDirectory] {
                let prefix = directory.isEmpty ? "" : directory + "/"
                guard path.hasPrefix(prefix) else { continue }
                let rest = path.dropFirst(prefix.count)
                if let slash = rest.firstIndex(of: "/") { names.insert(String(rest[..<slash])) }
            }
        }
        return names
    }

    /// The name of the target every namespace needs.
    public static let defaultTarget = "default"
    /// The schema file name inside a namespace directory.
    public static let schemaFileName = "schema.json"
}
