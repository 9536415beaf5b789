public import OptionsSchema

/// The options of one namespace: values set for this deployment, schema defaults for the rest.
///
/// A handle: every read sees the namespace's latest snapshot (and may trigger the store's refresh check), so a
/// service can keep it for its lifetime. For several values that must come from one version of the file, read
/// `values()` once.
public struct NamespaceOptions: Sendable {
    let store: OptionsStore
    let slot: NamespaceSlot

    init(store: OptionsStore, slot: NamespaceSlot) {
        self.store = store
        self.slot = slot
    }

    /// The namespace.
    public var name: String { slot.name }

    /// The current snapshot, after the store's refresh check.
    @inline(__always)
    func snapshot() throws(OptionsError) -> Snapshot {
        store.refreshIfDue()
        return try slot.snapshot(in: store.cache)
    }

    /// The namespace's schema.
    public var schema: NamespaceSchema {
        get throws(OptionsError) { try snapshot().schema }
    }

    /// The current payload's `generated_at`, when it has one.
    public var generatedAt: String? {
        get throws(OptionsError) { try snapshot().generatedAt }
    }

    /// The value of `key`: a test override (see `OptionsStore.withOverrides`), else the value set, else the
    /// schema default.
    /// - Throws: `OptionsError.unknownOption` for a key the schema does not declare, or a feature flag with no
    ///   value (flags have no default).
    public func value(_ key: String) throws(OptionsError) -> JSONValue {
        if OptionOverrides.isActive, let override = OptionOverrides.current[slot.name]?[key] { return override.value }
        store.refreshIfDue()
        let value = try slot.withSnapshot(in: store.cache) { $0.entry(key)?.value }
        guard let value else { throw .unknownOption(namespace: slot.name, key: key) }
        return value
    }

    /// Whether a value is set for `key` (`false`: the default is in use). A feature flag with no value is `false`.
    /// Test overrides do not count, as in the reference.
    /// - Throws: `OptionsError.unknownOption` for a key the schema does not declare.
    public func isSet(_ key: String) throws(OptionsError) -> Bool {
        let snapshot = try snapshot()
        if let entry = snapshot.entry(key) { return entry.isSet }
        guard snapshot.schema.declares(key) else { throw .unknownOption(namespace: slot.name, key: key) }
        return false
    }

    /// Every readable key with its value, from one snapshot (test overrides applied).
    public func values() throws(OptionsError) -> [String: JSONValue] {
        let snapshot = try snapshot()
        var result = snapshot.flagValues
        for (option, entry) in zip(snapshot.schema.options, snapshot.options) { result[option.key] = entry.value }
        if OptionOverrides.isActive, let overrides = OptionOverrides.current[slot.name] {
            for (key, override) in overrides { result[key] = override.value }
        }
        return result
    }

    /// The parsed feature flag `feature.<name>`: a test override, else the value set; `nil` when neither.
    func featureFlag(_ name: String) -> FeatureFlag? {
        if OptionOverrides.isActive, let override = OptionOverrides.current[slot.name]?["feature." + name] {
            return override.flag
        }
        store.refreshIfDue()
        return try? slot.withSnapshot(in: store.cache) { $0.flags[name] }
    }

    func mismatch(_ key: String, _ expected: String, _ value: JSONValue) -> OptionsError {
        .typeMismatch(namespace: slot.name, key: key, expected: expected, found: value.typeName)
    }

    /// A boolean option.
    public func bool(_ key: String) throws(OptionsError) -> Bool {
        let value = try value(key)
        guard case .bool(let result) = value else { throw mismatch(key, "boolean", value) }
        return result
    }

    /// An integer option (a float with no fraction, as the schema language accepts for integers, converts).
    public func int(_ key: String) throws(OptionsError) -> Int {
        let value = try value(key)
        switch value {
        case .integer(let number): return Int(number)
        case .double(let number) where number.rounded(.towardZero) == number && abs(number) < 9.2e18:
            return Int(number)
        default: throw mismatch(key, "integer", value)
        }
    }

    /// A number option; integers convert.
    public func double(_ key: String) throws(OptionsError) -> Double {
        let value = try value(key)
        switch value {
        case .double(let number): return number
        case .integer(let number): return Double(number)
        case .unsignedInteger(let number): return Double(number)
        default: throw mismatch(key, "number", value)
        }
    }

    /// A string option.
    public func string(_ key: String) throws(OptionsError) -> String {
        let value = try value(key)
        guard case .string(let result) = value else { throw mismatch(key, "string", value) }
        return result
    }

    /// An array option, its elements as JSON values.
    public func array(_ key: String) throws(OptionsError) -> [JSONValue] {
        let value = try value(key)
        guard case .array(let result) = value else { throw mismatch(key, "array", value) }
        return result
    }

    /// An array of strings.
    public func strings(_ key: String) throws(OptionsError) -> [String] {
        let elements = try array(key)
        var result: [String] = []
        for element in elements {
            guard case .string(let text) = element else { throw mismatch(key, "array of strings", element) }
            result.append(text)
        }
        return result
    }

    /// An array of integers.
    public func ints(_ key: String) throws(OptionsError) -> [Int] {
        let elements = try array(key)
        var result: [Int] = []
        for element in elements {
            guard case .integer(let number) = element else { throw mismatch(key, "array of integers", element) }
            result.append(Int(number))
        }
        return result
    }
}
