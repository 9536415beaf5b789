#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A directory optionsctl writes generated files into: each file atomically (temporary file, then rename), and
/// a manifest of what it generated, so files an earlier run generated and this run does not are removed while
/// files optionsctl did not generate are never touched.
public struct OutputDirectory: Sendable {
    /// The directory.
    public let path: String
    /// The manifest file name inside it.
    public static let manifestName = ".optionsctl-generated"

    /// Creates a writer for `path` (created when missing).
    public init(path: String) { self.path = path }

    /// What a write did.
    public struct Summary: Sendable, Equatable {
        /// Files written, by name.
        public var written: [String]
        /// Stale files removed, by name.
        public var removed: [String]
    }

    /// Whether `name` is a relative path that stays inside the directory.
    static func isContained(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.split(separator: "/").contains("..")
    }

    /// Writes `files` (relative path → bytes), then removes files the previous manifest lists that are not among
    /// them, then records the new manifest.
    /// - Throws: `SourceError` when a directory cannot be created or a file cannot be written.
    public func write(_ files: [(name: String, bytes: [UInt8])]) async throws(SourceError) -> Summary {
        for file in files where !Self.isContained(file.name) {
            throw .unreadable(file.name, reason: "not inside \(path)")
        }
        var status = stat()
        if lstat(path, &status) != 0 && errno == ENOENT, let summary = try await writeNew(files) {
            return summary
        }
        try createDirectories(path)
        let previous = manifest()
        try createSubdirectories(of: files, in: path)
        // Every file goes to a temporary name first, on all cores; only when all of them are written are they
        // renamed into place, so a failure (a full disk) leaves the directory as it was.
        let outcomes = await concurrentMap(files.map { File(name: $0.name, bytes: $0.bytes) }) {
            [self] file -> Result<String, SourceError> in
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
        let names = Set(files.map(\.name))
        var removed: [String] = []
        for name in previous.sorted() where !names.contains(name) && Self.isContained(name) {
            if unlink(path + "/" + name) == 0 { removed.append(name) }
        }
        let manifestText = names.sorted().map { $0 + "\n" }.joined()
        try writeAtomically(Array(manifestText.utf8), to: Self.manifestName)
        return Summary(written: files.map(\.name), removed: removed)
    }

    /// Writes `files` and the manifest into a sibling staging directory, then renames it to `path`, which does not
    /// exist yet: the directory appears whole or not at all, and no file needs a rename of its own. Returns `nil`
    /// (leaving nothing behind) when the staging directory cannot be used, e.g. `path` appeared meanwhile.
    func writeNew(_ files: [(name: String, bytes: [UInt8])]) async throws(SourceError) -> Summary? {
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
            created = try createSubdirectories(of: files, in: staging)
            let outcomes = await concurrentMap(files.map { File(name: $0.name, bytes: $0.bytes) }) {
                file -> SourceError? in
                do throws(SourceError) {
                    try Self.writeFile(
                        file.bytes, to: staging + "/" + file.name, shownAs: shownPath + "/" + file.name)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = outcomes.lazy.compactMap({ $0 }).first { throw failure }
            let manifestText = Set(files.map(\.name)).sorted().map { $0 + "\n" }.joined()
            try Self.writeFile(
                Array(manifestText.utf8), to: staging + "/" + Self.manifestName,
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
    func createSubdirectories(of files: [(name: String, bytes: [UInt8])], in root: String) throws(SourceError)
        -> [String]
    {
        var seen: Set<Substring> = []
        var created: [String] = []
        for file in files {
            guard let slash = file.name.lastIndex(of: "/") else { continue }
            var prefix = file.name[..<slash]
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

    struct File: Sendable {
        var name: String
        var bytes: [UInt8]
    }

    /// The names the last run recorded.
    func manifest() -> Set<String> {
        guard let bytes = try? WorktreeSource(root: path).contents(of: Self.manifestName) else { return [] }
        return Set(String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init))
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
