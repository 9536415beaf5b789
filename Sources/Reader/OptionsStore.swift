import Dispatch
public import OptionsSchema
import Synchronization

/// A value handed to concurrent workers that each touch their own part of it.
struct UnsafeSendable<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// The options of every namespace, read from a directory that `optionsctl write --format runtime` (or
/// sentry-options) laid out: `schemas/<ns>/schema.json` and `values/<ns>/values.json` (reference §5.2).
///
/// Built once, then read from any task without locks or file I/O:
///
/// ```swift
/// let store = try OptionsStore()                       // SENTRY_OPTIONS_DIR, /etc/sentry-options, ./sentry-options
/// let seer = try store.namespace("seer")
/// let limit = try seer.int("autofix.rate_limit")       // the value set for this region, or the schema default
/// if try !seer.isSet("autofix.enabled") { … }          // the default is in use
/// ```
public final class OptionsStore: Sendable {
    /// When namespaces are read.
    public enum Loading: Sendable {
        /// Every namespace at construction, on all cores: a bad file fails the construction, as in the reference.
        case eager
        /// Each namespace on its first use (construction only lists the directory): a service that reads a few
        /// namespaces of many starts at once; a bad file fails that namespace's first `namespace(_:)` call.
        case lazy
    }

    /// The directory the store was read from.
    public let directory: String?
    let slots: [String: Slot]

    /// One namespace: where its schema and values are, and once read, its options.
    final class Slot: Sendable {
        enum SchemaSource: Sendable {
            case file(String)
            case text(String)
        }

        let name: String
        let schema: SchemaSource
        let valuesPath: String
        /// Set once, by the first reader that loads the namespace; read without a lock after that.
        let loaded = AtomicLazyReference<Loaded>()

        final class Loaded: Sendable {
            let options: NamespaceOptions
            init(_ options: NamespaceOptions) { self.options = options }
        }

        init(name: String, schema: SchemaSource, valuesPath: String) {
            self.name = name
            self.schema = schema
            self.valuesPath = valuesPath
        }

        /// The namespace's options, read on first use.
        func options() throws(OptionsError) -> NamespaceOptions {
            if let loaded = loaded.load() { return loaded.options }
            let parsed: NamespaceSchema
            switch schema {
            case .file(let path):
                guard let bytes = try Files.contents(of: path) else {
                    throw .schema("Schema error in \(path): file not found")
                }
                parsed = try OptionsStore.schema(bytes, namespace: name, file: path)
            case .text(let text):
                parsed = try OptionsStore.schema(Array(text.utf8), namespace: name, file: "<embedded>")
            }
            var values: [String: JSONValue] = [:]
            var generatedAt: String?
            if let bytes = try Files.contents(of: valuesPath) {
                (values, generatedAt) = try OptionsStore.values(bytes, schema: parsed, file: valuesPath)
            }
            let options = NamespaceOptions(name: name, schema: parsed, values: values, generatedAt: generatedAt)
            return loaded.storeIfNil(Loaded(options)).options
        }
    }

    /// The base directory by the reference's rules (§5.1): `SENTRY_OPTIONS_DIR` when set (even empty), else
    /// `/etc/sentry-options` when it exists, else `sentry-options` in the current directory.
    public static func resolvedDirectory() -> String {
        if let configured = Files.environment("SENTRY_OPTIONS_DIR") { return configured }
        if Files.exists("/etc/sentry-options") { return "/etc/sentry-options" }
        return "sentry-options"
    }

    /// Reads the store from `directory` (by default the resolved one).
    /// - Parameters:
    ///   - additionalSchemas: schemas compiled into the binary, `namespace → schema.json text`, added to those on
    ///     disk; a namespace on both is an error, as in the reference.
    ///   - loading: `.eager` (the default) reads and checks everything now; `.lazy` reads each namespace on first
    ///     use.
    /// - Throws: `OptionsError.schema` for an invalid schema or values file (the message names it).
    public init(directory: String? = nil, additionalSchemas: [String: String] = [:], loading: Loading = .eager)
        throws(OptionsError)
    {
        let base = directory ?? Self.resolvedDirectory()
        self.directory = base
        let prefix = base.isEmpty ? "" : base + "/"
        var slots: [String: Slot] = [:]
        let schemasDirectory = prefix + "schemas"
        if let names = Files.names(in: schemasDirectory) {
            for name in names {
                let path = schemasDirectory + "/" + name + "/schema.json"
                guard Files.isDirectory(schemasDirectory + "/" + name), Files.exists(path) else { continue }
                slots[name] = Slot(
                    name: name, schema: .file(path), valuesPath: prefix + "values/" + name + "/values.json")
            }
        } else if additionalSchemas.isEmpty {
            throw .schema("Schema error in \(schemasDirectory): directory not found")
        }
        for (name, text) in additionalSchemas.sorted(by: { $0.key < $1.key }) {
            if slots[name] != nil { throw .schema("Schema error in <embedded>: Duplicate namespace '\(name)'") }
            slots[name] = Slot(name: name, schema: .text(text), valuesPath: prefix + "values/" + name + "/values.json")
        }
        self.slots = slots
        if loading == .eager {
            // Namespaces are independent: read them on all cores; the first problem (by name) is thrown.
            _ = try Self.concurrentMap(slots.keys.sorted().compactMap { slots[$0] }) {
                (slot: Slot) throws(OptionsError) -> Bool in
                _ = try slot.options()
                return true
            }
        }
    }

    /// The options of `namespace`.
    /// - Throws: `OptionsError.unknownNamespace` when no schema declares it; with lazy loading, `OptionsError.schema`
    ///   when its files are invalid.
    public func namespace(_ name: String) throws(OptionsError) -> NamespaceOptions {
        guard let slot = slots[name] else { throw .unknownNamespace(name) }
        return try slot.options()
    }

    /// The namespaces the store knows, sorted.
    public var namespaceNames: [String] { slots.keys.sorted() }

    /// `transform` over `items` on all cores, in order; the first error (in item order) is thrown.
    static func concurrentMap<Item: Sendable, Result: Sendable>(
        _ items: [Item], _ transform: @Sendable (Item) throws(OptionsError) -> Result
    ) throws(OptionsError) -> [Result] {
        var results = [Swift.Result<Result, OptionsError>?](repeating: nil, count: items.count)
        results.withUnsafeMutableBufferPointer { buffer in
            let slots = UnsafeSendable(buffer)
            DispatchQueue.concurrentPerform(iterations: items.count) { index in
                do throws(OptionsError) {
                    slots.value[index] = .success(try transform(items[index]))
                } catch {
                    slots.value[index] = .failure(error)
                }
            }
        }
        return try results.map { result throws(OptionsError) in try result!.get() }
    }

    static func schema(_ bytes: [UInt8], namespace: String, file: String) throws(OptionsError) -> NamespaceSchema {
        let result: SchemaParseResult
        do {
            result = try SchemaParser.parse(json: bytes, namespace: namespace)
        } catch {
            throw .schema("Schema error in \(file): Failed to parse JSON: \(error)")
        }
        guard let schema = result.schema else {
            let first = result.issues.first { $0.severity == .error }
            let place = first?.position.map { ":\($0)" } ?? ""
            throw .schema("Schema error in \(file)\(place): \(first?.message ?? "invalid schema")")
        }
        return schema
    }

    /// The validated values of a `values.json`; unknown keys are dropped, as the reference clients do.
    static func values(_ bytes: [UInt8], schema: NamespaceSchema, file: String) throws(OptionsError)
        -> ([String: JSONValue], String?)
    {
        let root: Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            throw .schema("Failed to parse JSON: \(error) in \(file)")
        }
        guard let options = root["options"] else {
            throw .schema("Value error for \(schema.name): values.json must have an 'options' key")
        }
        guard case .object(let members) = options.content else {
            throw .schema("Value error for \(schema.name): \n\t \(options.jsonSnippet()) is not of type \"object\"")
        }
        var values: [String: JSONValue] = [:]
        var issues: [Issue] = []
        var path = ValuePath()
        for member in members {
            path.push(member.key)
            if let option = schema.options[member.key] {
                ValueValidator.validate(member.value, against: option.type, path: &path, into: &issues)
                values[member.key] = JSONValue(member.value)
            } else if schema.featureFlags[member.key] != nil {
                FeatureFlagValidator.validate(member.value, path: &path, into: &issues)
                values[member.key] = JSONValue(member.value)
            }
            path.pop()
        }
        if let issue = issues.first {
            let place = issue.position.map { " (\(file):\($0))" } ?? ""
            throw .schema("Value error for \(schema.name): \(issue.message)\(place)")
        }
        return (values, root["generated_at"]?.stringValue)
    }
}

/// The options of one namespace: values set for this deployment, schema defaults for the rest.
public struct NamespaceOptions: Sendable {
    /// The namespace.
    public let name: String
    /// Its schema.
    public let schema: NamespaceSchema
    /// The payload's `generated_at`, when it has one.
    public let generatedAt: String?
    /// What a read returns for every readable key: the value set, else the schema default (one lookup either way).
    @usableFromInline let entries: [String: Entry]

    @usableFromInline struct Entry: Sendable {
        @usableFromInline var value: JSONValue
        var isSet: Bool
    }

    init(name: String, schema: NamespaceSchema, values: [String: JSONValue], generatedAt: String?) {
        self.name = name
        self.schema = schema
        self.generatedAt = generatedAt
        var entries: [String: Entry] = [:]
        entries.reserveCapacity(schema.options.count + values.count)
        for (key, option) in schema.options {
            entries[key] = Entry(value: JSONValue(option.defaultValue), isSet: false)
        }
        for (key, value) in values { entries[key] = Entry(value: value, isSet: true) }
        self.entries = entries
    }

    /// The value of `key`: the one set, else the schema default.
    /// - Throws: `OptionsError.unknownOption` for a key the schema does not declare, or a feature flag with no
    ///   value (flags have no default).
    @inlinable
    public func value(_ key: String) throws(OptionsError) -> JSONValue {
        guard let entry = entries[key] else { throw .unknownOption(namespace: name, key: key) }
        return entry.value
    }

    /// Whether a value is set for `key` (`false`: the default is in use). A feature flag with no value is `false`.
    /// - Throws: `OptionsError.unknownOption` for a key the schema does not declare.
    public func isSet(_ key: String) throws(OptionsError) -> Bool {
        if let entry = entries[key] { return entry.isSet }
        guard schema.declares(key) else { throw .unknownOption(namespace: name, key: key) }
        return false
    }

    func mismatch(_ key: String, _ expected: String, _ value: JSONValue) -> OptionsError {
        .typeMismatch(namespace: name, key: key, expected: expected, found: value.typeName)
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
