import ArgumentParser
import Pipeline

/// The output formats of the reference's `write`.
enum CompatOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case configmap
}

/// `write`: validates the whole values tree, then writes every namespace and target as JSON files, or one
/// namespace and target as a ConfigMap, as sentry-options-cli does.
struct CompatWrite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "write",
        abstract: "Generate output files from validated values",
        discussion: """
            The whole values tree is validated first. json writes <out>/sentry-options-<namespace>-<target>.json \
            for every namespace and target (default included); configmap renders the ConfigMap \
            sentry-options-<namespace>[-<suffix>] of one namespace and target, to --out FILE or stdout. Files \
            are written atomically; nothing is written when anything is invalid.
            """
    )

    @Option(help: ArgumentHelp("directory containing namespace schema definitions", valueName: "SCHEMAS"))
    var schemas: String

    @Option(help: ArgumentHelp("root directory of the sentry options", valueName: "ROOT"))
    var root: String

    @Option(
        help: ArgumentHelp(
            "output directory for json, output file for configmap (stdout when absent)", valueName: "OUT"))
    var out: String?

    @Option(help: ArgumentHelp("json (files) or configmap (stdout YAML)", valueName: "OUTPUT_FORMAT"))
    var outputFormat: CompatOutputFormat = .json

    @Option(help: ArgumentHelp("commit SHA for the ConfigMap annotation", valueName: "COMMIT_SHA"))
    var commitSha: String?

    @Option(help: ArgumentHelp("commit timestamp for the ConfigMap annotation", valueName: "COMMIT_TIMESTAMP"))
    var commitTimestamp: String?

    @Option(help: ArgumentHelp("namespace to emit (configmap)", valueName: "NAMESPACE"))
    var namespace: String?

    @Option(help: ArgumentHelp("target to emit (configmap)", valueName: "TARGET"))
    var target: String?

    @Option(help: ArgumentHelp("appended to the ConfigMap name as -<suffix>", valueName: "CONFIGMAP_SUFFIX"))
    var configmapSuffix: String?

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        let log = CompatLog(quiet: global.quiet)
        let tree = CompatTree(schemas: schemas, values: root, log: log)
        let report = await tree.lint(readsValues: true, retainsValues: true, log: log)
        log.failOnErrors(report.diagnostics)
        let generatedAt = Self.generatedAt()
        switch outputFormat {
        case .json:
            guard let out else { log.fail("--out is required for json output format") }
            var files: [OutputFile] = []
            for (namespace, loaded) in report.values.sorted(by: { $0.key < $1.key }) {
                let targets = Set(loaded.map(\.file.target)).sorted()
                let payloads = PayloadRenderer.payloads(files: loaded, targets: targets, generatedAt: generatedAt)
                for (target, payload) in zip(targets, payloads) {
                    files.append(
                        OutputFile(
                            name: PayloadRenderer.fileName(namespace: namespace, target: target), namespace: namespace,
                            target: target, bytes: payload))
                }
            }
            do {
                _ = try await OutputDirectory(path: out).write(files, scope: .everything)
            } catch {
                log.fail("I/O error: \(error.description)")
            }
            log.info("Successfully wrote output files", [("num_files", String(files.count))])
        case .configmap:
            guard let namespace else { log.fail("--namespace is required for configmap output format") }
            guard let target else { log.fail("--target is required for configmap output format") }
            let document = configMap(report, namespace: namespace, target: target, generatedAt: generatedAt, log: log)
            if let out {
                do {
                    try OutputFileWriter.write(document.bytes, to: out)
                } catch {
                    log.fail("I/O error: \(error.description)")
                }
                log.info("Successfully wrote ConfigMap", [("path", out)])
            } else {
                Output.standardOutput(String(decoding: document.bytes, as: UTF8.self))
                log.info("Successfully generated ConfigMap", [("name", document.name)])
            }
        }
    }

    /// The ConfigMap of one namespace and target, without the document marker (as serde_yaml writes one).
    func configMap(_ report: LintReport, namespace: String, target: String, generatedAt: String, log: CompatLog)
        -> (name: String, bytes: [UInt8])
    {
        let name: String
        do {
            // The name is checked before the merge, as in the reference.
            name = try ConfigMapRenderer.name(namespace: namespace, suffix: configmapSuffix)
        } catch {
            log.fail("Schema validation error: \(error.description)")
        }
        let present = report.values.mapValues { Set($0.map(\.file.target)) }
        if let problem = Selection(namespaces: [namespace], targets: [target]).problems(in: present).first {
            log.fail(problem)
        }
        let files = report.values[namespace] ?? []
        let payload = PayloadRenderer.payloads(files: files, targets: [target], generatedAt: generatedAt)[0]
        do {
            var bytes = try ConfigMapRenderer.render(
                name: name, payload: payload, generatedAt: generatedAt, commitSHA: commitSha,
                commitTimestamp: commitTimestamp)
            if bytes.starts(with: Array("---\n".utf8)) { bytes.removeFirst(4) }
            return (name, bytes)
        } catch {
            log.fail(error.description)
        }
    }

    /// Now, as the reference stamps it (RFC 3339, `+00:00`), or `SOURCE_DATE_EPOCH` when it is set and valid.
    static func generatedAt() -> String {
        if let epoch = Write.sourceDateEpoch, let text = Stamps.generatedAt(sourceDateEpoch: epoch) { return text }
        return Timestamp.now.description
    }
}
