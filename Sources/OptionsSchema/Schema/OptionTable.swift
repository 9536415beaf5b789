/// The regular options of a namespace schema, in the order `schema.json` declares them, with lookup by key.
///
/// A collection of `OptionSchema` (document order) that also answers `table[key]` like a dictionary. Keys are
/// unique: adding an option whose key is there replaces it in place, so the last definition wins, as serde_json
/// reads a repeated key.
///
/// ```swift
/// let schema = try #require(SchemaParser.parse(json: bytes, namespace: "seer").schema)
/// let rateLimit = schema.options["autofix.rate_limit"]?.defaultValue
/// for option in schema.options { print(option.key, option.type) }
/// ```
public struct OptionTable: Sendable, RandomAccessCollection {
    /// The options in document order (for the package's hot paths, which read one field without copying the
    /// whole option).
    package private(set) var elements: [OptionSchema] = []
    /// Entry numbers are positions in `elements`.
    @usableFromInline package private(set) var index: KeyIndex

    /// An empty table with room for `capacity` options before it grows.
    public init(capacity: Int = 0) {
        index = KeyIndex(capacity: capacity)
        elements.reserveCapacity(capacity)
    }

    /// A table of `options`; of two with the same key, the later one is kept, at the earlier one's place.
    public init(_ options: some Sequence<OptionSchema>) {
        self.init(capacity: options.underestimatedCount)
        for option in options { update(option) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { elements.count }

    /// The option at `position` (document order).
    public subscript(position: Int) -> OptionSchema { elements[position] }

    /// The option with `key`, or `nil`.
    public subscript(key: String) -> OptionSchema? {
        guard let position = position(of: key) else { return nil }
        return elements[position]
    }

    /// Where the option with `key` is in the table, or `nil`.
    @inlinable @inline(__always)
    public func position(of key: String) -> Int? { index.entry(for: key) }

    /// Where the option whose key has these UTF-8 bytes is in the table, or `nil`.
    @inlinable @inline(__always)
    package func position(ofUTF8 bytes: UnsafeRawBufferPointer) -> Int? { index.entry(forUTF8: bytes) }

    /// Every key, in document order.
    public var keys: [String] { elements.map(\.key) }

    /// Adds `option`, or replaces the one with its key in place; returns the replaced one.
    @discardableResult
    public mutating func update(_ option: consuming OptionSchema) -> OptionSchema? {
        let (position, inserted) = index.insert(option.key)
        if inserted {
            elements.append(option)
            return nil
        }
        let replaced = elements[position]
        elements[position] = option
        return replaced
    }
}
