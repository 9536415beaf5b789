// Built only with the ConfigurationProvider trait (`swift build --traits ConfigurationProvider`), so the default
// build does not pull apple/swift-configuration.
#if ConfigurationProvider
    public import Configuration
    public import Reader
    import Synchronization

    /// The Reader's store as an apple/swift-configuration provider: the key `<namespace>.<option>` reads the option
    /// of that namespace (the first key component is the namespace, the rest, joined with dots, the option key).
    ///
    /// ```swift
    /// let config = ConfigReader(provider: OptionsConfigProvider(store: try OptionsStore()))
    /// let limit = config.int(forKey: "seer.autofix.rate_limit", default: 50)
    /// ```
    ///
    /// Values come from the store's latest snapshot, so reloads show through; an unknown namespace or option is
    /// "not found" (other providers may answer it), and a value of another type than asked is an error naming both.
    /// Integers read as `double` convert; objects, `null` and feature flags have no configuration type and are
    /// errors (read them with the Reader itself).
    public struct OptionsConfigProvider: ConfigProvider {
        /// The store read from.
        public let store: OptionsStore

        /// A provider over `store`.
        public init(store: OptionsStore) { self.store = store }

        /// `OptionsConfigProvider`, as access reports and errors name it.
        public var providerName: String { "OptionsConfigProvider" }

        /// Why a value could not be given as the type asked for.
        public struct TypeMismatch: Error, CustomStringConvertible, Sendable {
            /// The configuration key.
            public var key: String
            /// The type asked for.
            public var expected: ConfigType
            /// The JSON type found.
            public var found: String

            /// `Option 'seer.autofix.rate_limit' is integer, not string`.
            public var description: String {
                "Option '\(key)' is \(found), not \(expected.rawValue)"
            }
        }

        /// The option at `key` from the namespace's latest snapshot, as `type`; `nil` value when the store has no
        /// such namespace or option.
        /// - Throws: `TypeMismatch` when the option's value is not of `type`.
        public func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
            try Self.lookup(key, type, in: store) { namespace, option in
                do throws(OptionsError) {
                    return try store.namespace(namespace).value(option)
                } catch .unknownOption {
                    return nil
                }
            }
        }

        /// The same as `value(forKey:type:)`: the store holds every value in memory.
        public func fetchValue(forKey key: AbsoluteConfigKey, type: ConfigType) async throws -> LookupResult {
            try value(forKey: key, type: type)
        }

        /// The current value, once: the store reloads on reads and `refresh()`, not by pushing changes.
        nonisolated(nonsending) public func watchValue<Return: ~Copyable>(
            forKey key: AbsoluteConfigKey, type: ConfigType,
            updatesHandler:
                nonisolated(nonsending) (
                    _ updates: ConfigUpdatesAsyncSequence<Result<LookupResult, any Error>, Never>
                ) async throws -> Return
        ) async throws -> Return {
            try await watchValueFromValue(forKey: key, type: type, updatesHandler: updatesHandler)
        }

        /// A consistent view: each namespace's values as they are when the snapshot first reads it.
        public func snapshot() -> any ConfigSnapshot { Snapshot(store: store) }

        /// The current snapshot, once.
        nonisolated(nonsending) public func watchSnapshot<Return: ~Copyable>(
            updatesHandler:
                nonisolated(nonsending) (_ updates: ConfigUpdatesAsyncSequence<any ConfigSnapshot, Never>) async throws
                -> Return
        ) async throws -> Return {
            try await watchSnapshotFromSnapshot(updatesHandler: updatesHandler)
        }

        /// One consistent view: each namespace's values are taken once, at its first read through the snapshot.
        final class Snapshot: ConfigSnapshot {
            let store: OptionsStore
            let namespaces = Mutex<[String: [String: JSONValue]]>([:])

            init(store: OptionsStore) { self.store = store }

            var providerName: String { "OptionsConfigProvider" }

            func value(forKey key: AbsoluteConfigKey, type: ConfigType) throws -> LookupResult {
                try OptionsConfigProvider.lookup(key, type, in: store) { namespace, option in
                    try values(of: namespace)[option]
                }
            }

            func values(of namespace: String) throws(OptionsError) -> [String: JSONValue] {
                if let values = namespaces.withLock({ $0[namespace] }) { return values }
                let values = try store.namespace(namespace).values()
                // Another reader may have taken the namespace meanwhile: the first one taken stays.
                return namespaces.withLock { taken in
                    if let first = taken[namespace] { return first }
                    taken[namespace] = values
                    return values
                }
            }
        }

        /// The lookup both the provider and its snapshots do; `read` gives an option of a namespace the store
        /// knows, `nil` when the namespace does not declare it.
        static func lookup(
            _ key: AbsoluteConfigKey, _ type: ConfigType, in store: OptionsStore,
            _ read: (_ namespace: String, _ option: String) throws -> JSONValue?
        ) throws -> LookupResult {
            let encoded = key.components.joined(separator: ".")
            guard key.components.count >= 2, store.namespaceNames.contains(key.components[0]),
                let found = try read(key.components[0], key.components.dropFirst().joined(separator: "."))
            else {
                return LookupResult(encodedKey: encoded, value: nil)
            }
            return LookupResult(
                encodedKey: encoded, value: ConfigValue(try content(found, type, key: encoded), isSecret: false))
        }

        /// `value` as configuration content of `type`.
        static func content(_ value: JSONValue, _ type: ConfigType, key: String) throws -> ConfigContent {
            func mismatch() -> TypeMismatch { TypeMismatch(key: key, expected: type, found: value.typeName) }
            func elements<Element>(_ convert: (JSONValue) -> Element?) throws -> [Element] {
                guard case .array(let items) = value else { throw mismatch() }
                var result: [Element] = []
                for item in items {
                    guard let converted = convert(item) else { throw mismatch() }
                    result.append(converted)
                }
                return result
            }
            switch type {
            case .string:
                guard let text = string(value) else { throw mismatch() }
                return .string(text)
            case .int:
                guard let number = int(value) else { throw mismatch() }
                return .int(number)
            case .double:
                guard let number = double(value) else { throw mismatch() }
                return .double(number)
            case .bool:
                guard case .bool(let flag) = value else { throw mismatch() }
                return .bool(flag)
            case .stringArray: return .stringArray(try elements(string))
            case .intArray: return .intArray(try elements(int))
            case .doubleArray: return .doubleArray(try elements(double))
            case .boolArray:
                return .boolArray(
                    try elements { item in
                        if case .bool(let flag) = item { flag } else { nil }
                    })
            case .bytes, .byteChunkArray: throw mismatch()
            }
        }

        static func string(_ value: JSONValue) -> String? {
            if case .string(let text) = value { text } else { nil }
        }

        static func int(_ value: JSONValue) -> Int? {
            if case .integer(let number) = value { Int(exactly: number) } else { nil }
        }

        static func double(_ value: JSONValue) -> Double? {
            switch value {
            case .double(let number): number
            case .integer(let number): Double(number)
            case .unsignedInteger(let number): Double(number)
            default: nil
            }
        }
    }
#endif
