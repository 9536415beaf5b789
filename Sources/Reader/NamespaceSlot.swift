import OptionsSchema
import Synchronization

/// One published version of a namespace's options. Immutable: a reload publishes a new one, so a reader that
/// holds a snapshot sees one consistent set of values.
final class Snapshot: Sendable {
    /// Counts publications of this namespace, from 1.
    let generation: UInt64
    let schema: NamespaceSchema
    /// The payload's `generated_at`, when it has one.
    let generatedAt: String?
    /// What a read returns for each option, by its position in `schema.options`: the value set, else the schema
    /// default. The schema's key index finds the position, so a snapshot builds no table of its own.
    let options: [Entry]
    /// The schema's key index in raw memory (shared by every snapshot of the schema): finds a key's position.
    let lookup: FrozenKeyIndex
    /// The feature flags the values file sets, by key (`feature.<name>`).
    let flagValues: [String: JSONValue]
    /// The same flags by name (without `feature.`), parsed once for every evaluation.
    let flags: [String: FeatureFlag]

    struct Entry: Sendable {
        var value: JSONValue
        var isSet: Bool
    }

    /// Builds the snapshot a load or reload published (at the namespace's first read after it).
    init(_ parts: Publication.Parts) {
        self.generation = parts.generation
        self.schema = parts.schema
        self.lookup = parts.lookup
        self.generatedAt = parts.values.generatedAt
        var options: [Entry] = []
        options.reserveCapacity(schema.options.count)
        // By index: only each default is read, not a copy of each whole option.
        let elements = schema.options.elements
        for index in elements.indices {
            options.append(Entry(value: JSONValue(elements[index].defaultValue), isSet: false))
        }
        for (position, value) in parts.values.options {
            options[position] = Entry(value: JSONValue(value), isSet: true)
        }
        self.options = options
        self.flagValues = parts.values.flags
        var flags: [String: FeatureFlag] = [:]
        for (key, value) in parts.values.flags {
            flags[String(key.dropFirst("feature.".count))] = FeatureFlag(value)
        }
        self.flags = flags
    }

    /// What a read of `key` returns: an option's value or default, or a set feature flag's value.
    @inline(__always)
    func entry(_ key: String) -> Entry? {
        if let position = lookup.entry(for: key) { return options[position] }
        return flagValues[key].map { Entry(value: $0, isSet: true) }
    }
}

/// What a `values.json` sets, validated against its schema.
struct LoadedValues: Sendable {
    /// Each option set: its position in the schema's `options`, and its value (made a `JSONValue` with the
    /// snapshot).
    var options: [(position: Int, value: Node)] = []
    /// Each feature flag set, by key (`feature.<name>`).
    var flags: [String: JSONValue] = [:]
    /// The payload's `generated_at`, when it has one.
    var generatedAt: String?
}

/// What a namespace's last load or reload published: its snapshot, or until a read needs it, what the snapshot is
/// made from.
///
/// Loading checks every file but leaves the snapshot (a `JSONValue` for every option, defaults included) to the
/// namespace's first read: an eager store of 300 namespaces is ready sooner, and the namespaces a service never
/// reads cost no more.
enum Publication: Sendable {
    struct Parts: Sendable {
        var generation: UInt64
        var schema: NamespaceSchema
        var lookup: FrozenKeyIndex
        var values: LoadedValues
    }

    case parts(Parts)
    case snapshot(Snapshot)

    var generatedAt: String? {
        switch self {
        case .parts(let parts): parts.values.generatedAt
        case .snapshot(let snapshot): snapshot.generatedAt
        }
    }
}

/// What identifies one state of a values file: a reload happens when any part changes. The resolved path makes
/// Kubernetes' `..data` symbolic-link swap visible even when time and size happen to match.
struct FileSignature: Equatable, Sendable {
    var exists = false
    var modified = Files.Stamp()
    var size = 0
    var device: UInt64 = 0
    var inode: UInt64 = 0
    var resolvedPath = ""

    init(of path: String) {
        guard let status = Files.status(of: path) else { return }
        exists = true
        modified = status.modified
        size = status.size
        device = status.device
        inode = status.inode
        resolvedPath = Files.resolvedPath(path) ?? path
    }
}

/// One namespace of a store: where its files are, and the snapshot readers see.
///
/// Readers take no lock: the slot's `generation` says whether the snapshot a thread last read is still the
/// published one (`SnapshotCache`); only the first read after a publication takes the `published` lock, once
/// per thread. Loads and reloads are serialised by `loading`, which readers never touch once loaded.
final class NamespaceSlot: Sendable {
    enum SchemaSource: Sendable {
        case file(String)
        case text(String)
    }

    /// What the last successful read of the files saw.
    struct LoadState: Sendable {
        var schema: NamespaceSchema?
        var lookup: FrozenKeyIndex?
        var signature: FileSignature?
        var generation: UInt64 = 0
    }

    /// How a reload went.
    enum ReloadOutcome: Sendable {
        /// Never loaded (a lazy namespace nobody read yet): nothing to reload.
        case notLoaded
        /// The values file is as it was.
        case unchanged
        /// A new snapshot is published; the `generated_at` before and after.
        case changed(before: String?, after: String?)
        /// The file changed but is invalid: the previous snapshot stays.
        case failed(OptionsError)
    }

    /// The slot's position in the store, and in each thread's snapshot cache.
    let index: Int
    let name: String
    let schemaSource: SchemaSource
    let valuesPath: String
    /// The generation of the published snapshot; 0 until the first load.
    let generation = Atomic<UInt64>(0)
    let published = Locked<Publication?>(nil)
    let loading = Locked(LoadState())

    init(index: Int, name: String, schema: SchemaSource, valuesPath: String) {
        self.index = index
        self.name = name
        self.schemaSource = schema
        self.valuesPath = valuesPath
    }

    /// The published snapshot, loading the namespace on first use.
    func snapshot(in cache: SnapshotCache) throws(OptionsError) -> Snapshot {
        try withSnapshot(in: cache) { $0 }
    }

    /// Runs `body` on the published snapshot, loading the namespace on first use. The fast path takes no lock and
    /// no reference count: the thread's cache holds the snapshot for as long as `body` runs, which must not read
    /// the store again.
    @inline(__always)
    func withSnapshot<Result>(in cache: SnapshotCache, _ body: (Snapshot) -> Result) throws(OptionsError) -> Result {
        let current = generation.load(ordering: .acquiring)
        if current != 0,
            let hit = cache.withCached(
                index,
                { snapshot -> Result? in
                    snapshot.generation == current ? body(snapshot) : nil
                })
        {
            return hit
        }
        return body(try refreshCache(cache.local()))
    }

    /// The slow path of `withSnapshot`: loads if needed, then puts the published snapshot into the thread's cache.
    @inline(never)
    func refreshCache(_ local: ThreadSnapshots?) throws(OptionsError) -> Snapshot {
        if generation.load(ordering: .acquiring) == 0 { try loadIfNeeded() }
        let snapshot = published.withLock { (publication: inout Publication?) -> Snapshot? in
            switch publication {
            case nil: return nil
            case .snapshot(let snapshot): return snapshot
            case .parts(let parts):
                let snapshot = Snapshot(parts)
                publication = .snapshot(snapshot)
                return snapshot
            }
        }
        guard let snapshot else { throw .schema("Namespace '\(name)' could not be loaded") }
        local?.store(snapshot, at: index)
        return snapshot
    }

    /// Reads the schema and values once; later calls return at once.
    func loadIfNeeded() throws(OptionsError) {
        try loading.withLock { (state: inout LoadState) throws(OptionsError) -> Void in
            guard state.generation == 0 else { return }
            let schema = try readSchema()
            // The signature is taken before the read: a change in between is seen again by the next reload.
            let signature = FileSignature(of: valuesPath)
            let values = try readValues(schema: schema)
            let lookup = schema.options.index.frozen()
            state.schema = schema
            state.lookup = lookup
            state.signature = signature
            publish(Publication.Parts(generation: 1, schema: schema, lookup: lookup, values: values), &state)
        }
    }

    /// Reads the values file again when its signature changed; a bad file leaves the published snapshot in place
    /// and the signature unrecorded, so the next reload tries again.
    func reload() -> ReloadOutcome {
        loading.withLock { (state: inout LoadState) -> ReloadOutcome in
            guard state.generation != 0, let schema = state.schema, let lookup = state.lookup else { return .notLoaded }
            let signature = FileSignature(of: valuesPath)
            if signature == state.signature { return .unchanged }
            let values: LoadedValues
            do throws(OptionsError) {
                values = try readValues(schema: schema)
            } catch {
                return .failed(error)
            }
            let before = published.withLock { $0?.generatedAt }
            state.signature = signature
            publish(
                Publication.Parts(generation: state.generation + 1, schema: schema, lookup: lookup, values: values),
                &state)
            return .changed(before: before, after: values.generatedAt)
        }
    }

    /// Publishes what a snapshot is made from; the first read after makes the snapshot.
    func publish(_ parts: Publication.Parts, _ state: inout LoadState) {
        published.withLock { $0 = .parts(parts) }
        state.generation = parts.generation
        generation.store(parts.generation, ordering: .releasing)
    }

    func readSchema() throws(OptionsError) -> NamespaceSchema {
        switch schemaSource {
        case .file(let path):
            guard let bytes = try Files.contents(of: path) else {
                throw .schema("Schema error in \(path): file not found")
            }
            return try OptionsStore.schema(bytes, namespace: name, file: path)
        case .text(let text):
            return try OptionsStore.schema(Array(text.utf8), namespace: name, file: "<embedded>")
        }
    }

    /// The values file's options and `generated_at`; no file means no values (the schema defaults apply).
    func readValues(schema: NamespaceSchema) throws(OptionsError) -> LoadedValues {
        guard let bytes = try Files.contents(of: valuesPath) else { return LoadedValues() }
        return try OptionsStore.values(bytes, schema: schema, file: valuesPath)
    }
}

/// One thread's copies of the snapshots it last read, by slot index. Only its own thread touches it, so reads
/// go without exclusivity checks or reference counting; the cache owns one reference to each snapshot it holds.
final class ThreadSnapshots {
    let snapshots: UnsafeMutableBufferPointer<Unmanaged<Snapshot>?>

    init(count: Int) {
        snapshots = .allocate(capacity: count)
        snapshots.initialize(repeating: nil)
    }

    /// Replaces the snapshot held for `index`.
    func store(_ snapshot: Snapshot, at index: Int) {
        let previous = snapshots[index]
        snapshots[index] = Unmanaged.passRetained(snapshot)
        previous?.release()
    }

    deinit {
        for snapshot in snapshots { snapshot?.release() }
        snapshots.deallocate()
    }
}
