#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Prints how long each phase took to stderr when `OPTIONSCTL_TIMINGS` is set; costs nothing otherwise.
public struct PhaseTimer {
    let isEnabled = getenv("OPTIONSCTL_TIMINGS") != nil
    var last = PhaseTimer.now()

    /// Starts timing now.
    public init() {}

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Prints the time since the last mark (or the start), labelled `phase`, when timings are enabled.
    public mutating func mark(_ phase: String) {
        guard isEnabled else { return }
        let now = Self.now()
        var line = "optionsctl timing: \(phase): \(Int(((now - last) * 1000).rounded())) ms\n"
        last = now
        line.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
