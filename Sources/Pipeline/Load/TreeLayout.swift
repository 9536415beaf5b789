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

    /// The name of the target every namespace needs.
    public static let defaultTarget = "default"
    /// The schema file name inside a namespace directory.
    public static let schemaFileName = "schema.json"
}
