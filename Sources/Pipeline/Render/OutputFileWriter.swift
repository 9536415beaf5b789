#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one file atomically: the bytes go to a new temporary file beside it, which is synced and then renamed
/// over the path, so a reader sees the old file or the new one, never a part, and a killed run leaves the old
/// file (and at most a temporary file starting with `.optionsctl-`) behind.
///
/// The rename replaces what is at the path itself: a symbolic link there is replaced, never followed, and a
/// directory there is an error.
///
/// ```swift
/// try OutputFileWriter.write(Array(yaml.utf8), to: "deploy/configmap.yaml")
/// ```
public enum OutputFileWriter {
    /// Writes `bytes` to `path` (mode 0644), creating missing parent directories.
    /// Why a file was not written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// `cannot write '<path>': <reason>`.
        public var description: String
    }

    /// Writes `bytes` to `path` (mode 0644), creating missing parent directories.
    /// - Throws: `Failure` naming the path when a directory cannot be created or the file cannot be written.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        var directory = "."
        var name = path
        if let slash = path.lastIndex(of: "/") {
            directory = slash == path.startIndex ? "/" : String(path[..<slash])
            name = String(path[path.index(after: slash)...])
        }
        guard !name.isEmpty, name != ".", name != ".." else { throw failure(path, "it names a directory") }
        do {
            try StagedDirectory.createDirectories(directory)
        } catch {
            throw Failure(description: "cannot write '\(path)': \(error)")
        }
        var info = stat()
        if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { throw failure(path, "it is a directory") }
        var template = Array((directory + "/.optionsctl-" + name + ".XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw failure(path, "cannot create a temporary file beside it (\(String(cString: strerror(errno))))")
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var written = 0
        let complete = bytes.withUnsafeBytes { buffer -> Bool in
            while written < buffer.count {
                let count = systemWrite(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if count < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += count
            }
            return true
        }
        let synced = complete && fchmod(descriptor, 0o644) == 0 && fsync(descriptor) == 0
        let closed = close(descriptor) == 0
        guard synced && closed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw failure(path, reason)
        }
    }

    static func failure(_ path: String, _ reason: String) -> Failure {
        Failure(description: "cannot write '\(path)': \(reason)")
    }
}
