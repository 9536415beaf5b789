import ArgumentParser
import CPlatform
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `optionsctl` command: subcommands over the pipeline library.
@main
struct OptionsCtl: AsyncParsableCommand {
    static let version = "0.1.0"

    /// What `--version` prints: the version, the commit the binary was built from (release builds, `ci/release`)
    /// and the C libraries it links, so a bug report says what ran.
    static let versionReport: String = {
        let commit = String(cString: optionsctl_build_commit())
        return """
            optionsctl \(version)
            commit \(commit.isEmpty ? "unknown (not built by ci/release)" : commit)
            libgit2 \(LibraryVersions.libgit2)
            libyaml \(LibraryVersions.libyaml)
            """
    }()

    static let configuration = CommandConfiguration(
        commandName: "optionsctl",
        abstract: "Check, merge, render and diff option schemas and values kept in git.",
        discussion: """
            Works on a sentry-options automator tree: schemas/<namespace>/schema.json and \
            option-values/<namespace>/<target>/*.yaml.

            Exit codes: 0 success, 1 problems found, 2 usage or environment error.
            """,
        version: versionReport,
        subcommands: [
            Lint.self, Show.self, Describe.self, List.self, SchemaCommand.self, Docs.self, Generate.self, Write.self,
            Diff.self,
            FlagCommand.self,
            Flags.self,
            FetchSchemas.self,
            CheckOptionUsage.self,
            Compat.self,
        ]
    )

    /// Runs the command with optionsctl's exit codes: usage errors exit 2 (not 64).
    static func main() async {
        optionsctl_tune_allocator()
        // The sentry-options CLI's surface: the binary invoked as sentry-options-cli, or `optionsctl compat`.
        let arguments = Array(CommandLine.arguments.dropFirst())
        let invokedAs = CommandLine.arguments.first?.split(separator: "/").last ?? ""
        if invokedAs == "sentry-options-cli" { await Compat.main(SentryOptionsCLI.self, arguments: arguments) }
        if arguments.first == "compat" { await Compat.main(Compat.self, arguments: Array(arguments.dropFirst())) }
        var timer = PhaseTimer()
        do {
            var command = try parseAsRoot()
            timer.mark("parse arguments")
            // Rules between known flags are checked only once parsing has found no unknown flag or argument, so a
            // typo is named first rather than hidden behind a rule it made fail.
            if let checked = command as? any CheckedArguments {
                do {
                    try checked.checkArguments()
                } catch let error as ValidationError {
                    let usage = usageString(for: type(of: command))
                    let name = type(of: command).configuration.commandName ?? ""
                    Output.standardError(
                        "Error: \(error.message)\nUsage: \(usage)\n  See 'optionsctl \(name) --help' for more information.\n"
                    )
                    terminate(2)
                }
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            let message = fullMessage(for: error)
            if exitCode(for: error) == .success {
                Output.standardOutput(message + "\n")
                terminate(0)
            }
            Output.standardError(message + "\n")
            terminate(2)
        }
    }
}

/// A command whose rules between flags are checked after parsing succeeded (ArgumentParser runs `validate()`
/// before it reports unknown flags, so a mistyped flag would be hidden behind the rule it broke).
protocol CheckedArguments {
    /// Throws `ValidationError` when the flags given do not go together.
    func checkArguments() throws
}

/// Ends the process with `code`.
func terminate(_ code: Int32) -> Never {
    exit(code)
}

/// Writing to the standard streams without Foundation.
enum Output {
    static func standardOutput(_ text: String) { write(text, to: 1) }
    static func standardError(_ text: String) { write(text, to: 2) }

    static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                #if canImport(Darwin)
                    let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #else
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                #endif
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// A fatal environment or usage problem: message on stderr, exit 2.
    static func fail(_ message: String) -> ExitCode {
        standardError("optionsctl: error: \(message)\n")
        return ExitCode(2)
    }

    /// Everything on standard input, or `nil` when it cannot be read or holds more than `limit` bytes.
    static func standardInput(limit: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { return bytes }
            bytes += chunk[..<count]
            if bytes.count > limit { return nil }
        }
    }

    /// The current directory.
    static var currentDirectory: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
