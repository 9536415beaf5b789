import CPlatform
import OptionsSchema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tree on disk: the working directory of a repository, or any directory — read as hostile input.
///
/// Relative paths are taken from `root`; absolute paths are used as they are. Every read goes through one path:
/// - no symbolic link is followed below the root, or below a `trusted` directory (the layout's schemas and
///   values directories, which may themselves be links as long as they resolve inside the root, or anywhere when
///   the user named them by an absolute path); a link is an error when read by name and a skipped entry when listed;
/// - files are opened non-blocking and checked with `fstat` before reading: only regular files are read (a FIFO
///   or device is an error, not a hang), and a file over `maxFileSize` is an error before any byte is read.
///
/// ```swift
/// let source = WorktreeSource(root: ".", trusting: ["schemas", "option-values"])
/// let bytes = try source.contents(of: "schemas/seer/schema.json")
/// ```
public struct WorktreeSource: TreeSource {
    /// The root directory as the user gave it (`.` for the current directory).
    public let root: String
    /// The largest file read, in bytes.
    public var maxFileSize: Int
    /// The directories whose own path may contain links, longest first; everything below them is read without.
    let bases: [Base]

    /// The default `maxFileSize`: 16 MiB, a hundred times the largest schema of the large benchmark corpus.
    public static let defaultMaxFileSize = 16 << 20

    /// A directory reads start from: its tree path, and where it really is (or why it is refused).
    struct Base: Sendable {
        var treePath: String
        var realPath: Result<String, SourceError>
    }

    /// Creates a source reading below `root`.
    /// - Parameters:
    ///   - trusted: tree paths of directories that may be reached through links (relative ones only when the link
    ///     resolves inside the root); everything below them, and below the root, is read without following links.
    ///   - maxFileSize: the largest file read.
    public init(root: String = ".", trusting trusted: [String] = [], maxFileSize: Int = defaultMaxFileSize) {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "." : root
        self.maxFileSize = maxFileSize
        let rootReal = Self.realPath(self.root)
        var bases = [Base(treePath: "", realPath: rootReal.map { .success($0) } ?? .failure(.notFound(self.root)))]
        for directory in Set(trusted) where !directory.isEmpty {
            var full =
                directory.hasPrefix("/") ? directory : (self.root == "." ? directory : self.root + "/" + directory)
            while full.count > 1 && full.hasSuffix("/") { full.removeLast() }
            let shown = full.hasPrefix("./") ? String(full.dropFirst(2)) : full
            guard let real = Self.realPath(full) else {
                // Missing for now: reads below it fail as not found, through the root without links.
                continue
            }
            if !directory.hasPrefix("/"), let rootReal,
                real != rootReal && !real.hasPrefix(rootReal == "/" ? "/" : rootReal + "/")
            {
                bases.append(
                    Base(
                        treePath: directory,
                        realPath: .failure(
                            .unreadable(
                                shown, reason: "it is a symbolic link to '\(real)', outside the root; not followed"))))
            } else {
                bases.append(Base(treePath: directory, realPath: .success(real)))
            }
        }
        self.bases = bases.sorted { $0.treePath.count > $1.treePath.count }
    }

    /// The trusted directories refused because they are links leaving the root (each read below them fails).
    public var refusals: [SourceError] {
        bases.compactMap { base in
            if case .failure(let error) = base.realPath, case .unreadable = error { return error }
            return nil
        }
    }

    /// `path` with every link resolved, or `nil` when it does not exist.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The file-system path of a tree path (for messages and display).
    public func fileSystemPath(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        if path.isEmpty { return root }
        if root == "." { return path }
        return root == "/" ? "/" + path : root + "/" + path
    }

    public func displayPath(_ path: String) -> String {
        let full = fileSystemPath(path)
        return full.hasPrefix("./") ? String(full.dropFirst(2)) : full
    }

    /// Opens `path` with `flags` the one way every read goes: from its base directory, no link followed below it.
    func open(_ path: String, _ flags: Int32) throws(SourceError) -> Int32 {
        let base: Base
        var rest: String
        func covers(_ base: Base) -> Bool {
            base.treePath.isEmpty
                ? !path.hasPrefix("/") : path == base.treePath || path.hasPrefix(base.treePath + "/")
        }
        if let match = bases.first(where: covers) {
            base = match
            rest =
                path == match.treePath
                ? "" : String(path.dropFirst(match.treePath.isEmpty ? 0 : match.treePath.count + 1))
        } else if path.hasPrefix("/") {
            // An absolute path no base covers: its directory as given, no link below it.
            let slash = path.lastIndex(of: "/")!
            let directory = slash == path.startIndex ? "/" : String(path[..<slash])
            base = Base(treePath: directory, realPath: .success(directory))
            rest = String(path[path.index(after: slash)...])
        } else {
            throw .notFound(displayPath(path))
        }
        let directory = try base.realPath.get()
        if rest.isEmpty { rest = "." }
        let baseDescriptor = systemOpen(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard baseDescriptor >= 0 else { throw Self.error(errno, displayPath(path)) }
        defer { close(baseDescriptor) }
        let descriptor = rest == "." ? dup(baseDescriptor) : optionsctl_open_beneath(baseDescriptor, rest, flags)
        guard descriptor >= 0 else { throw Self.error(errno, displayPath(path)) }
        return descriptor
    }

    static func error(_ code: Int32, _ shown: String) -> SourceError {
        switch code {
        case ENOENT: .notFound(shown)
        case ELOOP, EXDEV:
            .unreadable(
                shown, reason: "it is, or is reached through, a symbolic link; links in the tree are not followed")
        case ENOTDIR: .notADirectory(shown)
        default: .unreadable(shown, reason: String(cString: strerror(code)))
        }
    }

    /// Flags that open a path only to look at it: `O_PATH` on Linux (also for a link itself with `O_NOFOLLOW`).
    static let lookFlags = optionsctl_look_flags()

    public func kind(of path: String) -> EntryKind? {
        guard let descriptor = try? open(path, Self.lookFlags) else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        return Self.kind(mode: info.st_mode)
    }

    static func kind(mode: mode_t) -> EntryKind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        default: .other
        }
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }

    public func entries(of directory: String) throws(SourceError) -> [DirectoryEntry] {
        let descriptor = try open(directory, O_RDONLY | O_DIRECTORY)
        guard let handle = fdopendir(descriptor) else {
            let code = errno
            close(descriptor)
            throw Self.error(code, displayPath(directory))
        }
        defer { closedir(handle) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if name == "." || name == ".." { continue }
            var mode = mode_t(0)
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): mode = S_IFREG
            case Int32(DT_DIR): mode = S_IFDIR
            case Int32(DT_LNK): mode = S_IFLNK
            case Int32(DT_UNKNOWN):
                var info = stat()
                if fstatat(dirfd(handle), name, &info, AT_SYMLINK_NOFOLLOW) == 0 { mode = info.st_mode & S_IFMT }
            default: mode = 0
            }
            // A link is listed as what it is, never as what it points to: nothing below the root is followed.
            entries.append(DirectoryEntry(name: name, kind: Self.kind(mode: mode), isSymbolicLink: mode == S_IFLNK))
        }
        entries.sort { JSONWriter.utf8Precedes($0.name, $1.name) }
        return entries
    }

    public func contents(of path: String) throws(SourceError) -> [UInt8] {
        let fd = try open(path, O_RDONLY | O_NONBLOCK)
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(displayPath(path), reason: Self.errorText()) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable(displayPath(path), reason: "it is a directory")
        default: throw .unreadable(displayPath(path), reason: "not a regular file (a FIFO, socket or device); not read")
        }
        let limit = maxFileSize
        if Int(info.st_size) > limit { throw Self.tooLarge(displayPath(path), size: Int(info.st_size), limit: limit) }
        var capacity = min(max(Int(info.st_size), 0), limit) + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == capacity {
                // The file grew while being read: read on, up to the limit.
                guard capacity <= limit else { throw Self.tooLarge(displayPath(path), size: count, limit: limit) }
                capacity = min(capacity * 2, limit + 1)
                bytes += [UInt8](repeating: 0, count: capacity - bytes.count)
            }
            let result = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + count, capacity - count)
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw .unreadable(displayPath(path), reason: Self.errorText())
            }
            if result == 0 { break }
            count += result
            // A regular file read to its reported size is complete; skip the extra read that would return 0.
            if count == Int(info.st_size) && info.st_size > 0 { break }
        }
        if count > limit { throw Self.tooLarge(displayPath(path), size: count, limit: limit) }
        bytes.removeLast(bytes.count - count)
        return bytes
    }

    /// The error for a file over the size limit.
    static func tooLarge(_ shown: String, size: Int, limit: Int) -> SourceError {
        .unreadable(shown, reason: "it is \(size) bytes, over the limit of \(limit) (raise it with --max-file-size)")
    }
}

/// `open(2)`, which the sources' own `open` methods hide.
func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
    #if canImport(Darwin)
        Darwin.open(path, flags)
    #elseif canImport(Musl)
        Musl.open(path, flags)
    #else
        Glibc.open(path, flags)
    #endif
}

/// The name of a directory entry from `readdir`, read in place: `readdir` returns records only as long as their
/// name (`d_reclen`), so copying the whole `d_name` array out of the last record of a buffer reads past its end
/// (found by AddressSanitizer).
func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
}
