import ArgumentParser
import OptionsSchema
import Pipeline

/// `optionsctl generate`: code generated from the schemas.
struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate typed accessors from a namespace's schema.",
        subcommands: [GenerateSwift.self]
    )
}

/// `optionsctl generate swift`: a typed Swift view of one namespace over the `Reader`.
struct GenerateSwift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swift",
        abstract: "Write a Swift file with a typed view of a namespace over the Reader library.",
        discussion: """
            The file declares <Namespace>Options (or --type-name): one property per option with its Swift type \
            (Int, Double, String, Bool, arrays, Codable structs for struct options, [String: T] for dicts), the \
            schema's description and default as doc comments, and one method per feature flag taking a \
            FeatureContext. It depends on the Reader library only and compiles under Swift 6 strict concurrency:

                let seer = try SeerOptions(store: try OptionsStore())
                let limit = try seer.autofixRateLimit
                if seer.organizationsAutofixOnIssueCreate(context) { … }

            The schema is checked first. The file is written atomically; --check compares instead (exit 3 when it \
            differs). Exit codes: 0 written or up to date, 1 invalid schema or unknown namespace, 2 usage or \
            environment error, 3 with --check when the file differs.
            """
    )

    @Option(
        help: ArgumentHelp("The namespace.", valueName: "namespace"), completion: .custom(Completions.namespaces))
    var namespace: String

    @Option(help: ArgumentHelp("The Swift file to write.", valueName: "file"))
    var out: String

    @Option(help: ArgumentHelp("The view's type name (default: <Namespace>Options).", valueName: "name"))
    var typeName: String?

    @Flag(help: "Compare with --out instead of writing; exit 3 when it differs.")
    var check = false

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func validate() throws {
        if let typeName,
            typeName.isEmpty || !typeName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
                || typeName.first!.isNumber
        {
            throw ValidationError("--type-name must be a Swift identifier, got '\(typeName)'")
        }
    }

    func run() async throws {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let loader = SchemaLoader(source: opened.source, layout: opened.layout)
        let names: [String]
        do {
            names = try loader.namespaceNames()
        } catch {
            throw Output.fail(error.description)
        }
        guard names.contains(namespace) else {
            let message = Selection.notFound(
                "Namespace", namespace, in: "schemas", candidates: names, plural: "namespaces")
            Output.standardError("optionsctl: error: \(message)\n")
            terminate(1)
        }
        let loaded = loader.load(namespace: namespace)
        guard let schema = loaded.schema else {
            Output.standardError(
                DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: colorOptions.usesColor(on: 2)).render(
                    loaded.diagnostics, as: .text))
            Output.standardError("optionsctl: the schema of '\(namespace)' has errors; nothing written\n")
            terminate(1)
        }
        let source = Array(SwiftAccessors.source(for: schema, typeName: typeName).utf8)
        if check {
            let current = try? CheckedTree.contents(ofFileNamed: out)
            if current == source {
                Output.standardError("optionsctl: \(out) is up to date\n")
                terminate(0)
            }
            Output.standardError("optionsctl: \(out) is not up to date; run the same command without --check\n")
            terminate(3)
        }
        do {
            try OutputFileWriter.write(source, to: out)
        } catch {
            throw Output.fail(error.description)
        }
        Output.standardError("optionsctl: wrote \(out)\n")
        terminate(0)
    }
}
