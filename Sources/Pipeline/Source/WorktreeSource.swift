import OptionsSchema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tree on disk: the working directory of a repository, or any directory.
///
/// Relative paths are taken from `root`; absolute paths are used as they are.
public struct WorktreeSource: TreeSource {
    /// The root directory as the user gave it (`.` for the current directory).
    public let root: String

    /// Creates a source reading below `root`.
    public init(root: String = ".") {
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root.isEmpty ? "." : root
    }

    /// The file-system path of a tree path.
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

    public func kind(of path: String) -> EntryKind? {
        var info = stat()
        guard stat(fileSystemPath(path), &info) == 0 else { return nil }
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
        let path = fileSystemPath(directory)
        guard let handle = opendir(path) else {
            switch errno {
            case ENOENT: throw .notFound(displayPath(directory))
            case ENOTDIR: throw .notADirectory(displayPath(directory))
            default: throw .unreadable(displayPath(directory), reason: Self.errorText())
            }
        }
        defer { closedir(handle) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            var kind: EntryKind
            var isLink = false
            switch Int32(type) {
            case Int32(DT_REG): kind = .file
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK):
                isLink = true
                kind = self.kind(of: joinPath(directory, name)) ?? .other
            case Int32(DT_UNKNOWN):
                var info = stat()
                let full = path == "/" ? "/" + name : path + "/" + name
                if lstat(full, &info) == 0 {
                    if info.st_mode & S_IFMT == S_IFLNK {
                        isLink = true
                        kind = self.kind(of: joinPath(directory, name)) ?? .other
                    } else {
                        kind = Self.kind(mode: info.st_mode)
                    }
                } else {
                    kind = .other
                }
            default: kind = .other
            }
            entries.append(DirectoryEntry(name: name, kind: kind, isSymbolicLink: isLink))
        }
        entries.sort { JSONWriter.utf8Precedes($0.name, $1.name) }
        return entries
    }

    public func contents(of path: String) throws(SourceError) -> [UInt8] {
        let fd = open(fileSystemPath(path), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { throw .notFound(displayPath(path)) }
            throw .unreadable(displayPath(path), reason: Self.errorText())
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(displayPath(path), reason: Self.errorText()) }
        if info.st_mode & S_IFMT == S_IFDIR { throw .unreadable(displayPath(path), reason: "it is a directory") }
        var capacity = max(Int(info.st_size), 0) + 1
        var bytes = [UInt8](repeating: 0, count: capacity)
        var count = 0
        while true {
            if count == capacity {
                capacity *= 2
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
        bytes.removeLast(bytes.count - count)
        return bytes
    }
}
