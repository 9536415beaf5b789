import ArgumentParser
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `optionsctl fetch-schemas`: the schemas of every service repository of `repos.json`, at their pinned commits,
/// checked, into one directory.
struct FetchSchemas: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-schemas",
        abstract: "Fetch the schemas of the service repositories in repos.json, at their pinned commits.",
        discussion: """
            repos.json: {"repos": {"<name>": {"url": "...", "path": "<schemas dir>", "sha": "<40-digit commit>"}}}. \
            Each repository is fetched through libgit2 (https with the system's CA certificates, ssh through \
            ssh-agent, file:// and local paths) into a cache of bare repositories, so a second run fetches only \
            commits it does not have; the pinned commit is read, never the default branch (an entry without \
            'sha' reads the remote's HEAD, with a warning). Every <path>/<namespace>/schema.json is checked as \
            lint checks schemas; a namespace two repositories provide is an error naming both.

            Nothing is written unless everything is valid; --out must not exist, and appears whole or not at all.

            Exit codes: 0 written, 1 a repository, schema or repos.json problem (every one listed), 2 usage or \
            environment error (--out exists, the cache cannot be used).
            """
    )

    @Option(help: ArgumentHelp("The repos.json file.", valueName: "file"))
    var config: String

    @Option(help: ArgumentHelp("The schemas directory to create (must not exist).", valueName: "dir"))
    var out: String

    @Option(
        help: ArgumentHelp(
            "Where fetched repositories are kept (default: $XDG_CACHE_HOME/optionsctl/repositories, else "
                + "~/.cache/optionsctl/repositories).", valueName: "dir"))
    var cache: String?

    @Flag(
        help: ArgumentHelp(
            "Also fetch file:// URLs and local paths (off by default: repos.json may come from a pull request, and a "
                + "path would read a repository outside this one)."))
    var allowLocal = false

    @OptionGroup var colorOptions: ColorOptions

    func run() async throws {
        Network.enable()
        let renderer = DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: colorOptions.usesColor(on: 2))
        let outcome = await SchemaFetch.run(config: config, out: out, cache: cache, allowLocal: allowLocal)
        switch outcome {
        case .usage(let message): throw Output.fail(message)
        case .problems(let problems, let warnings):
            Output.standardError(renderer.render(warnings + problems, as: .text))
            Output.standardError("optionsctl: \(problems.count) problem(s); nothing written\n")
            terminate(1)
        case .written(let result):
            Output.standardError(renderer.render(result.warnings, as: .text))
            for fetched in result.fetched {
                let how = fetched.didFetch ? "fetched" : "from the cache"
                Output.standardError(
                    "optionsctl: \(fetched.entry.name) at \(fetched.sha.prefix(12)) (\(how)): "
                        + "\(fetched.schemas.map(\.namespace).joined(separator: ", "))\n")
            }
            let count = result.fetched.reduce(0) { $0 + $1.schemas.count }
            Output.standardError("optionsctl: wrote \(count) schema(s) to \(out)\n")
        }
    }
}

/// The steps both `fetch-schemas` commands share.
enum SchemaFetch {
    enum Outcome {
        /// A usage or environment problem (exit 2 in optionsctl's command).
        case usage(String)
        /// Problems with repos.json, a repository or a schema: nothing written.
        case problems([Diagnostic], warnings: [Diagnostic])
        case written(SchemaFetcher.Result)
    }

    static func run(config: String, out: String, cache: String?, allowLocal: Bool) async -> Outcome {
        var existing = stat()
        if lstat(out, &existing) == 0 { return .usage("Output directory already exists: \(out)") }
        let bytes: [UInt8]
        do {
            bytes = try CheckedTree.contents(ofFileNamed: config)
        } catch {
            return .problems(
                [Diagnostic(.error, .invalidRepositoryList, "I/O error: \(error.description)", file: config)],
                warnings: [])
        }
        let parsed = RepositoryList.parse(bytes, file: config)
        guard let list = parsed.list else { return .problems(parsed.problems, warnings: []) }
        var fetcher = SchemaFetcher(cacheDirectory: cache ?? defaultCache())
        fetcher.allowsLocalRepositories = allowLocal
        let result = await fetcher.fetch(list)
        guard result.problems.isEmpty else { return .problems(result.problems, warnings: result.warnings) }
        do {
            try await SchemaFetcher.write(result, to: out)
        } catch {
            return .usage(error.description)
        }
        return .written(result)
    }

    /// `$XDG_CACHE_HOME/optionsctl/repositories`, else `$HOME/.cache/optionsctl/repositories` (on macOS
    /// `~/Library/Caches/optionsctl/repositories`), else a directory in /tmp.
    static func defaultCache() -> String {
        func variable(_ name: String) -> String? {
            guard let value = getenv(name).map({ String(cString: $0) }), value.hasPrefix("/") else { return nil }
            return value
        }
        if let cache = variable("XDG_CACHE_HOME") { return cache + "/optionsctl/repositories" }
        if let home = variable("HOME") {
            #if canImport(Darwin)
                return home + "/Library/Caches/optionsctl/repositories"
            #else
                return home + "/.cache/optionsctl/repositories"
            #endif
        }
        return "/tmp/optionsctl-\(getuid())/repositories"
    }
}
