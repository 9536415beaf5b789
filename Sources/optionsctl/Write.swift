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
    /// `<out>/sentry-options-<namespace>-<target>.json` for every pair.
    case json
    /// `<out>/schemas/<namespace>/schema.json` and `<out>/values/<namespace>/values.json` for one target: what a
    /// service's options directory holds.
    case runtime
    /// Kubernetes ConfigMaps: one YAML stream on stdout for one target, or `<out>/<target>/<name>.yaml` files.
    case configmap
}

/// `optionsctl write`: validate the tree, merge `default` and each target, write the payloads.
struct Write: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Validate, merge default and each target, and write sentry-options values payloads.",
        discussion: """
            The whole tree is linted first; with any error nothing is written (exit 1). Then, for every \
            namespace that has a directory for the target (or the namespaces given with --namespace), the \
            merged values are written to <out>/sentry-options-<namespace>-<target>.json: compact JSON with \
            sorted keys, exactly as sentry-options writes it. Files are written atomically; files an earlier \
            run wrote into <out> that this run does not produce are removed; other files are never touched.

            --format runtime lays out what a service reads for one target: <out>/schemas/<ns>/schema.json and \
            <out>/values/<ns>/values.json, ready for the sentry-options clients (SENTRY_OPTIONS_DIR=<out>).

            --format configmap renders one ConfigMap per namespace, named sentry-options-<ns>[-<suffix>], with \
            the commit_sha and commit_timestamp annotations taken from --rev's commit, or from HEAD when the \
            tree is clean (--commit-sha and --commit-timestamp override). Without --out the ConfigMaps of one \
            target go to stdout as one YAML stream for kubectl apply -f -; with --out each is written to \
            <out>/<target>/<name>.yaml.
            """
    )

    @Option(
        name: .customLong("target"), help: ArgumentHelp("A target (region) to write; repeatable.", valueName: "target"))
    var targets: [String] = []

    @Flag(help: "Write every target of every namespace, default included.")
    var allTargets = false

    @Option(
        name: .customLong("namespace"), help: ArgumentHelp("Only this namespace; repeatable.", valueName: "namespace"))
    var namespaces: [String] = []

    @Option(help: "Output format.")
    var format: WriteFormat = .json

    @Option(help: ArgumentHelp("The output directory (created when missing).", valueName: "dir"))
    var out: String?

    @Option(help: ArgumentHelp("ConfigMaps only: appended to the name as -<suffix>.", valueName: "suffix"))
    var configmapSuffix: String?

    @Option(help: ArgumentHelp("ConfigMaps only: the commit_sha annotation.", valueName: "sha"))
    var commitSha: String?

    @Option(help: ArgumentHelp("ConfigMaps only: the commit_timestamp annotation.", valueName: "timestamp"))
    var commitTimestamp: String?

    @Option(help: ArgumentHelp("The generated_at timestamp to write, RFC 3339 (default: now, or SOURCE_DATE_EPOCH)."))
    var generatedAt: String?

    @Flag(help: "Treat warnings (such as unknown options) as errors.")
    var strict = false

    @OptionGroup var tree: TreeOptions

    func validate() throws {
        if targets.isEmpty && !allTargets {
            throw ValidationError("Give --target TARGET (repeatable) or --all-targets.")
        }
        if !targets.isEmpty && allTargets { throw ValidationError("--target and --all-targets exclude each other.") }
        if format == .runtime && (allTargets || targets.count != 1) {
            throw ValidationError("--format runtime writes one target: give exactly one --target.")
        }
        if format != .configmap && out == nil { throw ValidationError("--format \(format.rawValue) needs --out DIR.") }
        if format == .configmap && out == nil && (allTargets || targets.count != 1) {
            throw ValidationError("ConfigMaps of several targets need --out DIR (stdout takes one target).")
        }
        if format != .configmap && (configmapSuffix != nil || commitSha != nil || commitTimestamp != nil) {
            throw ValidationError(
                "--configmap-suffix, --commit-sha and --commit-timestamp apply to --format configmap.")
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
                DiagnosticRenderer(toolVersion: OptionsCtl.version).render(report.diagnostics, as: .text))
        }
        if report.errorCount > 0 {
            Output.standardError("optionsctl: \(report.errorCount) error(s); nothing written\n")
            terminate(1)
        }
        timer.mark("lint")
        let jobs = selectedJobs(report)
        let generated = try generatedAtText()
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
        let commit: (sha: String?, timestamp: String?) =
            format == .configmap ? commitAnnotations(opened) : (nil, nil)
        timer.mark("select")
        let format = format
        let rendered = await concurrentMap(jobs) { [configMapNames] job -> Result<[OutputFile], RenderProblem> in
            var files: [OutputFile] = []
            let namespace = job.namespace
            let payloads = PayloadRenderer.payloads(files: job.files, targets: job.targets, generatedAt: generated)
            for (target, payload) in zip(job.targets, payloads) {
                switch format {
                case .json: files.append((PayloadRenderer.fileName(namespace: namespace, target: target), payload))
                case .runtime:
                    do throws(SourceError) {
                        let schema = try source.contents(
                            of: layout.schemasDirectory + "/" + namespace + "/" + TreeLayout.schemaFileName)
                        files.append(("schemas/\(namespace)/schema.json", schema))
                    } catch {
                        return .failure(.source(error))
                    }
                    files.append(("values/\(namespace)/values.json", payload))
                case .configmap:
                    let name = configMapNames[namespace] ?? namespace
                    do throws(ConfigMapRenderer.Failure) {
                        let document = try ConfigMapRenderer.render(
                            name: name, payload: payload, generatedAt: generated, commitSHA: commit.sha,
                            commitTimestamp: commit.timestamp)
                        files.append(("\(target)/\(name).yaml", document))
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
        guard let out else {
            // ConfigMaps of one target to stdout, one YAML stream.
            Output.standardOutput(files.map { String(decoding: $0.bytes, as: UTF8.self) }.joined())
            Output.standardError("optionsctl: rendered \(files.count) ConfigMap\(files.count == 1 ? "" : "s")\n")
            terminate(0)
        }
        timer.mark("render")
        let summary: OutputDirectory.Summary
        do {
            summary = try await OutputDirectory(path: out).write(files)
        } catch {
            throw Output.fail(error.description)
        }
        timer.mark("write files")
        var line = "optionsctl: wrote \(summary.written.count) file\(summary.written.count == 1 ? "" : "s") to \(out)"
        if !summary.removed.isEmpty { line += ", removed \(summary.removed.count) stale" }
        Output.standardError(line + "\n")
        terminate(0)
    }

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

    /// A file to write: its name inside the output directory and its bytes.
    typealias OutputFile = (name: String, bytes: [UInt8])

    /// The namespaces and targets to write, sorted; exits 1 for an unknown namespace, or a target an explicitly
    /// named namespace lacks.
    func selectedJobs(_ report: LintReport) -> [Job] {
        for namespace in namespaces where report.values[namespace] == nil {
            Output.standardError("optionsctl: error: Namespace '\(namespace)' not found in values\n")
            terminate(1)
        }
        var jobs: [Job] = []
        for namespace in Set(namespaces.isEmpty ? Array(report.values.keys) : namespaces).sorted() {
            let files = report.values[namespace] ?? []
            let present = Set(files.map(\.file.target))
            var job = Job(namespace: namespace, targets: [], files: files)
            for target in (allTargets ? present : Set(targets)).sorted() {
                if present.contains(target) {
                    job.targets.append(target)
                } else if !namespaces.isEmpty {
                    Output.standardError(
                        "optionsctl: error: Target '\(target)' not found in namespace '\(namespace)'\n")
                    terminate(1)
                }
            }
            if !job.targets.isEmpty { jobs.append(job) }
        }
        return jobs
    }

    /// The commit annotations: the flags, else the commit of `--rev`, else HEAD when the tree below the root is
    /// clean; nothing when none of these apply.
    func commitAnnotations(_ opened: TreeOptions.Tree) -> (sha: String?, timestamp: String?) {
        var commit = opened.commit
        if commit == nil, let repository = try? Repository(discoveringFrom: tree.root) {
            var prefix = ""
            if let workingDirectory = repository.workingDirectory {
                prefix = ChangeScope.relative(
                    opened.rootPath, to: ChangeScope.absolute(workingDirectory, from: Output.currentDirectory))
            }
            if !prefix.hasPrefix("/"), (try? repository.isClean(below: prefix)) == true {
                commit = try? repository.resolve("HEAD")
            }
        }
        return (commitSha ?? commit?.sha, commitTimestamp ?? commit.map { String($0.time) })
    }

    /// `--generated-at`, else `SOURCE_DATE_EPOCH`, else now.
    func generatedAtText() throws -> String {
        if let generatedAt { return generatedAt }
        if let raw = getenv("SOURCE_DATE_EPOCH") {
            let text = String(cString: raw)
            guard let seconds = Int64(text) else {
                throw Output.fail("SOURCE_DATE_EPOCH must be whole seconds since 1970, got '\(text)'")
            }
            return Timestamp(seconds: seconds).description
        }
        return Timestamp.now.description
    }
}
