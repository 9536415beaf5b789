import ArgumentParser
import Pipeline

/// The sentry-options CLI's command surface (`sentry-options-cli` 1.2.5), on optionsctl's pipeline: the binary
/// invoked as `sentry-options-cli`, or `optionsctl compat …`. Same subcommands, flags, defaults, exit codes
/// (0, 1, 2) and stdout/stderr split; the messages keep the reference's words, and problems are listed whole
/// with `file:line:col` before the reference's closing line. docs/COMPATIBILITY.md lists what still differs.
struct SentryOptionsCLI: AsyncParsableCommand {
    /// The reference version whose surface this follows.
    static let referenceVersion = "1.2.5"

    static let configuration = CommandConfiguration(
        commandName: "sentry-options-cli",
        abstract: "CLI tool for sentry-options for validation of schema and values",
        discussion: Compat.surfaceDiscussion,
        version: "sentry-options-cli \(referenceVersion) (optionsctl \(OptionsCtl.version))",
        subcommands: Compat.subcommands
    )

    @OptionGroup var global: CompatGlobalOptions
}

/// `optionsctl compat`: the same surface as a subcommand group.
struct Compat: AsyncParsableCommand {
    static let subcommands: [any ParsableCommand.Type] = [
        CompatValidateSchema.self, CompatValidateValues.self, CompatWrite.self, CompatFetchSchemas.self,
        CompatValidateSchemaChanges.self, CompatCheckOptionUsage.self,
    ]

    static let surfaceDiscussion = """
        The subcommands, flags and exit codes of sentry-options-cli \(SentryOptionsCLI.referenceVersion), run on \
        optionsctl's own checks: a CI line written for sentry-options-cli works unchanged. Logs go to stderr; \
        stdout carries only the ConfigMap (write --output-format configmap without --out), the deletions \
        (validate-schema-changes --report-deletions) and check-option-usage's result. --quiet (before or after \
        the subcommand) turns off the success and change-log lines, not errors or warnings.

        Exit codes: 0 success, 1 any handled error, 2 usage error.
        """

    static let configuration = CommandConfiguration(
        commandName: "compat",
        abstract: "Run sentry-options-cli's commands (validate-schema, write, …) exactly as that CLI takes them.",
        discussion: surfaceDiscussion + """


            Installed as sentry-options-cli (a link to optionsctl), the binary takes the same commands without \
            the 'compat' word.
            """,
        version: "sentry-options-cli \(SentryOptionsCLI.referenceVersion) (optionsctl \(OptionsCtl.version))",
        subcommands: subcommands
    )

    @OptionGroup var global: CompatGlobalOptions

    /// The arguments after the program name (or after `compat`), with every `--quiet` given before the
    /// subcommand moved after it: clap's global flag may stand on either side.
    static func arguments(_ arguments: [String]) -> [String] {
        let names = Set(subcommands.compactMap { $0.configuration.commandName })
        guard let index = arguments.firstIndex(where: { names.contains($0) }),
            arguments[..<index].allSatisfy({ $0 == "--quiet" }), index > 0
        else { return arguments }
        return [arguments[index]] + arguments[..<index] + arguments[(index + 1)...]
    }

    /// Parses and runs one command of the surface with `root` as the top command, as `OptionsCtl.main` does for
    /// optionsctl's own commands; ends the process.
    static func main(_ root: any ParsableCommand.Type, arguments: [String]) async -> Never {
        do {
            var command = try root.parseAsRoot(Self.arguments(arguments))
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            terminate(0)
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            let message = root.fullMessage(for: error)
            if root.exitCode(for: error) == .success {
                Output.standardOutput(message + "\n")
                terminate(0)
            }
            Output.standardError(message + "\n")
            terminate(2)
        }
    }
}

/// The global flag of the surface.
struct CompatGlobalOptions: ParsableArguments {
    @Flag(help: "suppress output messages")
    var quiet = false
}

/// The surface's log lines on stderr, in the reference's shape (tracing's compact format without timestamps):
/// ` INFO sentry_options_cli: <message> key=value`, `ERROR sentry_options_cli: Command failed error=<text>`.
struct CompatLog {
    var quiet: Bool

    /// A success or progress line; nothing with `--quiet`.
    func info(_ message: String, _ fields: [(String, String)] = []) {
        guard !quiet else { return }
        Self.line(" INFO", message, fields)
    }

    /// A warning; printed even with `--quiet`.
    func warn(_ message: String, _ fields: [(String, String)] = []) {
        Self.line(" WARN", message, fields)
    }

    /// An error line that does not end the command (one per schema-change violation).
    func error(_ message: String, _ fields: [(String, String)] = []) {
        Self.line("ERROR", message, fields)
    }

    /// The closing line of a failed command, `Command failed error=<text>`, then exit 1.
    func fail(_ text: String) -> Never {
        Self.line("ERROR", "Command failed", [("error", text)])
        terminate(1)
    }

    /// optionsctl's diagnostics, `file:line:col: severity: message [code]`, on stderr.
    func diagnostics(_ diagnostics: [Diagnostic]) {
        guard !diagnostics.isEmpty else { return }
        Output.standardError(
            DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: false).render(diagnostics, as: .text))
    }

    /// Lists the report's problems and fails with the first error's message, as the reference's single error
    /// reads, prefixed as the reference prefixes it; does nothing when there is no error.
    func failOnErrors(_ diagnostics: [Diagnostic], prefix: String = "") {
        self.diagnostics(diagnostics)
        let errors = diagnostics.filter { $0.severity == .error }
        guard let first = errors.first else { return }
        var text = prefix + (first.file.map { "In file \($0): " } ?? "") + first.message
        if errors.count > 1 { text += " (and \(errors.count - 1) more error(s), listed above)" }
        fail(text)
    }

    static func line(_ level: String, _ message: String, _ fields: [(String, String)]) {
        var text = "\(level) sentry_options_cli: \(printable(message))"
        for (key, value) in fields { text += " \(key)=\(printable(value))" }
        Output.standardError(text + "\n")
    }

    /// Control characters escaped, except tabs (the change log's columns).
    static func printable(_ text: String) -> String {
        text.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).escapingControlCharacters }
            .joined(separator: "\t")
    }
}
