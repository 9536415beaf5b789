import ArgumentParser
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// When text output is coloured.
enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    /// On a terminal, unless `NO_COLOR` is set.
    case auto
    /// Always, even into a pipe or with `NO_COLOR` (an explicit flag wins over the environment).
    case always
    /// Never.
    case never
}

/// `--color`, shared by every command.
struct ColorOptions: ParsableArguments {
    @Option(help: "Colour text output: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    /// Whether text written to `descriptor` (1 or 2) is coloured.
    func usesColor(on descriptor: Int32) -> Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let noColor = getenv("NO_COLOR"), noColor.pointee != 0 { return false }
            return isatty(descriptor) == 1
        }
    }

    /// Styles for text written to `descriptor`.
    func paint(on descriptor: Int32) -> Paint { Paint(isEnabled: usesColor(on: descriptor)) }
}
