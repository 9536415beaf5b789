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
    public var description: String {
        get { descriptionText.string }
        set { descriptionText = DeferredText(newValue) }
    }
    /// Where the option's key is in `schema.json`.
    public var position: SourcePosition
    /// The description, decoded from `schema.json` only when read: nothing in optionsctl or the `Reader` reads it,
    /// and making 500 strings a schema was a large share of reading one.
    var descriptionText: DeferredText

    /// Creates an option.
    public init(key: String, type: OptionType, defaultValue: Node, description: String, position: SourcePosition) {
        self.init(
            key: key, type: type, defaultValue: defaultValue, descriptionText: DeferredText(description),
            position: position)
    }

    init(key: String, type: OptionType, defaultValue: Node, descriptionText: DeferredText, position: SourcePosition) {
        self.key = key
        self.type = type
        self.defaultValue = defaultValue
        self.descriptionText = descriptionText
        self.position = position
    }
}

/// A string that is either made already or still a range of a JSON document's bytes, decoded when read.
///
/// The document's bytes stay alive as long as the text does (one shared buffer per `schema.json`, not a copy).
struct DeferredText: Sendable {
    enum Storage: Sendable {
        case string(String)
        /// A JSON string's content in `bytes` (escapes not yet decoded when `hasEscapes`).
        case slice(bytes: [UInt8], start: Int32, length: Int32, hasEscapes: Bool)
    }

    var storage: Storage

    init(_ string: String) { storage = .string(string) }

    init(bytes: [UInt8], start: Int32, length: Int32, hasEscapes: Bool) {
        storage = .slice(bytes: bytes, start: start, length: length, hasEscapes: hasEscapes)
    }

    var string: String {
        switch storage {
        case .string(let string): return string
        case .slice(let bytes, let start, let length, let hasEscapes):
            return JSONTape.text(of: bytes, Int(start)..<Int(start) + Int(length), hasEscapes: hasEscapes)
        }
    }
}
