// `sentry-options-cli`: the sentry-options CLI's command surface, served by the `optionsctl` binary beside this
// one. `swift build` leaves both in the same directory; this launcher runs `optionsctl` under this name (argv[0]),
// which is how optionsctl chooses the surface. Release tarballs ship a symbolic link instead.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes `text` to stderr.
func complain(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

/// The path of this executable, links resolved.
func executablePath() -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    #if canImport(Darwin)
        var size = UInt32(buffer.count)
        guard _NSGetExecutablePath(&buffer, &size) == 0 else { return nil }
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard realpath(buffer, &resolved) != nil else { return nil }
        return String(cString: resolved)
    #else
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    #endif
}

guard let path = executablePath(), let slash = path.lastIndex(of: "/") else {
    complain("sentry-options-cli: cannot find its own path to run optionsctl beside it\n")
    exit(2)
}
let directory = String(path[..<slash])
let optionsctl = directory + "/optionsctl"
var arguments: [UnsafeMutablePointer<CChar>?] = [strdup(directory + "/sentry-options-cli")]
arguments += CommandLine.arguments.dropFirst().map { strdup($0) }
arguments.append(nil)
execv(optionsctl, arguments)
complain("sentry-options-cli: cannot run \(optionsctl): \(String(cString: strerror(errno)))\n")
exit(2)
