/// The schema of one namespace: its options with types and defaults, and its feature flags.
public struct NamespaceSchema: Sendable {
    /// The namespace name (the schema's directory name).
    public var name: String
    /// The schema's `version` string.
    public var version: String
    /// Regular options in document order, with lookup by key.
    public var options: OptionTable
    /// Feature-flag keys (`feature.<name>`) with the position of their key in `schema.json`.
    public var featureFlags: [String: SourcePosition]

    /// Creates a schema.
    public init(
        name: String, version: String, options: OptionTable, featureFlags: [String: SourcePosition] = [:]
    ) {
        self.name = name
        self.version = version
        self.options = options
        self.featureFlags = featureFlags
    }

    /// Whether `key` is a declared option or feature flag.
    public func declares(_ key: String) -> Bool {
        options[key] != nil || featureFlags[key] != nil
    }

    /// Every declared key, options and feature flags, sorted.
    public var allKeys: [String] {
        (options.keys + Array(featureFlags.keys)).sorted()
    }
}

/// One regular option of a namespace schema.
public struct OptionSchema: Sendable {
    /// The option key.
    public var key: String
    /// The declared type.
    public var type: OptionType
    /// The schema default, used when no values file sets the option.
    public var defaultValue: Node
    /// The description.
    public var description: String
    /// Where the option's key is in `schema.json`.
    public var position: SourcePosition

    /// Creates an option.
    public init(key: String, type: OptionType, defaultValue: Node, description: String, position: SourcePosition) {
        self.key = key
        self.type = type
        self.defaultValue = defaultValue
        self.description = description
        self.position = position
    }
}
