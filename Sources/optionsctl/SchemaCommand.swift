import ArgumentParser
import OptionsSchema
import Pipeline

/// `optionsctl schema`: commands on the schemas themselves.
struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with the schemas: export them as JSON Schema for editors and validators.",
        subcommands: [SchemaExport.self]
    )
}

/// `optionsctl schema export`: a JSON Schema per namespace, and the editor wiring.
struct SchemaExport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a JSON Schema (draft 2020-12) of each namespace's values files, and the editor wiring.",
        discussion: """
            Writes <out>/<namespace>.schema.json for every namespace (or those given with --namespace) and \
            <out>/editor-settings.json: yaml-language-server's "yaml.schemas" setting mapping \
            option-values/<namespace>/**/*.yaml to its schema, with paths relative to the repository root. Merge \
            it into .vscode/settings.json (VS Code with the Red Hat YAML extension), or give the same mapping to \
            yaml-language-server in Neovim, Helix or JetBrains: option keys complete, their descriptions show on \
            hover, and wrong types, struct fields and feature flags are marked while typing.

            Unknown option keys are rejected (a typo shows at once); --lenient allows them, as lint without \
            --strict does. What JSON Schema cannot say (duplicate options across files, the directory layout, \
            YAML features optionsctl rejects) stays lint's: ci/check-json-schema-export lists it.

            The schemas are checked first; with errors nothing is written (exit 1). Files are written \
            atomically. Exit codes: 0 written, 1 invalid schemas or unknown namespace, 2 usage or environment error.
            """
    )

    @Option(help: ArgumentHelp("The output directory (created when missing).", valueName: "dir"))
    var out: String

    @Flag(help: "Allow option keys the schema does not declare (lint's default), instead of rejecting them.")
    var lenient = false

    @Option(
        name: .customLong("namespace"), help: ArgumentHelp("Only this namespace; repeatable.", valueName: "namespace"),
        completion: .custom(Completions.namespaces))
    var namespaces: [String] = []

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func run() async throws {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        var linter = Linter(source: opened.source, layout: opened.layout)
        linter.readsValues = false
        let report = try await CheckedTree.lint(linter, consequence: "nothing written", color: colorOptions)
        let available = report.schemas.schemas.keys.sorted(by: JSONWriter.utf8Precedes)
        let problems = Selection(namespaces: namespaces).problems(
            in: Dictionary(uniqueKeysWithValues: available.map { ($0, Set<String>()) }), namespacePlace: "schemas")
        if !problems.isEmpty {
            for problem in problems { Output.standardError("optionsctl: error: \(problem)\n") }
            terminate(1)
        }
        let selected = namespaces.isEmpty ? available : available.filter(namespaces.contains)
        var files: [OutputFile] = []
        for namespace in selected {
            guard let schema = report.schemas.schemas[namespace] else { continue }
            let text = JSONWriter.pretty(JSONSchemaExport.document(for: schema, strict: !lenient))
            files.append(
                OutputFile(name: "\(namespace).schema.json", namespace: namespace, target: "", bytes: Array(text.utf8)))
        }
        // The wiring names the schemas relative to the repository root, where editors open the workspace.
        let outInRoot = ChangeScope.relative(
            opened.absolute(ChangeScope.absolute(out, from: Output.currentDirectory)), to: opened.rootPath)
        let valuesInRoot = ChangeScope.relative(opened.absolute(opened.layout.valuesDirectory), to: opened.rootPath)
        let settings = JSONSchemaExport.editorSettings(
            schemaPaths: selected.map { (namespace: $0, path: "\(outInRoot)/\($0).schema.json") },
            valuesDirectory: valuesInRoot)
        files.append(
            OutputFile(
                name: "editor-settings.json", namespace: "", target: "", bytes: Array(JSONWriter.pretty(settings).utf8))
        )
        do {
            _ = try await OutputDirectory(path: out).write(files, scope: .everything)
        } catch {
            throw Output.fail(error.description)
        }
        Output.standardError(
            "optionsctl: wrote \(selected.count) JSON Schema(s) and editor-settings.json to \(out)"
                + (lenient ? " (lenient: unknown keys allowed)" : "") + "\n")
        terminate(0)
    }
}
