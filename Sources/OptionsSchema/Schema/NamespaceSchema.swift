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

/// A string that is either made already or still a range of JSON string content in a `TextStore`, decoded when
/// read.
struct DeferredText: Sendable {
    enum Storage: Sendable {
        case string(String)
        /// A JSON string's content in `store` (escapes not yet decoded when `hasEscapes`).
        case slice(store: TextStore, start: Int32, length: Int32, hasEscapes: Bool)
    }

    var storage: Storage

    init(_ string: String) { storage = .string(string) }

    init(store: TextStore, start: Int32, length: Int32, hasEscapes: Bool) {
        storage = .slice(store: store, start: start, length: length, hasEscapes: hasEscapes)
    }

    var string: String {
        switch storage {
        case .string(let string): return string
        case .slice(let store, let start, let length, let hasEscapes):
            return store.text(start: start, length: length, hasEscapes: hasEscapes)
        }
    }
}

/// The raw content of a document's deferred strings, one after another: what a parsed schema keeps of its
/// `schema.json` for descriptions, instead of the whole file (a third of a large store's memory, and as many page
/// faults while it was made).
///
/// Appended to only by the reader that makes it, before the schema it belongs to is shared; read-only after.
final class TextStore: @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    /// A store with room for `capacity` bytes before it grows.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Copies `content` (a JSON string's raw content) to the end; its range in the store.
    func append(_ content: UnsafeRawBufferPointer) -> (start: Int32, length: Int32) {
        if count + content.count > capacity { grow(toFit: count + content.count) }
        if let source = content.baseAddress {
            (base + count).initialize(from: source.assumingMemoryBound(to: UInt8.self), count: content.count)
        }
        let start = Int32(truncatingIfNeeded: count)
        count += content.count
        return (start, Int32(truncatingIfNeeded: content.count))
    }

    @inline(never)
    private func grow(toFit needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        storage.moveInitialize(from: base, count: count)
        base.deallocate()
        base = storage
        capacity = larger
    }

    /// The text of the content at `start` (escapes decoded when it has any).
    func text(start: Int32, length: Int32, hasEscapes: Bool) -> String {
        JSONTape.text(of: UnsafeBufferPointer(start: base + Int(start), count: Int(length)), hasEscapes: hasEscapes)
    }
}
