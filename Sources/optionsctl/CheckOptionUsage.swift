import ArgumentParser
import OptionsSchema
import Pipeline

/// `optionsctl check-option-usage`: every values file and line that still sets an option a schema change
/// removes.
struct CheckOptionUsage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-option-usage",
        abstract: "List every values file and line that still sets an option removed from its schema.",
        discussion: """
            The removed options come from --deletions "ns:option ns:option" (what validate-schema-changes \
            --report-deletions prints) or from --diff FILE, the output of 'optionsctl diff --format json' \
            ('-' reads it from stdin): its option-removed schema changes. The values are those of the tree \
            (--root, --values; an automator checkout). Each place is a warning with file:line:col, in the \
            chosen format (github: annotations on the lines).

            Exit codes: 0 no removed option is set, 1 some are (or a values file could not be checked), 2 usage \
            or environment error.
            """
    )

    @Option(
        help: ArgumentHelp(
            "The removed options, space-separated namespace:option pairs.", valueName: "pairs"))
    var deletions: String?

    @Option(
        help: ArgumentHelp(
            "Read the removed options from 'optionsctl diff --format json' output ('-' for stdin).",
            valueName: "file"))
    var diff: String?

    @Option(help: "Output format: text, json, sarif or github.")
    var format: DiagnosticFormat = .text

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func validate() throws {
        if (deletions == nil) == (diff == nil) { throw ValidationError("Give --deletions or --diff (one of them).") }
    }

    func run() async throws {
        var names: [OptionUsage.Name] = []
        if let deletions {
            for token in deletions.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
                guard let name = OptionUsage.Name(parsing: String(token)), !name.namespace.isEmpty else {
                    throw Output.fail("--deletions: '\(token)' is not namespace:option")
                }
                names.append(name)
            }
        } else if let diff {
            names = try Self.removedOptions(inDiffJSON: diff)
        }
        let opened = try tree.open(currentDirectory: Output.currentDirectory)
        let result: OptionUsage.Result
        do {
            result = try OptionUsage.find(names, source: opened.source, layout: opened.layout)
        } catch {
            throw Output.fail(error.description)
        }
        let diagnostics = result.diagnostics + OptionUsage.diagnostics(for: result)
        var renderer = DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: colorOptions.usesColor(on: 1))
        if format == .sarif { renderer.repositoryPaths = tree.repositoryPaths(opened) }
        Output.standardOutput(renderer.render(diagnostics, as: format))
        let inUse = Set(result.uses.map(\.name))
        Output.standardError(
            "optionsctl: \(inUse.count) of \(Set(names).count) removed option(s) still set, in "
                + "\(result.uses.count) place(s)\n")
        terminate(diagnostics.isEmpty ? 0 : 1)
    }

    /// The `option-removed` schema changes of a diff report (`optionsctl diff --format json`).
    static func removedOptions(inDiffJSON path: String) throws -> [OptionUsage.Name] {
        let bytes: [UInt8]
        if path == "-" {
            guard let input = Output.standardInput(limit: WorktreeSource.defaultMaxFileSize) else {
                throw Output.fail("--diff -: standard input is over 16 MiB or cannot be read")
            }
            bytes = input
        } else {
            do {
                bytes = try CheckedTree.contents(ofFileNamed: path)
            } catch {
                throw Output.fail("--diff: \(error.description)")
            }
        }
        let node: Node
        do {
            node = try JSONReader.parse(bytes)
        } catch {
            throw Output.fail("--diff: not the JSON of 'optionsctl diff --format json': \(error)")
        }
        guard case .array(let changes)? = node["schemaChanges"]?.content else {
            throw Output.fail("--diff: no 'schemaChanges' list: not the JSON of 'optionsctl diff --format json'")
        }
        return changes.compactMap { change in
            guard change["kind"]?.stringValue == "option-removed", let namespace = change["namespace"]?.stringValue,
                let key = change["key"]?.stringValue
            else { return nil }
            return OptionUsage.Name(namespace: namespace, key: key)
        }
    }
}
