import ArgumentParser
import OptionsSchema
import Pipeline

/// The output formats of `show`.
enum ShowFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `optionsctl show`: the effective configuration one pod in a region reads, and where each value comes from.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the effective value of every option of a namespace in a target, and where it comes from.",
        discussion: """
            Merges the default target and the given target as a deployment does (a target value replaces the \
            default value of that option as a whole) and lists every option of the schema: its value and its \
            source — a file of the target, a file of default (marked when the target overrides it), or the \
            schema default. Keys the schema does not declare are listed last.

            The namespace is linted first; with errors it prints them and exits 1.
            Exit codes: 0 success, 1 invalid tree or unknown namespace/target, 2 usage or environment error.
            """
    )

    @Argument(help: "The namespace.", completion: .custom(Completions.namespaces))
    var namespace: String

    @Option(
        help: ArgumentHelp("The target (region), or 'default'.", valueName: "target"),
        completion: .custom(Completions.targets))
    var target: String

    @OptionGroup var tree: TreeOptions

    @Option(help: "Output format: text or json.")
    var format: ShowFormat = .text

    @OptionGroup var colorOptions: ColorOptions

    func run() async throws {
        let linted = try await LintedNamespace.load(
            namespace, tree: tree, purpose: "see its effective values", diagnosticsToStandardOutput: true,
            color: colorOptions)
        let configuration = linted.configuration(in: target)
        let (opened, schema) = (linted.opened, linted.schema)
        let (source, layout) = (opened.source, opened.layout)
        let origin = opened.commit.map { "\(tree.rev ?? "") \($0.sha.prefix(12))" } ?? "working tree"
        var renderer = EffectiveRenderer(
            namespacePrefix: source.displayPath(joinedPath(layout.valuesDirectory, namespace)) + "/", origin: origin)
        renderer.paint = colorOptions.paint(on: 1)
        let options = configuration.resolved(with: schema)
        switch format {
        case .text: Output.standardOutput(renderer.text(options, namespace: namespace, target: target))
        case .json: Output.standardOutput(renderer.json(options, namespace: namespace, target: target))
        }
        terminate(0)
    }

    func joinedPath(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : directory + "/" + name
    }
}
