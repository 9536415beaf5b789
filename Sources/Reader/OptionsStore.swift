import Dispatch
import OptionsSchema
import Synchronization

/// A value handed to concurrent workers that each touch their own part of it.
struct UnsafeSendable<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// The options of every namespace, read from a directory that `optionsctl write --format runtime` (or
/// sentry-options) laid out: `schemas/<ns>/schema.json` and `values/<ns>/values.json` (reference §5.2).
///
/// Read from any task without locks or file I/O; values files are checked again for changes when a read comes
/// after the refresh interval, on `refresh()`, or by `pollForChanges(every:)`:
///
/// ```swift
/// let store = try OptionsStore()                       // SENTRY_OPTIONS_DIR, /etc/sentry-options, ./sentry-options
/// let seer = try store.namespace("seer")
/// let limit = try seer.int("autofix.rate_limit")       // the value set for this region, or the schema default
/// if try !seer.isSet("autofix.enabled") { … }          // the default is in use
/// ```
///
/// Schemas are read once; values files are reloaded. A values file that turns invalid never takes the service
/// down: its namespace keeps the last good snapshot and the error goes to `ReloadPolicy.onError`. Unlike the
/// reference clients, one bad namespace does not hold back reloads of the others.
public final class OptionsStore: Sendable {
    /// When namespaces are read.
    public enum Loading: Sendable {
        /// Every namespace at construction, on all cores: every file is read and checked, and a bad file fails the
        /// construction, as in the reference. A namespace's snapshot (a `JSONValue` for each option) is made from
        /// what was checked at its first read.
        case eager
        /// Each namespace on its first use (construction only lists the directory): a service that reads a few
        /// namespaces of many starts at once; a bad file fails that namespace's first read.
        case lazy
    }

    /// The directory the store was read from.
    public let directory: String?
    /// How the store reloads and whom it tells.
    public let reloadPolicy: ReloadPolicy
    let slots: [String: NamespaceSlot]
    let slotList: [NamespaceSlot]
    let cache: SnapshotCache
    /// When the next read checks the files (`Files.monotonicNanoseconds`); `Int64.max` when reads never do.
    let nextRefresh: Atomic<Int64>

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
    ///   - reload: when values files are checked for changes, and the handlers told about reloads.
    /// - Throws: `OptionsError.schema` for an invalid schema or values file (the message names it).
    public init(
        directory: String? = nil, additionalSchemas: [String: String] = [:], loading: Loading = .eager,
        reload: ReloadPolicy = ReloadPolicy()
    ) throws(OptionsError) {
        let base = directory ?? Self.resolvedDirectory()
        self.directory = base
        self.reloadPolicy = reload
        let prefix = base.isEmpty ? "" : base + "/"
        var sources: [String: NamespaceSlot.SchemaSource] = [:]
        let schemasDirectory = prefix + "schemas"
        if let names = Files.names(in: schemasDirectory) {
            for name in names {
                let path = schemasDirectory + "/" + name + "/schema.json"
                guard Files.isDirectory(schemasDirectory + "/" + name), Files.exists(path) else { continue }
                sources[name] = .file(path)
            }
        } else if additionalSchemas.isEmpty {
            throw .schema("Schema error in \(schemasDirectory): directory not found")
        }
        for (name, text) in additionalSchemas.sorted(by: { $0.key < $1.key }) {
            if sources[name] != nil { throw .schema("Schema error in <embedded>: Duplicate namespace '\(name)'") }
            sources[name] = .text(text)
        }
        let slotList = sources.keys.sorted().enumerated().map { index, name in
            NamespaceSlot(
                index: index, name: name, schema: sources[name]!, valuesPath: prefix + "values/" + name + "/values.json"
            )
        }
        self.slotList = slotList
        self.slots = Dictionary(uniqueKeysWithValues: slotList.map { ($0.name, $0) })
        self.cache = SnapshotCache(count: slotList.count)
        self.nextRefresh = Atomic(Int64.max)
        if loading == .eager {
            // Namespaces are independent: read them on all cores; the first problem (by name) is thrown.
            _ = try Self.concurrentMap(slotList) { (slot: NamespaceSlot) throws(OptionsError) -> Bool in
                try slot.loadIfNeeded()
                return true
            }
        }
        scheduleNextRefresh(after: Files.monotonicNanoseconds())
    }

    /// The options of `namespace`: a handle whose reads always see the namespace's latest snapshot.
    /// - Throws: `OptionsError.unknownNamespace` when no schema declares it; with lazy loading, `OptionsError.schema`
    ///   when its files are invalid.
    public func namespace(_ name: String) throws(OptionsError) -> NamespaceOptions {
        guard let slot = slots[name] else { throw .unknownNamespace(name) }
        try slot.loadIfNeeded()
        return NamespaceOptions(store: self, slot: slot)
    }

    /// The namespaces the store knows, sorted.
    public var namespaceNames: [String] { slotList.map(\.name) }

    // MARK: reloading

    /// Checks every loaded namespace's values file now and publishes those that changed, whatever the interval
    /// (which starts again). A namespace whose new file is invalid keeps its last good snapshot; the others are
    /// published all the same.
    /// - Returns: whether any namespace changed.
    /// - Throws: the first failure, after every other namespace was reloaded (failures also go to `onError`).
    @discardableResult
    public func refresh() throws(OptionsError) -> Bool {
        scheduleNextRefresh(after: Files.monotonicNanoseconds())
        let (changed, failure) = reloadAll()
        if let failure { throw failure }
        return changed
    }

    /// Checks the files every `interval` until the calling task is cancelled, for services that prefer a
    /// background task to checks on reads (combine with `ReloadPolicy(refreshInterval: nil)`):
    ///
    /// ```swift
    /// let polling = Task { await store.pollForChanges(every: .seconds(5)) }
    /// ```
    public func pollForChanges(every interval: Duration) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            _ = reloadAll()
        }
    }

    /// The refresh on reads: at most once per interval, by whichever read claims it first; the others go on with
    /// the current snapshots.
    @inline(__always)
    func refreshIfDue() {
        let deadline = nextRefresh.load(ordering: .relaxed)
        guard deadline != Int64.max, Files.monotonicNanoseconds() >= deadline else { return }
        refreshOnRead(deadline)
    }

    @inline(never)
    func refreshOnRead(_ deadline: Int64) {
        let now = Files.monotonicNanoseconds()
        let next = nextRefreshTime(after: now)
        guard nextRefresh.compareExchange(expected: deadline, desired: next, ordering: .relaxed).exchanged else {
            return
        }
        _ = reloadAll()
    }

    func scheduleNextRefresh(after now: Int64) {
        nextRefresh.store(nextRefreshTime(after: now), ordering: .relaxed)
    }

    /// The interval with up to a second of jitter, so that services started together do not read together.
    func nextRefreshTime(after now: Int64) -> Int64 {
        guard reloadPolicy.refreshInterval != nil else { return Int64.max }
        let jitter = interval() > 0 ? Int64.random(in: 0..<1_000_000_000) : 0
        return now &+ interval() &+ jitter
    }

    func interval() -> Int64 {
        guard let interval = reloadPolicy.refreshInterval else { return Int64.max / 2 }
        let (seconds, attoseconds) = interval.components
        return max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Reloads every loaded namespace; reports failures and propagation delays to the policy's handlers.
    func reloadAll() -> (changed: Bool, failure: OptionsError?) {
        var changed = false
        var firstFailure: OptionsError?
        for slot in slotList {
            switch slot.reload() {
            case .notLoaded, .unchanged: continue
            case .failed(let error):
                firstFailure = firstFailure ?? error
                reloadPolicy.onError?(slot.name, error)
            case .changed(let before, let after):
                changed = true
                guard let after, after != before, let onPropagation = reloadPolicy.onPropagation,
                    let generated = RFC3339.seconds(after)
                else { continue }
                onPropagation(slot.name, max(0, Files.currentTime() - generated))
            }
        }
        return (changed, firstFailure)
    }

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
    ///
    /// Read on the tape: a key is looked up by its bytes, and only values become `Node`s (checked here; the
    /// snapshot makes them `JSONValue`s at the namespace's first read). The first bad value ends the reading.
    static func values(_ bytes: [UInt8], schema: NamespaceSchema, file: String) throws(OptionsError)
        -> LoadedValues
    {
        let tape: JSONTape
        do {
            tape = try JSONTape(bytes)
        } catch {
            throw .schema("Failed to parse JSON: \(error) in \(file)")
        }
        guard let options = tape.value(of: tape.root, forKey: "options") else {
            throw .schema("Value error for \(schema.name): values.json must have an 'options' key")
        }
        guard tape.kind(options) == .object else {
            throw .schema(
                "Value error for \(schema.name): \n\t \(tape.node(at: options).jsonSnippet()) is not of type \"object\""
            )
        }
        var values = LoadedValues()
        values.options.reserveCapacity(tape.count(options))
        var issues: [Issue] = []
        var path = ValuePath()
        for member in tape.members(of: options) {
            let position = tape.withUTF8(ofString: member.key) { schema.options.position(ofUTF8: $0) } ?? nil
            if let position {
                let node = tape.node(at: member.value)
                issues = ValueValidator.issues(
                    of: node, against: schema.options.elements[position].type,
                    key: schema.options.elements[position].key, scratch: &path)
                if !issues.isEmpty { break }
                values.options.append((position, node))
            } else if let key = tape.string(member.key), schema.featureFlags[key] != nil {
                let node = tape.node(at: member.value)
                path.push(key)
                FeatureFlagValidator.validate(node, path: &path, into: &issues)
                path.pop()
                if !issues.isEmpty { break }
                values.flags[key] = JSONValue(node)
            }
        }
        if let issue = issues.first {
            let place = issue.position.map { " (\(file):\($0))" } ?? ""
            throw .schema("Value error for \(schema.name): \(issue.message)\(place)")
        }
        values.generatedAt = tape.value(of: tape.root, forKey: "generated_at").flatMap { tape.string($0) }
        return values
    }
}
