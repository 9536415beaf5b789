import ArgumentParser
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `validate-schema-changes`: a service repository's schema change between two commits, judged by the schema
/// evolution rules (`optionsctl diff`'s), with the deleted options on stdout.
struct CompatValidateSchemaChanges: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-schema-changes",
        abstract: "Validate schema changes between two commits",
        discussion: """
            Reads the schemas at $SENTRY_OPTIONS_DIR (default sentry-options/schemas, relative to the \
            repository's root) at both commits through libgit2, from the local repository; a commit that is \
            not there is fetched from the remote 'origin'. A schemas path missing at a commit is an empty set \
            (first onboarding). Every head namespace must be named <repo> or <repo>-*; removing a namespace and \
            changing an option's type, shape or default are forbidden. With --report-deletions, the removed \
            options go to stdout as one line of namespace:option pairs (empty when none).
            """
    )

    @Option(help: ArgumentHelp("base commit SHA", valueName: "BASE_SHA"))
    var baseSha: String

    @Option(help: ArgumentHelp("head commit SHA", valueName: "HEAD_SHA"))
    var headSha: String

    @Option(help: ArgumentHelp("repository name for namespace prefix validation", valueName: "REPO"))
    var repo: String

    @Flag(help: "output the deleted options as a space-separated string")
    var reportDeletions = false

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        let log = CompatLog(quiet: global.quiet)
        // A commit may have to be fetched: libgit2's transports are set up before it first runs.
        Network.enable()
        let schemasPath = Self.schemasPath()
        let current = Output.currentDirectory
        let repository: Repository
        do {
            repository = try Repository(discoveringFrom: current)
        } catch {
            log.fail("Git command failed: \(error.message)")
        }
        guard let workingDirectory = repository.workingDirectory else {
            log.fail("Git command failed: '\(current)' is in a bare repository; run in a work tree")
        }
        var root = ChangeScope.relative(ChangeScope.absolute(workingDirectory, from: current), to: current)
        if root.isEmpty { root = "." }
        let layout = TreeLayout(schemasDirectory: schemasPath, valuesDirectory: schemasPath)
        var sources: [any TreeSource] = []
        for sha in [baseSha, headSha] {
            do {
                try Self.ensure(sha, in: repository)
                let source = try GitTreeSource(discoveringFrom: root, revision: sha, currentDirectory: current)
                // No schemas at a commit (a repository's first one): an empty set, as in the reference.
                if source.kind(of: schemasPath) == nil {
                    sources.append(MemorySource(bytes: [:], emptyDirectories: [schemasPath]))
                } else {
                    sources.append(source)
                }
            } catch {
                log.fail("Git command failed: \(error.message)")
            }
        }
        var differ = Differ(base: sources[0], head: sources[1], layout: layout)
        differ.readsValues = false
        differ.offersOverride = false
        let report: DiffReport
        do {
            report = try await differ.diff(repository: repo, cache: LintCache())
        } catch {
            log.fail("Git command failed: \(error.description)")
        }
        if report.schemaChanges.isEmpty {
            log.info("No schema changes")
        }
        for change in report.schemaChanges {
            log.info("Schema change detected", [("change", change.logLine)])
        }
        log.diagnostics(report.diagnostics)
        let errorCount = report.errorCount
        if errorCount > 0 {
            log.fail("Schema validation error: \(errorCount) validation error(s)")
        }
        if reportDeletions {
            let deleted = report.schemaChanges.filter { $0.kind == .optionRemoved }.compactMap { change in
                change.key.map { "\(change.namespace):\($0)" }
            }
            Output.standardOutput(deleted.joined(separator: " ") + "\n")
        }
        log.info("Schema validation passed")
    }

    /// `$SENTRY_OPTIONS_DIR` (the schemas path inside the repository, as the reference's CLI reads it), else
    /// `sentry-options/schemas`.
    static func schemasPath() -> String {
        var path = getenv("SENTRY_OPTIONS_DIR").map { String(cString: $0) } ?? ""
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path.isEmpty ? "sentry-options/schemas" : path
    }

    /// Makes sure `revision` is in the local repository: fetched from `origin` when it is not (by its id, then
    /// the remote's branches and pull-request heads).
    static func ensure(_ revision: String, in repository: Repository) throws(GitError) {
        if (try? repository.resolve(revision)) != nil { return }
        var failure: GitError?
        for refspecs in [
            [revision], ["+refs/heads/*:refs/remotes/origin/*", "+refs/pull/*/head:refs/remotes/origin/pull/*"],
        ] {
            do {
                try repository.fetch(remote: "origin", refspecs: refspecs)
                if (try? repository.resolve(revision)) != nil { return }
            } catch {
                failure = failure ?? error
            }
        }
        throw GitError(
            "Failed to fetch \(revision): "
                + (failure?.message ?? "the commit is neither in the repository nor on 'origin'"))
    }
}
