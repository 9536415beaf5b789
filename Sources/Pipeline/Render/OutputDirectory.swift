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

    /// Writes `files`, then removes the files the previous manifest lists within `scope` that are not among
    /// them, then records the new manifest (the kept records of other targets and namespaces, and `files`).
    /// - Throws: `SourceError` when a directory cannot be created or a file cannot be written.
    public func write(_ files: [OutputFile], scope: OutputScope) async throws(SourceError) -> Summary {
        for file in files where !Self.isContained(file.name) || file.name == Self.manifestName {
            throw .unreadable(file.name, reason: "not inside \(path)")
        }
        var status = stat()
        if lstat(path, &status) != 0 && errno == ENOENT, let summary = try await writeNew(files) {
            return summary
        }
        try createDirectories(path)
        let previous = manifest()
        try createSubdirectories(of: files.map(\.name), in: path)
        // Every file goes to a temporary name first, on all cores; only when all of them are written are they
        // renamed into place, so a failure (a full disk) leaves the directory as it was.
        let outcomes = await concurrentMap(files) { [self] file -> Result<String, SourceError> in
            do throws(SourceError) {
                return .success(try writeTemporary(file.bytes, for: file.name))
            } catch {
                return .failure(error)
            }
        }
        var temporaries: [String] = []
        var failure: SourceError?
        for outcome in outcomes {
            switch outcome {
            case .success(let temporary): temporaries.append(temporary)
            case .failure(let error): failure = failure ?? error
            }
        }
        if let failure {
            for temporary in temporaries { unlink(temporary) }
            throw failure
        }
        for (index, (file, temporary)) in zip(files, temporaries).enumerated()
        where rename(temporary, path + "/" + file.name) != 0 {
            let reason = String(cString: strerror(errno))
            for leftover in temporaries[index...] { unlink(leftover) }
            throw .unreadable(path + "/" + file.name, reason: "cannot write: \(reason)")
        }
        let (stale, kept) = Self.partition(previous, producing: files, scope: scope)
        var removed: [String] = []
        for record in stale where removeGeneratedFile(record.name) { removed.append(record.name) }
        try writeAtomically(Self.manifestText(kept + files.map(Self.record)), to: Self.manifestName)
        return Summary(written: files.map(\.name), removed: removed)
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

    /// Opens the directory that holds `name` below the output directory without following a symbolic link at
    /// any step below it; returns its descriptor (the caller closes it) and the file's last component.
    func parentDescriptor(of name: String) -> (descriptor: Int32, last: String)? {
        guard Self.isContained(name) else { return nil }
        var parts = name.split(separator: "/").map(String.init)
        let last = parts.removeLast()
        var descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        for part in parts {
            let next = openat(descriptor, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(descriptor)
            guard next >= 0 else { return nil }
            descriptor = next
        }
        return (descriptor, last)
    }

    /// The bytes of the regular file `name` below the directory, or `nil` when it is missing, is not a regular
    /// file, or is reached through a symbolic link.
    func readGeneratedFile(_ name: String) -> [UInt8]? {
        guard let (directory, last) = parentDescriptor(of: name) else { return nil }
        defer { close(directory) }
        let descriptor = openat(directory, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
        }
    }

    /// Removes the regular file `name` below the directory; never a directory, a link or anything reached
    /// through a link. Returns whether a file was removed.
    func removeGeneratedFile(_ name: String) -> Bool {
        guard let (directory, last) = parentDescriptor(of: name) else { return false }
        defer { close(directory) }
        var info = stat()
        guard fstatat(directory, last, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFREG else {
            return false
        }
        return unlinkat(directory, last, 0) == 0
    }

    /// Writes `files` and the manifest into a sibling staging directory, then renames it to `path`, which does not
    /// exist yet: the directory appears whole or not at all, and no file needs a rename of its own. Returns `nil`
    /// (leaving nothing behind) when the staging directory cannot be used, e.g. `path` appeared meanwhile.
    func writeNew(_ files: [OutputFile]) async throws(SourceError) -> Summary? {
        var target = path
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        if let slash = target.lastIndex(of: "/"), slash != target.startIndex {
            try createDirectories(String(target[..<slash]))
        }
        let staging = target + ".optionsctl-tmp-\(getpid())"
        let shownPath = target
        guard mkdir(staging, 0o755) == 0 else { return nil }
        var created: [String] = []
        do throws(SourceError) {
            created = try createSubdirectories(of: files.map(\.name), in: staging)
            let outcomes = await concurrentMap(files) { file -> SourceError? in
                do throws(SourceError) {
                    try Self.writeFile(
                        file.bytes, to: staging + "/" + file.name, shownAs: shownPath + "/" + file.name)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = outcomes.lazy.compactMap({ $0 }).first { throw failure }
            try Self.writeFile(
                Self.manifestText(files.map(Self.record)), to: staging + "/" + Self.manifestName,
                shownAs: target + "/" + Self.manifestName)
            if rename(staging, target) == 0 { return Summary(written: files.map(\.name), removed: []) }
        } catch {
            Self.removeStaging(staging, files: files.map(\.name), directories: created)
            throw error
        }
        Self.removeStaging(staging, files: files.map(\.name), directories: created)
        return nil
    }

    /// Removes what `writeNew` put into `staging`: its files, the manifest, the directories it created (deepest
    /// first), then `staging` itself.
    static func removeStaging(_ staging: String, files: [String], directories: [String]) {
        for name in files + [manifestName] { unlink(staging + "/" + name) }
        for directory in directories.reversed() { rmdir(directory) }
        rmdir(staging)
    }

    /// Creates the directories the file names need below `root`; returns the ones created, parents first.
    @discardableResult
    func createSubdirectories(of names: [String], in root: String) throws(SourceError) -> [String] {
        var seen: Set<Substring> = []
        var created: [String] = []
        for name in names {
            guard let slash = name.lastIndex(of: "/") else { continue }
            var prefix = name[..<slash]
            var missing: [String] = []
            while seen.insert(prefix).inserted {
                missing.append(root + "/" + prefix)
                guard let parent = prefix.lastIndex(of: "/") else { break }
                prefix = prefix[..<parent]
            }
            for directory in missing.reversed() {
                if mkdir(directory, 0o755) == 0 {
                    created.append(directory)
                } else if errno != EEXIST {
                    throw .unreadable(
                        directory, reason: "cannot create directory: \(String(cString: strerror(errno)))")
                }
            }
        }
        return created
    }

    func createDirectories(_ directory: String) throws(SourceError) {
        var current = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .unreadable(directory, reason: "cannot create directory: \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .notADirectory(directory)
        }
    }

    /// Writes `bytes` to `name` through a temporary file renamed into place: readers see the old file or the
    /// new one, never a partial one.
    func writeAtomically(_ bytes: [UInt8], to name: String) throws(SourceError) {
        let temporary = try writeTemporary(bytes, for: name)
        guard rename(temporary, path + "/" + name) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unreadable(path + "/" + name, reason: "cannot write: \(reason)")
        }
    }

    /// Writes `bytes` to a temporary file next to `name` and returns its path.
    ///
    /// No fsync: it would cost more than the whole render of a large tree, and a CI output directory is
    /// regenerated after a crash anyway.
    func writeTemporary(_ bytes: [UInt8], for name: String) throws(SourceError) -> String {
        let final = path + "/" + name
        let temporary = final + ".optionsctl-tmp-\(getpid())"
        try Self.writeFile(bytes, to: temporary, shownAs: final)
        return temporary
    }

    /// Writes `bytes` to the file `file` (created or truncated); on failure the file is removed and the error
    /// names `shownAs`.
    static func writeFile(_ bytes: [UInt8], to file: String, shownAs: String) throws(SourceError) {
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(shownAs, reason: "cannot write: \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(fd, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(file)
                throw .unreadable(shownAs, reason: "cannot write: \(reason)")
            }
            offset += written
        }
        guard close(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(file)
            throw .unreadable(shownAs, reason: "cannot write: \(reason)")
        }
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
