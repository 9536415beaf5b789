#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file a render produces: where it goes inside the output directory, which namespace and target it belongs
/// to (what stale-file removal is scoped by), and its bytes.
public struct OutputFile: Sendable, Equatable {
    /// The relative path inside the output directory.
    public var name: String
    /// The namespace the file renders.
    public var namespace: String
    /// The target the file renders.
    public var target: String
    /// The content.
    public var bytes: [UInt8]

    /// Creates a file.
    public init(name: String, namespace: String, target: String, bytes: [UInt8]) {
        self.name = name
        self.namespace = namespace
        self.target = target
        self.bytes = bytes
    }
}

/// What a run renders, and so which files of earlier runs it may find stale: files of its targets (every target
/// when `targets` is `nil`), in its namespaces (every namespace when `namespaces` is `nil`). Files of other
/// targets or namespaces are kept, so one directory can take a run per region.
public struct OutputScope: Sendable, Equatable {
    /// The targets the run renders, or `nil` for every target.
    public var targets: Set<String>?
    /// The namespaces the run renders, or `nil` for every namespace.
    public var namespaces: Set<String>?

    /// Creates a scope.
    public init(targets: Set<String>?, namespaces: Set<String>? = nil) {
        self.targets = targets
        self.namespaces = namespaces
    }

    /// Every file of every target and namespace.
    public static let everything = OutputScope(targets: nil, namespaces: nil)

    /// Whether a file of `namespace` and `target` is the run's business.
    public func contains(namespace: String, target: String) -> Bool {
        (targets?.contains(target) ?? true) && (namespaces?.contains(namespace) ?? true)
    }
}

/// A directory optionsctl writes generated files into: each file atomically (temporary file, then rename), and
/// a manifest of what it generated for which namespace and target, so files an earlier run generated for the
/// targets and namespaces of this run, and that this run no longer produces, are removed, while files of other
/// targets and files optionsctl did not generate are never touched.
public struct OutputDirectory: Sendable {
    /// The directory.
    public let path: String
    /// The manifest file name inside it.
    public static let manifestName = ".optionsctl-generated"
    /// The manifest's first line; a manifest without it (from before scoped removal) lists nothing removable.
    static let manifestHeader = "# optionsctl-generated 2: target, namespace and file of each generated file"

    /// Creates a writer for `path` (created when missing).
    public init(path: String) { self.path = path }

    /// What a write did.
    public struct Summary: Sendable, Equatable {
        /// Files written, by name.
        public var written: [String]
        /// Stale files removed, by name.
        public var removed: [String]
    }

    /// What a write would do, without writing: for `--check`.
    public struct Plan: Sendable, Equatable {
        /// Files that do not exist yet.
        public var added: [String] = []
        /// Files that exist with other bytes: name and the bytes there now.
        public var changed: [Change] = []
        /// Files that exist with exactly these bytes.
        public var unchanged: [String] = []
        /// Stale files that would be removed.
        public var removed: [String] = []

        /// A file that exists with other bytes.
        public struct Change: Sendable, Equatable {
            /// The file's name.
            public var name: String
            /// What the directory holds now.
            public var current: [UInt8]
        }
    }

    /// One line of the manifest: a file an earlier run generated.
    struct Record: Sendable, Hashable {
        var target: String
        var namespace: String
        var name: String
    }

    /// Whether `name` is a relative path that stays inside the directory.
    static func isContained(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/")
            && !name.split(separator: "/", omittingEmptySubsequences: false)
                .contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }

    /// Replaces the directory's content, all or nothing: `files`, the files it holds that this run does not
    /// produce (other targets' files, files optionsctl did not write), minus the regular files the previous
    /// manifest lists within `scope` that this run no longer produces, plus the new manifest. The new content is
    /// built beside the directory and swapped in at once (`StagedDirectory`), under a lock on its parent, so
    /// readers and concurrent writers see the old content or the new, never a mix, and a killed run changes
    /// nothing.
    /// - Throws: `SourceError` when the directory cannot be prepared or a file cannot be written (the directory
    ///   is then as it was).
    public func write(_ files: [OutputFile], scope: OutputScope) async throws(SourceError) -> Summary {
        for file in files where !Self.isContained(file.name) || file.name == Self.manifestName {
            throw .unreadable(file.name, reason: "not inside \(path)")
        }
        // Twice at most: a directory staged as new that appeared meanwhile is replaced on the second try.
        for _ in 0..<2 {
            if let summary = try await replaceContent(with: files, scope: scope) { return summary }
        }
        throw .unreadable(path, reason: "it keeps being created by another run; try again")
    }

    /// One attempt of `write`; `nil` when the directory appeared while this run staged it as new.
    func replaceContent(with files: [OutputFile], scope: OutputScope) async throws(SourceError) -> Summary? {
        let stage = try await StagedDirectory(path: path)
        defer { stage.finish() }
        do throws(SourceError) {
            let names = Set(files.map(\.name))
            var directories: Set<String> = []
            for name in names {
                var parent = name
                while let slash = parent.lastIndex(of: "/") {
                    parent = String(parent[..<slash])
                    directories.insert(parent)
                }
            }
            var mode: mode_t = 0o755
            var kept: [Record] = []
            var removed: [String] = []
            var old: Int32 = -1
            defer { if old >= 0 { close(old) } }
            switch stage.existing() {
            case .other(let reason):
                throw .unreadable(path, reason: reason)
            case .directory(let existingMode):
                mode = existingMode
                old = try await stage.lockExisting()
                let partition = Self.partition(manifest(), producing: files, scope: scope)
                kept = partition.kept
                let stale = Set(partition.stale.map(\.name))
                // Stale names are left out only when they are regular files: nothing else is ever deleted.
                try stage.copy(
                    from: old, to: stage.staging, prefix: "",
                    skip: { name, kind in
                        if name == Self.manifestName || names.contains(name) { return true }
                        if stale.contains(name) && kind == S_IFREG {
                            removed.append(name)
                            return true
                        }
                        return false
                    }, directories: directories)
            case .nothing:
                break
            }
            try stage.createDirectories(Array(directories), in: stage.staging)
            // Every file on all cores; the staging directory is private to this run until the swap.
            let outcomes = await concurrentMap(files) { file -> SourceError? in
                do throws(SourceError) {
                    try stage.createFile(file.name, file.bytes, in: stage.staging)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = outcomes.lazy.compactMap({ $0 }).first { throw failure }
            try stage.createFile(
                Self.manifestName, Self.manifestText(kept + files.map(Self.record)), in: stage.staging)
            guard try stage.commit(mode: mode, replacing: old >= 0) else {
                stage.discard()
                return nil
            }
            return Summary(
                written: files.map(\.name), removed: removed.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        } catch {
            stage.discard()
            throw error
        }
    }

    /// What `write(files, scope:)` would do to the directory as it is now; reads, never writes.
    public func plan(_ files: [OutputFile], scope: OutputScope) -> Plan {
        var plan = Plan()
        for file in files {
            switch readGeneratedFile(file.name) {
            case nil: plan.added.append(file.name)
            case let current? where current == file.bytes: plan.unchanged.append(file.name)
            case let current?: plan.changed.append(Plan.Change(name: file.name, current: current))
            }
        }
        let (stale, _) = Self.partition(manifest(), producing: files, scope: scope)
        plan.removed = stale.map(\.name).filter { readGeneratedFile($0) != nil }
        return plan
    }

    /// Splits earlier records into the stale ones (in `scope`, not produced again) and the ones to keep (out of
    /// scope, not produced again); records of files produced again are replaced by the new ones.
    static func partition(_ previous: [Record], producing files: [OutputFile], scope: OutputScope) -> (
        stale: [Record], kept: [Record]
    ) {
        let names = Set(files.map(\.name))
        var stale: [Record] = []
        var kept: [Record] = []
        for record in previous where !names.contains(record.name) {
            if scope.contains(namespace: record.namespace, target: record.target) {
                stale.append(record)
            } else {
                kept.append(record)
            }
        }
        return (stale, kept)
    }

    static func record(_ file: OutputFile) -> Record {
        Record(target: file.target, namespace: file.namespace, name: file.name)
    }

    /// The manifest's bytes: the header, then `target<TAB>namespace<TAB>name` per record, sorted by name.
    static func manifestText(_ records: [Record]) -> [UInt8] {
        var unique: [String: Record] = [:]
        for record in records { unique[record.name] = record }
        let lines = unique.values.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }.map {
            "\($0.target)\t\($0.namespace)\t\($0.name)\n"
        }
        return Array((manifestHeader + "\n" + lines.joined()).utf8)
    }

    /// The records the last run left; lines that are not well-formed records (or a manifest without the header)
    /// give none, so a forged or foreign manifest cannot name a file to remove outside the directory's tree.
    func manifest() -> [Record] {
        guard let bytes = readGeneratedFile(Self.manifestName) else { return [] }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        guard lines.first == Substring(Self.manifestHeader) else { return [] }
        return lines.dropFirst().compactMap { line in
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty, Self.isContained(String(parts[2])),
                parts[2] != Substring(Self.manifestName)
            else {
                return nil
            }
            return Record(target: String(parts[0]), namespace: String(parts[1]), name: String(parts[2]))
        }
    }

    /// The bytes of the regular file `name` below the directory, or `nil` when it is missing, is not a regular
    /// file, or is reached through a symbolic link: read the one way the tree is read (`WorktreeSource`).
    func readGeneratedFile(_ name: String) -> [UInt8]? {
        guard Self.isContained(name) else { return nil }
        return try? WorktreeSource(root: path, maxFileSize: 4 * WorktreeSource.defaultMaxFileSize).contents(of: name)
    }
}

/// `write(2)`.
func systemWrite(_ descriptor: Int32, _ pointer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.write(descriptor, pointer, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, pointer, count)
    #else
        Glibc.write(descriptor, pointer, count)
    #endif
}
