import ArgumentParser
import OptionsSchema
import Pipeline

/// The output formats of `diff`.
enum DiffFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
    /// A pull-request comment.
    case markdown
    /// GitHub Actions annotations on the changed lines.
    case github
}

/// `optionsctl diff`: which effective value changes in which region between two revisions, and which schema
/// changes would break services.
struct Diff: AsyncParsableCommand, CheckedArguments {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show which effective values change in which region, and check schema changes.",
        discussion: """
            optionsctl diff             compares HEAD with the working tree
            optionsctl diff REV         compares REV with the working tree (as git diff REV does)
            optionsctl diff A B         compares two revisions
            optionsctl diff A...B       compares the merge base of A and B with B (a pull request's change)

            Both sides are read through libgit2 (the working tree from disk). Only the namespaces the change \
            touches are loaded (--all loads and lints every namespace on both sides, so the head is checked whole). For each region (target) and namespace, every \
            option whose effective value changes is listed with its value and source on both sides; a change \
            to default shows on every target that inherits it. Schema changes are judged by sentry-options' \
            rules (removed namespaces, type, shape and default changes are forbidden). The head side is linted; \
            its problems and forbidden schema changes are printed to stderr as file:line:col diagnostics.

            Exit codes: 0 the change is acceptable; 1 the head side is invalid or a schema change is forbidden; \
            2 usage or environment error (a revision that does not exist, not a repository); with --exit-code, \
            3 when the change is acceptable and something differs.
            """
    )

    @Argument(help: ArgumentHelp("The base revision, or A...B (default: HEAD).", valueName: "base"))
    var base: String?

    @Argument(help: ArgumentHelp("The head revision (default: the working tree).", valueName: "head"))
    var head: String?

    @Option(
        name: .customLong("namespace"), help: ArgumentHelp("Only this namespace; repeatable.", valueName: "namespace"),
        completion: .custom(Completions.namespaces))
    var namespaces: [String] = []

    @Option(
        name: .customLong("target"), help: ArgumentHelp("Only this target (region); repeatable.", valueName: "target"),
        completion: .custom(Completions.targets))
    var targets: [String] = []

    @Flag(help: "Load and lint every namespace on both sides, not only those the change touches.")
    var all = false

    @Option(
        help: ArgumentHelp(
            "Require every namespace to be named <name> or <name>-* (sentry-options' --repo rule).", valueName: "name"))
    var repo: String?

    @Option(help: "Output format: text, json, markdown (a pull-request comment) or github (annotations).")
    var format: DiffFormat = .text

    @Flag(help: "Exit 3 when something differs and nothing is wrong.")
    var exitCode = false

    @Option(
        name: .customLong("allow-forbidden"),
        help: ArgumentHelp(
            "Let a deliberate forbidden schema change pass (still listed, marked as allowed); repeatable.",
            valueName: "namespace:option"))
    var allowedForbidden: [String] = []

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func checkArguments() throws {
        if tree.rev != nil {
            throw ValidationError("diff takes its revisions as arguments: optionsctl diff BASE [HEAD]")
        }
        if let base, base.contains("..."), head != nil {
            throw ValidationError("give either A...B or two revisions, not both")
        }
        for entry in allowedForbidden where entry.isEmpty || entry.hasPrefix(":") || entry.hasSuffix(":") {
            throw ValidationError(
                "--allow-forbidden takes NAMESPACE:OPTION (or NAMESPACE for a namespace change), got '\(entry)'")
        }
    }

    func run() async throws {
        var timer = PhaseTimer()
        let current = Output.currentDirectory
        let worktree = try tree.tree(currentDirectory: current)
        let layout = worktree.layout
        for directory in [layout.schemasDirectory, layout.valuesDirectory] where directory.hasPrefix("/") {
            throw Output.fail("'\(directory)' must be inside the root '\(tree.root)' to be compared across revisions")
        }
        let baseRevision = base ?? "HEAD"
        var headRevision = head
        if let range = baseRevision.firstRange(of: "...") {
            let right = String(baseRevision[range.upperBound...])
            headRevision = right.isEmpty ? "HEAD" : right
        }
        let baseSource: GitTreeSource
        let headSource: any TreeSource
        let paths: [String]
        do throws(GitError) {
            baseSource = try GitTreeSource(
                discoveringFrom: tree.root, revision: baseRevision, currentDirectory: current,
                maxFileSize: tree.maxFileSize.bytes)
            let repository = try Repository(discoveringFrom: tree.root)
            if let headRevision {
                let source = try GitTreeSource(
                    discoveringFrom: tree.root, revision: headRevision, currentDirectory: current,
                    maxFileSize: tree.maxFileSize.bytes)
                headSource = source
                paths = try repository.changedPaths(from: baseSource.commit, to: source.commit)
            } else {
                headSource = worktree.source
                paths = try repository.changedPathsInWorkingTree(from: baseSource.commit)
            }
        } catch {
            throw Output.fail(error.message)
        }
        if !namespaces.isEmpty || !targets.isEmpty {
            // A filter that matches nothing would read as "no change": it is a usage error instead.
            let inventory = TreeInventory(source: baseSource, layout: layout).merging(
                TreeInventory(source: headSource, layout: layout))
            let problems = Selection(namespaces: namespaces, targets: targets).problems(
                in: inventory.namespaces, namespacePlace: "either revision", requiresEveryTarget: false)
            if !problems.isEmpty {
                for problem in problems { Output.standardError("optionsctl: error: \(problem)\n") }
                terminate(2)
            }
        }
        timer.mark("open revisions and list changed paths")
        var differ = Differ(base: baseSource, head: headSource, layout: layout)
        differ.allowedForbidden = Set(allowedForbidden)
        let prefix = baseSource.prefix.isEmpty ? "" : baseSource.prefix + "/"
        // The namespaces whose files differ. --all still reads and checks every namespace on both sides, but
        // compares only these: the others are the same files on both sides.
        let relative = paths.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil }
        let touched = differ.touchedNamespaces(relative)
        let schemasPrefix = layout.schemasDirectory.isEmpty ? "" : layout.schemasDirectory + "/"
        let touchedSchemas = differ.touchedNamespaces(relative.filter { $0.hasPrefix(schemasPrefix) })
        var scope: Set<String>? = all ? nil : touched
        if !namespaces.isEmpty { scope = (scope ?? Set(namespaces)).intersection(namespaces) }
        var report: DiffReport
        // Kept to the exit: the command ends without freeing what both sides parsed (0.1 s for a whole tree).
        let cache = LintCache()
        do {
            report = try await differ.diff(
                namespaces: scope, repository: repo, changed: touched, changedSchemas: touchedSchemas, cache: cache)
        } catch {
            throw Output.fail(error.description)
        }
        timer.mark("diff")
        let allowed = Set(report.schemaChanges.filter(\.isAllowedByOverride).map(\.overrideName))
        let unmatched = allowedForbidden.filter { !allowed.contains($0) }
        if !unmatched.isEmpty {
            let forbidden = report.schemaChanges.filter(\.isForbidden).map(\.overrideName)
            for entry in unmatched {
                Output.standardError(
                    "optionsctl: error: --allow-forbidden \(entry) matches no forbidden schema change"
                        + (forbidden.isEmpty
                            ? " (there are none)\n" : " (forbidden: \(forbidden.joined(separator: ", ")))\n"))
            }
            terminate(2)
        }
        if !targets.isEmpty { report.targets.removeAll { !targets.contains($0.target) } }
        if !report.diagnostics.isEmpty {
            // In GitHub Actions the problems become annotations too; elsewhere they go to stderr.
            var diagnostics = DiagnosticRenderer(
                toolVersion: OptionsCtl.version, usesColor: format != .github && colorOptions.usesColor(on: 2))
            if format == .github { diagnostics.repositoryPaths = tree.repositoryPaths(worktree) }
            if format == .github {
                Output.standardOutput(diagnostics.render(report.diagnostics, as: .github))
            } else {
                Output.standardError(diagnostics.render(report.diagnostics, as: .text))
            }
        }
        var renderer = DiffRenderer(
            baseLabel: "\(baseRevision) (\(baseSource.commit.sha.prefix(12)))",
            headLabel: (headSource as? GitTreeSource).map { "\(headRevision ?? "") (\($0.commit.sha.prefix(12)))" }
                ?? "working tree",
            valuesPrefix: headSource.displayPath(layout.valuesDirectory) + "/")
        if format == .text { renderer.paint = colorOptions.paint(on: 1) }
        if format == .github { renderer.repositoryPaths = tree.repositoryPaths(worktree) }
        switch format {
        case .text: Output.standardOutput(renderer.text(report))
        case .json: Output.standardOutput(renderer.json(report))
        case .markdown: Output.standardOutput(renderer.markdown(report))
        case .github: Output.standardOutput(renderer.github(report))
        }
        timer.mark("render")
        let status: Int32 = report.errorCount > 0 ? 1 : exitCode && report.hasChanges ? 3 : 0
        withExtendedLifetime(cache) { terminate(status) }
    }
}
