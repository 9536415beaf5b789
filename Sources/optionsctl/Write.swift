import ArgumentParser
import OptionsSchema
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The output formats of `write`.
enum WriteFormat: String, ExpressibleByArgument, CaseIterable {
    /// Kubernetes ConfigMaps: one YAML stream on stdout for one target, or `<out>/<target>/<name>.yaml` files.
    case configmap
    /// `<out>/sentry-options-<namespace>-<target>.json` for every pair.
    case json
    /// `<out>/schemas/<namespace>/schema.json` and `<out>/values/<namespace>/values.json` for one target: what a
    /// service's options directory holds.
    case runtime
}

/// `optionsctl write`: validate the tree, merge `default` and each target, render what is deployed.
struct Write: AsyncParsableCommand, CheckedArguments {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Validate, merge default and each target, and render ConfigMaps or sentry-options payloads.",
        discussion: """
            The whole tree is linted first; with any error nothing is written (exit 1). Then, for every \
            namespace that has a directory for the target (or the namespaces given with --namespace), the \
            default values and the target's values are merged and rendered.

            optionsctl write --target us     prints the us ConfigMap of every namespace deployed to us as one \
            YAML stream, ready for kubectl apply -f - (--format configmap is the default). Each is named \
            sentry-options-<ns>[-<suffix>] and carries the commit_sha and commit_timestamp annotations of --rev's \
            commit, or of HEAD when the tree below the root has no uncommitted changes (otherwise a warning says \
            they are left out; --strict makes that an error); --commit-sha and --commit-timestamp override. With \
            --out, each ConfigMap is written to <out>/<target>/<name>.yaml.

            --format json writes <out>/sentry-options-<namespace>-<target>.json: compact JSON with sorted keys, \
            exactly as sentry-options writes it. --format runtime lays out what a service reads for one target: \
            <out>/schemas/<ns>/schema.json and <out>/values/<ns>/values.json (SENTRY_OPTIONS_DIR=<out>). Both need \
            --out.

            Files are written atomically. A file an earlier run wrote into <out> for a target (and namespace) \
            this run renders, and that this run no longer produces, is removed and named on stderr; files of \
            other targets, and files optionsctl did not write, are never touched, so one directory can take one \
            run per region.

            --check renders in memory and compares with <out> instead of writing: exit 0 when <out> holds \
            exactly what would be written (generated_at aside), exit 3 with the files that would be added, \
            changed (with the option keys that differ) or removed.

            A --target or --namespace the tree does not have is an error with a suggestion. --generated-at must \
            be RFC 3339, --commit-sha a hexadecimal commit id of 7 to 64 digits, --commit-timestamp Unix seconds \
            or RFC 3339, SOURCE_DATE_EPOCH whole seconds.
            Exit codes: 0 success, 1 invalid tree or unknown namespace/target, 2 usage or environment error, \
            3 with --check when <out> is not up to date.
            """
    )

    @Option(
        name: .customLong("target"), help: ArgumentHelp("A target (region) to write; repeatable.", valueName: "target"),
        completion: .custom(Completions.targets))
    var targets: [String] = []

    @Flag(help: "Write every target of every namespace, default included.")
    var allTargets = false

    @Option(
        name: .customLong("namespace"), help: ArgumentHelp("Only this namespace; repeatable.", valueName: "namespace"),
        completion: .custom(Completions.namespaces))
    var namespaces: [String] = []

    @Option(help: "Output format: configmap, json or runtime.")
    var format: WriteFormat = .configmap

    @Option(help: ArgumentHelp("The output directory (created when missing).", valueName: "dir"))
    var out: String?

    @Flag(help: "Compare what would be written with --out instead of writing; exit 3 when it differs.")
    var check = false

    @Option(help: ArgumentHelp("ConfigMaps only: appended to the name as -<suffix>.", valueName: "suffix"))
    var configmapSuffix: String?

    @Option(
        help: ArgumentHelp("ConfigMaps only: the commit_sha annotation (a hexadecimal commit id).", valueName: "sha"))
    var commitSha: String?

    @Option(
        help: ArgumentHelp(
            "ConfigMaps only: the commit_timestamp annotation (Unix seconds or RFC 3339).", valueName: "timestamp"))
    var commitTimestamp: String?

    @Option(help: ArgumentHelp("The generated_at timestamp to write, RFC 3339 (default: now, or SOURCE_DATE_EPOCH)."))
    var generatedAt: String?

    @Flag(help: "Treat warnings (unknown options, commit annotations left out) as errors.")
    var strict = false

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func checkArguments() throws {
        if targets.isEmpty && !allTargets {
            throw ValidationError("Give --target TARGET (repeatable) or --all-targets.")
        }
        if !targets.isEmpty && allTargets { throw ValidationError("--target and --all-targets exclude each other.") }
        if format == .runtime && (allTargets || Set(targets).count != 1) {
            throw ValidationError("--format runtime writes one target: give exactly one --target.")
        }
        if format != .configmap && out == nil { throw ValidationError("--format \(format.rawValue) needs --out DIR.") }
        if format == .configmap && out == nil && (allTargets || Set(targets).count != 1) {
            throw ValidationError("ConfigMaps of several targets need --out DIR (stdout takes one target).")
        }
        if check && out == nil { throw ValidationError("--check compares with a directory: give --out DIR.") }
        if format != .configmap && (configmapSuffix != nil || commitSha != nil || commitTimestamp != nil) {
            throw ValidationError(
                "--configmap-suffix, --commit-sha and --commit-timestamp apply to --format configmap.")
        }
        if let generatedAt, let problem = Stamps.problem(withGeneratedAt: generatedAt) {
            throw ValidationError("--generated-at \(problem).")
        }
        if let commitSha, let problem = Stamps.problem(withCommitSHA: commitSha) {
            throw ValidationError("--commit-sha \(problem).")
        }
        if let commitTimestamp, let problem = Stamps.problem(withCommitTimestamp: commitTimestamp) {
            throw ValidationError("--commit-timestamp \(problem).")
        }
        if generatedAt == nil, let epoch = Self.sourceDateEpoch, Stamps.generatedAt(sourceDateEpoch: epoch) == nil {
            throw ValidationError(
                "SOURCE_DATE_EPOCH must be whole seconds since 1970 (such as 1768348800), got '\(epoch)'.")
        }
    }

    func run() async throws {
        var timer = PhaseTimer()
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let source = opened.source
        let layout = opened.layout
        var report: LintReport
        do {
            // The linter keeps the parsed files: merging and rendering read nothing twice.
            report = try await Linter(source: source, layout: layout, retainsValues: true).lint()
        } catch {
            throw Output.fail(error.description)
        }
        if strict { report = report.strict() }
        if !report.diagnostics.isEmpty {
            // Standard output carries only what write produces (a ConfigMap stream may go there).
            Output.standardError(
                DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: colorOptions.usesColor(on: 2)).render(
                    report.diagnostics, as: .text))
        }
        if report.errorCount > 0 {
            Output.standardError("optionsctl: \(report.errorCount) error(s); nothing written\n")
            terminate(1)
        }
        timer.mark("lint")
        let jobs = selectedJobs(report)
        let generated = generatedAtText()
        var configMapNames: [String: String] = [:]
        if format == .configmap {
            for job in jobs {
                do {
                    configMapNames[job.namespace] = try ConfigMapRenderer.name(
                        namespace: job.namespace, suffix: configmapSuffix)
                } catch {
                    Output.standardError("optionsctl: error: \(error)\n")
                    terminate(1)
                }
            }
        }
        let commit = format == .configmap ? commitAnnotations(opened) : CommitAnnotations()
        if let missing = commit.missing {
            let severity = strict ? "error" : "warning"
            Output.standardError("optionsctl: \(severity): \(missing)\n")
            if strict { terminate(1) }
        }
        timer.mark("select")
        let files = try await render(
            jobs, source: source, layout: layout, generated: generated, commit: commit,
            configMapNames: configMapNames)
        guard let out else {
            // ConfigMaps of one target to stdout, one YAML stream.
            Output.standardOutput(files.map { String(decoding: $0.bytes, as: UTF8.self) }.joined())
            Output.standardError("optionsctl: rendered \(count(files.count, "ConfigMap"))\n")
            terminate(0)
        }
        timer.mark("render")
        let directory = OutputDirectory(path: out)
        let scope = OutputScope(
            targets: allTargets ? nil : Set(targets), namespaces: namespaces.isEmpty ? nil : Set(namespaces))
        if check { reportCheck(directory.plan(files, scope: scope), files: files) }
        let summary: OutputDirectory.Summary
        do {
            summary = try await directory.write(files, scope: scope)
        } catch {
            throw Output.fail(error.description)
        }
        timer.mark("write files")
        for name in summary.removed { Output.standardError("optionsctl: removed stale \(shown(name))\n") }
        var line = "optionsctl: wrote \(count(summary.written.count, "file")) to \(out)"
        if !summary.removed.isEmpty { line += ", removed \(count(summary.removed.count, "stale file"))" }
        Output.standardError(line + "\n")
        terminate(0)
    }

    /// Renders every job's targets in the chosen format, on all cores; a failure ends the command.
    func render(
        _ jobs: [Job], source: any TreeSource, layout: TreeLayout, generated: String, commit: CommitAnnotations,
        configMapNames: [String: String]
    ) async throws -> [OutputFile] {
        let format = format
        let rendered = await concurrentMap(jobs) { job -> Result<[OutputFile], RenderProblem> in
            var files: [OutputFile] = []
            let namespace = job.namespace
            let payloads = PayloadRenderer.payloads(files: job.files, targets: job.targets, generatedAt: generated)
            for (target, payload) in zip(job.targets, payloads) {
                func file(_ name: String, _ bytes: [UInt8]) -> OutputFile {
                    OutputFile(name: name, namespace: namespace, target: target, bytes: bytes)
                }
                switch format {
                case .json: files.append(file(PayloadRenderer.fileName(namespace: namespace, target: target), payload))
                case .runtime:
                    do throws(SourceError) {
                        let schema = try source.contents(
                            of: layout.schemasDirectory + "/" + namespace + "/" + TreeLayout.schemaFileName)
                        files.append(file("schemas/\(namespace)/schema.json", schema))
                    } catch {
                        return .failure(.source(error))
                    }
                    files.append(file("values/\(namespace)/values.json", payload))
                case .configmap:
                    let name = configMapNames[namespace] ?? namespace
                    do throws(ConfigMapRenderer.Failure) {
                        let document = try ConfigMapRenderer.render(
                            name: name, payload: payload, generatedAt: generated, commitSHA: commit.sha,
                            commitTimestamp: commit.timestamp)
                        files.append(file("\(target)/\(name).yaml", document))
                    } catch {
                        return .failure(.configMap(error))
                    }
                }
            }
            return .success(files)
        }
        var files: [OutputFile] = []
        for result in rendered {
            switch result {
            case .success(let some): files += some
            case .failure(.source(let error)): throw Output.fail(error.description)
            case .failure(.configMap(let error)):
                Output.standardError("optionsctl: error: \(error)\n")
                terminate(1)
            }
        }
        return files
    }

    /// `--check`: prints what differs between `--out` and this render and exits 0 (up to date) or 3.
    func reportCheck(_ plan: OutputDirectory.Plan, files: [OutputFile]) -> Never {
        let rendered = Dictionary(files.map { ($0.name, $0.bytes) }) { first, _ in first }
        var lines: [String] = []
        var unchanged = plan.unchanged.count
        for name in plan.added { lines.append("added    \(shown(name))") }
        for change in plan.changed {
            guard let bytes = rendered[change.name] else { continue }
            if RenderedComparison.isSameIgnoringStamps(change.current, bytes) {
                unchanged += 1
                continue
            }
            var line = "changed  \(shown(change.name))"
            let isPayload = !change.name.hasPrefix("schemas/")
            if isPayload, let keys = RenderedComparison.differingKeys(change.current, bytes) {
                line += keys.isEmpty ? " (same options; other fields differ)" : ": " + keys.joined(separator: ", ")
            }
            lines.append(line)
        }
        for name in plan.removed { lines.append("removed  \(shown(name))") }
        guard lines.isEmpty else {
            Output.standardOutput(lines.map { $0 + "\n" }.joined())
            Output.standardError(
                "optionsctl: \(out ?? "") is not up to date: \(lines.count) of \(count(files.count + plan.removed.count, "file")) "
                    + "would change; run the same command without --check to update it\n")
            terminate(3)
        }
        Output.standardError("optionsctl: \(out ?? "") is up to date (\(count(unchanged, "file")))\n")
        terminate(0)
    }

    /// `name` inside `--out`, as the user wrote the directory.
    func shown(_ name: String) -> String {
        guard var directory = out else { return name }
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        return directory == "/" ? "/" + name : directory + "/" + name
    }

    func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }

    /// One namespace to render: its targets to write, sorted, and its parsed values files.
    struct Job: Sendable {
        var namespace: String
        var targets: [String]
        var files: [LoadedValuesFile]
    }

    /// Why rendering failed.
    enum RenderProblem: Error {
        case source(SourceError)
        case configMap(ConfigMapRenderer.Failure)
    }

    /// The namespaces and targets to write, sorted. A namespace the values tree lacks, a target no namespace has,
    /// or a target a namespace named with --namespace lacks, is an error (exit 1) with a suggestion.
    func selectedJobs(_ report: LintReport) -> [Job] {
        let present = report.values.mapValues { Set($0.map(\.file.target)) }
        let problems = Selection(namespaces: namespaces, targets: targets).problems(in: present)
        if !problems.isEmpty {
            for problem in problems { Output.standardError("optionsctl: error: \(problem)\n") }
            terminate(1)
        }
        var jobs: [Job] = []
        for namespace in Set(namespaces.isEmpty ? Array(report.values.keys) : namespaces).sorted() {
            let files = report.values[namespace] ?? []
            let targets = (allTargets ? present[namespace] ?? [] : Set(targets).intersection(present[namespace] ?? []))
            if !targets.isEmpty { jobs.append(Job(namespace: namespace, targets: targets.sorted(), files: files)) }
        }
        return jobs
    }

    /// The ConfigMap commit annotations, and why they are left out when they are.
    struct CommitAnnotations {
        var sha: String?
        var timestamp: String?
        /// Why an annotation is left out, worded for a warning; `nil` when both are set.
        var missing: String?
    }

    /// The commit annotations: the flags, else the commit of `--rev`, else HEAD when the schemas and values
    /// directories have no uncommitted changes; otherwise they are left out, with the reason.
    func commitAnnotations(_ opened: TreeOptions.Tree) -> CommitAnnotations {
        var commit = opened.commit
        var reason = ""
        if commit == nil && (commitSha == nil || commitTimestamp == nil) {
            if let repository = try? Repository(discoveringFrom: tree.root) {
                // What is rendered comes from these two directories; other changes (the output directory itself,
                // when it lies in the repository) do not make the render differ from HEAD's.
                let layout = opened.layout
                let inputs = [layout.schemasDirectory, layout.valuesDirectory].map { directory in
                    repository.workingDirectory.map {
                        ChangeScope.relative(
                            opened.absolute(directory), to: ChangeScope.absolute($0, from: Output.currentDirectory))
                    } ?? "/"
                }
                if inputs.allSatisfy({ !$0.hasPrefix("/") }),
                    (try? repository.isClean(below: inputs)) == true
                {
                    commit = try? repository.resolve("HEAD")
                } else {
                    let shown = [layout.schemasDirectory, layout.valuesDirectory].map {
                        "'" + opened.source.displayPath($0) + "'"
                    }
                    reason =
                        "\(shown.joined(separator: " or ")) has uncommitted changes (commit them, or render the "
                        + "last commit with --rev HEAD)"
                }
            } else {
                reason = "'\(tree.root)' is not in a git repository (give --commit-sha and --commit-timestamp)"
            }
        }
        var annotations = CommitAnnotations(
            sha: commitSha ?? commit?.sha, timestamp: commitTimestamp ?? commit.map { String($0.time) })
        let left = [
            annotations.sha == nil ? "commit_sha" : nil, annotations.timestamp == nil ? "commit_timestamp" : nil,
        ]
        .compactMap { $0 }
        if !left.isEmpty {
            annotations.missing =
                "the ConfigMaps have no \(left.joined(separator: " or ")) annotation: "
                + (reason.isEmpty ? "no commit to take it from" : reason)
        }
        return annotations
    }

    /// `SOURCE_DATE_EPOCH`, when set.
    static var sourceDateEpoch: String? {
        getenv("SOURCE_DATE_EPOCH").map { String(cString: $0) }
    }

    /// `--generated-at`, else `SOURCE_DATE_EPOCH`, else now (both checked by `checkArguments`).
    func generatedAtText() -> String {
        if let generatedAt { return generatedAt }
        if let epoch = Self.sourceDateEpoch, let text = Stamps.generatedAt(sourceDateEpoch: epoch) { return text }
        return Timestamp.now.description
    }
}
