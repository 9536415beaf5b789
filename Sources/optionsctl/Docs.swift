import ArgumentParser
import OptionsSchema
import Pipeline

/// `optionsctl docs`: a Markdown reference of every namespace.
struct Docs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Write a Markdown reference per namespace: options, values per region, feature flags.",
        discussion: """
            Writes <out>/<namespace>.md for every namespace with a schema, and <out>/README.md, an index. Each \
            page lists the options in schema order with their type, schema default, description and the value in \
            every target (and the file that sets it), then the feature flags with owner, creation date and \
            segments per target. The layout is stable (no dates, no line numbers), so a change shows as a small \
            diff in review; commit the pages and run with --check in CI.

            The tree is linted first; with errors nothing is written (exit 1). Files are written atomically. \
            Exit codes: 0 written (or up to date with --check), 1 invalid tree, 2 usage or environment error, \
            3 with --check when <out> is not up to date.
            """
    )

    @Option(help: ArgumentHelp("The output directory (created when missing).", valueName: "dir"))
    var out: String

    @Flag(help: "Compare with --out instead of writing; exit 3 when it differs.")
    var check = false

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func run() async throws {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let report = try await CheckedTree.lint(
            Linter(source: opened.source, layout: opened.layout, retainsValues: true), consequence: "nothing written",
            color: colorOptions)
        var files: [OutputFile] = []
        var index: [(name: String, options: Int, flags: Int, targets: [String])] = []
        for namespace in report.schemas.schemas.keys.sorted(by: JSONWriter.utf8Precedes) {
            guard let schema = report.schemas.schemas[namespace] else { continue }
            let description = NamespaceDescription(
                namespace: namespace, schema: schema, files: report.values[namespace] ?? [], origin: "")
            let page = MarkdownReference.page(
                description, schema: schema, valuesDirectory: opened.source.displayPath(opened.layout.valuesDirectory))
            files.append(OutputFile(name: "\(namespace).md", namespace: namespace, target: "", bytes: Array(page.utf8)))
            index.append((namespace, schema.options.count, schema.featureFlags.count, description.targets))
        }
        files.append(
            OutputFile(name: "README.md", namespace: "", target: "", bytes: Array(MarkdownReference.index(index).utf8)))
        let directory = OutputDirectory(path: out)
        if check {
            let plan = directory.plan(files, scope: .everything)
            let stale = plan.added + plan.changed.map(\.name) + plan.removed
            if stale.isEmpty {
                Output.standardError("optionsctl: \(out) is up to date (\(files.count) files)\n")
                terminate(0)
            }
            for name in stale { Output.standardOutput("\(name)\n") }
            Output.standardError(
                "optionsctl: \(out) is not up to date: \(stale.count) file(s) differ; run optionsctl docs --out \(out)\n"
            )
            terminate(3)
        }
        do {
            _ = try await directory.write(files, scope: .everything)
        } catch {
            throw Output.fail(error.description)
        }
        Output.standardError("optionsctl: wrote \(files.count) pages to \(out)\n")
        terminate(0)
    }
}
