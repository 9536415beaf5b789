import ArgumentParser
import OptionsSchema
import Pipeline

/// `optionsctl describe`: one namespace's options across every region, side by side.
struct Describe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show each option of a namespace: type, default, description and its value in every target.",
        discussion: """
            One table: each option's type (as the schema spells it), schema default, and its effective value in \
            default and in every target the namespace has files for, side by side (* marks a value set in that \
            target's own files, (x) the schema default); then each option's description. With OPTION \
            arguments, only those options. --format json gives every value's source file, line and column.

            The namespace is linted first; with errors it prints them and exits 1.
            Exit codes: 0 success, 1 invalid tree or unknown namespace/option, 2 usage or environment error.
            """
    )

    @Argument(help: "The namespace.", completion: .custom(Completions.namespaces))
    var namespace: String

    @Argument(help: "Only these options (keys of the namespace).", completion: .custom(Completions.options))
    var options: [String] = []

    @Option(help: "Output format: text or json.")
    var format: ShowFormat = .text

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func run() async throws {
        let linted = try await LintedNamespace.load(
            namespace, tree: tree, purpose: "describe it", diagnosticsToStandardOutput: false, color: colorOptions)
        let schema = linted.schema
        let known = schema.allKeys + linted.files.flatMap { $0.options.map(\.key) }
        var unknown = false
        for key in options where !known.contains(key) {
            unknown = true
            Output.standardError(
                "optionsctl: error: "
                    + Selection.notFound(
                        "Option", key, in: "namespace '\(namespace)'", candidates: schema.allKeys, plural: "options")
                    + "\n")
        }
        if unknown { terminate(1) }
        let origin = linted.opened.commit.map { "\(tree.rev ?? "") \($0.sha.prefix(12))" } ?? "working tree"
        let description = NamespaceDescription(
            namespace: namespace, schema: schema, files: linted.files, origin: origin,
            keys: options.isEmpty ? nil : options)
        switch format {
        case .text: Output.standardOutput(description.text(paint: colorOptions.paint(on: 1)))
        case .json: Output.standardOutput(description.json())
        }
        terminate(0)
    }
}
