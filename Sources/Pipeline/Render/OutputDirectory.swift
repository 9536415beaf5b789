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
    public func write(_ files: [(name: String, bytes: [UInt8])]) throws(SourceError) -> Summary {
        try createDirectories(path)
        let previous = manifest()
        for file in files {
            guard Self.isContained(file.name) else { throw .unreadable(file.name, reason: "not inside \(path)") }
            if let slash = file.name.lastIndex(of: "/") { try createDirectories(path + "/" + file.name[..<slash]) }
            try writeAtomically(file.bytes, to: file.name)
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

    func writeAtomically(_ bytes: [UInt8], to name: String) throws(SourceError) {
        let final = path + "/" + name
        let temporary = final + ".optionsctl-tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .unreadable(final, reason: "cannot write: \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(fd, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                unlink(temporary)
                throw .unreadable(final, reason: "cannot write: \(reason)")
            }
            offset += written
        }
        // Readers see the old file or the new one, never a partial one; fsync per file would cost more than the
        // whole render of a large tree, and a CI output directory is regenerated after a crash anyway.
        guard close(fd) == 0, rename(temporary, final) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .unreadable(final, reason: "cannot write: \(reason)")
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
