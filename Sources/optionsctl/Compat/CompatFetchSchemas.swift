import ArgumentParser
import OptionsSchema
import Pipeline

/// `fetch-schemas --config repos.json --out DIR`: the reference's command on optionsctl's fetcher, which reads
/// the pinned commits, checks every schema and writes all or nothing.
struct CompatFetchSchemas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-schemas",
        abstract: "Fetch schemas from repositories defined in repos.json",
        discussion: """
            Unlike sentry-options-cli 1.2.5, the pinned 'sha' is the commit read, every schema is validated \
            before anything is written, two repositories providing one namespace is an error, and --out appears \
            whole or not at all. Repositories are cached (--cache, as in 'optionsctl fetch-schemas').
            """
    )

    @Option(help: ArgumentHelp("path to repos.json config", valueName: "CONFIG"))
    var config: String

    @Option(help: ArgumentHelp("output directory for schemas", valueName: "OUT"))
    var out: String

    @Option(help: ArgumentHelp("where fetched repositories are kept", valueName: "CACHE"))
    var cache: String?

    @Flag(help: "also fetch file:// URLs and local paths")
    var allowLocal = false

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        Network.enable()
        let log = CompatLog(quiet: global.quiet)
        log.info("Fetching schemas")
        switch await SchemaFetch.run(config: config, out: out, cache: cache, allowLocal: allowLocal) {
        case .usage(let message):
            log.fail(message)
        case .problems(let problems, let warnings):
            log.diagnostics(warnings)
            // The reference wraps fetch failures in its git error; repos.json problems are its JSON and I/O errors.
            let first = problems.first { $0.severity == .error }
            log.failOnErrors(problems, prefix: first?.code == .fetchFailed ? "Git command failed: " : "")
        case .written(let result):
            log.diagnostics(result.warnings)
            for fetched in result.fetched {
                // As in the reference, this line is printed even with --quiet.
                CompatLog(quiet: false).info("Cloned repo", [("repo", fetched.entry.name), ("sha", fetched.sha)])
                log.info("Fetched schema", [("repo", fetched.entry.name)])
            }
            log.info("Successfully fetched schemas", [("path", out)])
        }
    }
}
