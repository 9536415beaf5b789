import CPlatform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The file-system steps of an all-or-nothing directory replacement, every one relative to directory descriptors
/// and without following a symbolic link:
///
/// 1. create a fresh staging directory beside the output (`mkdtemp`: an unpredictable name, mode 0700 while it is
///    built) and hold an exclusive `flock` on it for the whole run;
/// 2. remove what killed runs left beside the output: `<name>.optionsctl-*` directories nobody holds a lock on;
/// 3. lock the existing output directory (`flock`; the lock follows the directory, and is taken again when a
///    concurrent run swapped it meanwhile), so concurrent writers of one output take turns;
/// 4. build the complete new content in the staging directory: files kept from the old content are hard-linked
///    in, new files created with `O_CREAT | O_EXCL | O_NOFOLLOW`;
/// 5. swap it with the output in one step (`renameat2(RENAME_EXCHANGE)`), or rename it into place when the output
///    does not exist yet;
/// 6. remove the old content, now at the staging name.
///
/// A run killed at any point leaves the output as it was or as it should be, never a mix; what it staged is
/// removed by the next run.
struct StagedDirectory: Sendable {
    /// The output directory's parent, opened and locked.
    let parent: Int32
    /// The output directory's name in `parent`.
    let name: String
    /// The staging directory's name in `parent`.
    let stagingName: String
    /// The staging directory, opened.
    let staging: Int32
    /// How the output is shown in messages.
    let shown: String

    /// The suffix of staging directories: `<name>.optionsctl-XXXXXX`.
    static let stagingMarker = ".optionsctl-"

    /// Opens and locks the parent of `path` (created when missing), removes leftovers, and creates the staging
    /// directory.
    init(path: String) async throws(SourceError) {
        var target = path
        while target.count > 1 && target.hasSuffix("/") { target.removeLast() }
        shown = target
        let parentPath: String
        if let slash = target.lastIndex(of: "/") {
            parentPath = slash == target.startIndex ? "/" : String(target[..<slash])
            name = String(target[target.index(after: slash)...])
        } else {
            parentPath = "."
            name = target
        }
        guard !name.isEmpty, name != ".", name != ".." else {
            throw .unreadable(shown, reason: "cannot write into it: name the output directory itself")
        }
        try Self.createDirectories(parentPath)
        parent = systemOpen(parentPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parent >= 0 else { throw Self.failure(shown, "cannot open its parent directory") }
        // Between mkdtemp and flock the new directory is unlocked, and a concurrent run removing leftovers may
        // take it for one and delete it: then this run makes another. Locked and still at its name, it is ours.
        var attempts = 0
        while true {
            var template = Array((parentPath + "/" + name + Self.stagingMarker + "XXXXXX").utf8CString)
            guard let created = mkdtemp(&template) else {
                close(parent)
                throw Self.failure(shown, "cannot create a staging directory beside it")
            }
            let stagingPath = String(cString: created)
            let candidate = String(stagingPath[stagingPath.index(after: stagingPath.lastIndex(of: "/")!)...])
            let descriptor = openat(parent, candidate, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0, Self.isAt(descriptor, candidate, in: parent)
            {
                stagingName = candidate
                staging = descriptor
                break
            }
            if descriptor >= 0 { close(descriptor) }
            attempts += 1
            guard attempts < 32 else {
                close(parent)
                throw Self.failure(shown, "cannot open its staging directory")
            }
        }
        Self.removeLeftovers(of: name, except: stagingName, in: parent)
    }

    /// Whether `descriptor` is the directory entry `name` of `parent` (same device and inode).
    static func isAt(_ descriptor: Int32, _ name: String, in parent: Int32) -> Bool {
        var opened = stat()
        var current = stat()
        return fstat(descriptor, &opened) == 0 && fstatat(parent, name, &current, AT_SYMLINK_NOFOLLOW) == 0
            && opened.st_ino == current.st_ino && opened.st_dev == current.st_dev
    }

    /// Opens and locks the existing output directory; when a concurrent run swapped it while this one waited,
    /// the new one is locked instead. Waiting does not block a thread of the cooperative pool.
    func lockExisting() async throws(SourceError) -> Int32 {
        while true {
            let descriptor = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { throw Self.failure(shown, "cannot open it") }
            while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    close(descriptor)
                    throw Self.failure(shown, "cannot lock it")
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
            var locked = stat()
            var current = stat()
            if fstat(descriptor, &locked) == 0, fstatat(parent, name, &current, AT_SYMLINK_NOFOLLOW) == 0,
                locked.st_ino == current.st_ino, locked.st_dev == current.st_dev
            {
                return descriptor
            }
            close(descriptor)
        }
    }

    /// What is at the output's name now.
    enum Existing {
        case nothing
        case directory(mode: mode_t)
        case other(String)
    }

    /// What the output path holds, without following a link there.
    func existing() -> Existing {
        var info = stat()
        guard fstatat(parent, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .nothing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory(mode: info.st_mode & 0o7777)
        case S_IFLNK: return .other("it is a symbolic link; output is never written through a link")
        default: return .other("it is not a directory")
        }
    }

    /// Hard-links every entry of `source` into `destination`, recursively, except the paths `skip` says to leave
    /// out; directories are recreated with their modes, links recreated as links (never followed). A path whose
    /// directory this run needs (`directories`) is recreated as a directory even if something else was there.
    func copy(
        from source: Int32, to destination: Int32, prefix: String, skip: (String, mode_t) -> Bool,
        directories: Set<String>
    ) throws(SourceError) {
        guard let listing = Self.names(in: source) else { throw Self.failure(shown + "/" + prefix, "cannot list it") }
        for entry in listing {
            let path = prefix.isEmpty ? entry : prefix + "/" + entry
            var info = stat()
            guard fstatat(source, entry, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let kind = info.st_mode & S_IFMT
            if skip(path, kind) { continue }
            if directories.contains(path) && kind != S_IFDIR { continue }
            switch kind {
            case S_IFDIR:
                guard mkdirat(destination, entry, info.st_mode & 0o7777) == 0 || errno == EEXIST else {
                    throw Self.failure(shown + "/" + path, "cannot recreate the directory")
                }
                let from = openat(source, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                let to = openat(destination, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                defer {
                    if from >= 0 { close(from) }
                    if to >= 0 { close(to) }
                }
                guard from >= 0, to >= 0 else { throw Self.failure(shown + "/" + path, "cannot open the directory") }
                try copy(from: from, to: to, prefix: path, skip: skip, directories: directories)
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlinkat(source, entry, &buffer, buffer.count - 1)
                guard count >= 0 else { throw Self.failure(shown + "/" + path, "cannot read the link") }
                buffer[count] = 0
                guard symlinkat(buffer, destination, entry) == 0 else {
                    throw Self.failure(shown + "/" + path, "cannot recreate the link")
                }
            case S_IFREG:
                guard linkat(source, entry, destination, entry, 0) == 0 else {
                    throw Self.failure(shown + "/" + path, "cannot keep the file (hard link)")
                }
            default:
                throw .unreadable(
                    shown + "/" + path,
                    reason: "a FIFO, socket or device in the output directory cannot be kept; remove it")
            }
        }
    }

    /// Creates the directories `paths` (relative, parents first) below `directory`.
    func createDirectories(_ paths: [String], in directory: Int32) throws(SourceError) {
        for path in paths.sorted(by: { $0.count < $1.count }) {
            guard let (parentDescriptor, last) = Self.parentDescriptor(of: path, in: directory) else {
                throw Self.failure(shown + "/" + path, "cannot create the directory")
            }
            defer { if parentDescriptor != directory { close(parentDescriptor) } }
            guard mkdirat(parentDescriptor, last, 0o755) == 0 || errno == EEXIST else {
                throw Self.failure(shown + "/" + path, "cannot create the directory")
            }
        }
    }

    /// Writes `bytes` to the new file `path` below `directory` (`O_CREAT | O_EXCL | O_NOFOLLOW`).
    func createFile(_ path: String, _ bytes: [UInt8], in directory: Int32) throws(SourceError) {
        guard let (parentDescriptor, last) = Self.parentDescriptor(of: path, in: directory) else {
            throw Self.failure(shown + "/" + path, "cannot write")
        }
        defer { if parentDescriptor != directory { close(parentDescriptor) } }
        let descriptor = openat(
            parentDescriptor, last, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(0o644))
        guard descriptor >= 0 else { throw Self.failure(shown + "/" + path, "cannot write") }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                systemWrite(descriptor, buffer.baseAddress! + offset, bytes.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                let error = Self.failure(shown + "/" + path, "cannot write")
                close(descriptor)
                throw error
            }
            offset += written
        }
        guard close(descriptor) == 0 else { throw Self.failure(shown + "/" + path, "cannot write") }
    }

    /// Puts the staging directory in place: renamed when nothing is there, else swapped in one step with the
    /// output (locked by this run), whose old content is then removed. Without an atomic swap (a file system that
    /// cannot), the old directory is renamed aside first: a moment without the directory, never a mix. Returns
    /// `false` when the output appeared while this run staged it as new: the caller starts again.
    func commit(mode: mode_t, replacing: Bool) throws(SourceError) -> Bool {
        fchmod(staging, mode)
        guard replacing else {
            if renameat(parent, stagingName, parent, name) == 0 { return true }
            if errno == EEXIST || errno == ENOTEMPTY || errno == EISDIR { return false }
            throw Self.failure(shown, "cannot move the new directory into place")
        }
        if optionsctl_exchange(parent, stagingName, name) == 0 {
            // The old content is now at the staging name.
            Self.removeTree(named: stagingName, in: parent)
            return true
        }
        guard errno == EINVAL || errno == ENOSYS || errno == ENOTSUP else {
            throw Self.failure(shown, "cannot swap the new directory into place")
        }
        let aside = stagingName + "-old"
        guard renameat(parent, name, parent, aside) == 0 else {
            throw Self.failure(shown, "cannot move the old directory aside")
        }
        guard renameat(parent, stagingName, parent, name) == 0 else {
            renameat(parent, aside, parent, name)
            throw Self.failure(shown, "cannot move the new directory into place")
        }
        Self.removeTree(named: aside, in: parent)
        return true
    }

    /// Removes the staging directory (after a failure) and unlocks.
    func discard() {
        Self.removeTree(named: stagingName, in: parent)
    }

    /// Closes the descriptors; closing the parent releases the lock.
    func finish() {
        close(staging)
        close(parent)
    }

    // MARK: helpers

    static func failure(_ shown: String, _ what: String) -> SourceError {
        .unreadable(shown, reason: "\(what): \(String(cString: strerror(errno)))")
    }

    /// The names in a directory (without `.` and `..`), from a duplicate of `descriptor`.
    static func names(in descriptor: Int32) -> [String]? {
        let duplicate = dup(descriptor)
        guard duplicate >= 0, let handle = fdopendir(duplicate) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The directory holding `path` below `directory` (no link followed on the way; `directory` itself when
    /// `path` has one component), and the last component.
    static func parentDescriptor(of path: String, in directory: Int32) -> (Int32, String)? {
        guard let slash = path.lastIndex(of: "/") else { return (directory, path) }
        let descriptor = optionsctl_open_beneath(directory, String(path[..<slash]), O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return nil }
        return (descriptor, String(path[path.index(after: slash)...]))
    }

    /// Removes `name` in `directory` and everything below it, without following links (they are unlinked).
    static func removeTree(named name: String, in directory: Int32) {
        let descriptor = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if descriptor >= 0 {
            for entry in names(in: descriptor) ?? [] {
                var info = stat()
                guard fstatat(descriptor, entry, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    removeTree(named: entry, in: descriptor)
                } else {
                    unlinkat(descriptor, entry, 0)
                }
            }
            close(descriptor)
            unlinkat(directory, name, AT_REMOVEDIR)
        } else {
            unlinkat(directory, name, 0)
        }
    }

    /// Removes the staging directories killed runs left beside `name`: those no live run holds a lock on.
    static func removeLeftovers(of name: String, except own: String, in parent: Int32) {
        let prefix = name + stagingMarker
        for entry in names(in: parent) ?? [] where entry.hasPrefix(prefix) && entry != own {
            let descriptor = openat(parent, entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            // A live run holds its staging directory's lock (and a swapped-out old one's) until it is done.
            guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { continue }
            removeTree(named: entry, in: parent)
        }
    }

    /// Creates `directory` and its missing parents.
    static func createDirectories(_ directory: String) throws(SourceError) {
        var current = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw failure(directory, "cannot create the directory")
            }
        }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .notADirectory(directory)
        }
    }
}
