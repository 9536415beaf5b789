#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system calls the store needs, without Foundation.
enum Files {
    /// Whether `path` exists (following symbolic links) and is a directory.
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The names in a directory (without `.` and `..`), sorted; `nil` when it cannot be listed.
    static func names(in directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = entryName(entry)
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The bytes of a file; `nil` when it does not exist; throws the reason when it cannot be read.
    static func contents(of path: String) throws(OptionsError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return nil }
            throw .schema("Failed to read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        // Read straight into an array sized from `fstat`, one byte over so the end shows without another read; a
        // file that grows meanwhile is read on in chunks.
        var failure: Int32 = 0
        /// One `read` into `buffer`, again after a signal; 0 at the end or on failure (kept in `failure`).
        func readSome(_ buffer: UnsafeMutableRawBufferPointer) -> Int {
            while true {
                let got = read(descriptor, buffer.baseAddress, buffer.count)
                if got < 0 && errno == EINTR { continue }
                if got < 0 { failure = errno }
                return max(got, 0)
            }
        }
        var info = stat()
        let expected = fstat(descriptor, &info) == 0 ? max(Int(info.st_size), 0) : 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, count in
            count = 0
            while count < buffer.count {
                let rest = UnsafeMutableBufferPointer(rebasing: buffer[count...])
                let got = readSome(UnsafeMutableRawBufferPointer(rest))
                if got == 0 { return }
                count += got
            }
        }
        if bytes.count > expected {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let got = chunk.withUnsafeMutableBytes { readSome($0) }
                if got == 0 { break }
                bytes += chunk[0..<got]
            }
        }
        if failure != 0 { throw .schema("Failed to read \(path): \(String(cString: strerror(failure)))") }
        return bytes
    }

    /// An environment variable, `nil` when unset (an empty value is returned as set, as the reference does).
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// A modification time.
    struct Stamp: Equatable, Sendable {
        var seconds = 0
        var nanoseconds = 0
    }

    /// What `stat` says of a file (following symbolic links); `nil` when it cannot be stat'ed.
    static func status(of path: String) -> (modified: Stamp, size: Int, device: UInt64, inode: UInt64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = Stamp(seconds: info.st_mtimespec.tv_sec, nanoseconds: info.st_mtimespec.tv_nsec)
        #else
            let modified = Stamp(seconds: info.st_mtim.tv_sec, nanoseconds: info.st_mtim.tv_nsec)
        #endif
        return (modified, Int(info.st_size), UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// The path with every symbolic link resolved; `nil` when it cannot be resolved.
    static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// A monotonic clock in nanoseconds, coarse (a few milliseconds) where the system has a cheaper coarse one:
    /// enough to tell whether a refresh interval of seconds has passed, on every read.
    @inline(__always)
    static func monotonicNanoseconds() -> Int64 {
        var time = timespec()
        #if os(Linux)
            clock_gettime(CLOCK_MONOTONIC_COARSE, &time)
        #else
            clock_gettime(CLOCK_MONOTONIC, &time)
        #endif
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    /// The current UTC time in seconds since 1970.
    static func currentTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// The name of a directory entry from `readdir`, read in place: `readdir` returns records only as long as their
/// name (`d_reclen`), so copying the whole `d_name` array out of the last record of a buffer reads past its end
/// (found by AddressSanitizer).
func entryName(_ entry: UnsafeMutablePointer<dirent>) -> String {
    let offset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 0
    return String(cString: (UnsafeRawPointer(entry) + offset).assumingMemoryBound(to: CChar.self))
}
