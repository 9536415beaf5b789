import OptionsSchema
import Pipeline

/// One namespace of the tree, linted with its parsed values kept: what `show` and `flag` read before merging it
/// for a target. Problems end the command with the messages both share.
struct LintedNamespace {
    var name: String
    var opened: TreeOptions.Tree
    var schema: NamespaceSchema
    var files: [LoadedValuesFile]
    /// The namespaces and targets of the whole tree, for suggestions.
    var inventory: TreeInventory

    /// Lints `name` in `tree`; with errors, prints them (to standard output or error) and the line
    /// `'<name>' has errors; fix them to <purpose>`, and exits 1; a namespace without a schema exits 1 too.
    static func load(
        _ name: String, tree: TreeOptions, purpose: String, diagnosticsToStandardOutput: Bool, color: ColorOptions
    ) async throws -> LintedNamespace {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let inventory = TreeInventory(source: opened.source, layout: opened.layout)
        if inventory.namespaces[name] == nil {
            let message = Selection.notFound(
                "Namespace", name, in: "schemas or values", candidates: inventory.namespaces.keys.sorted(),
                plural: "namespaces")
            Output.standardError("optionsctl: error: \(message)\n")
            terminate(1)
        }
        let report: LintReport
        do {
            // The linter keeps the files it parsed; the merge reads nothing again.
            report = try await Linter(source: opened.source, layout: opened.layout, retainsValues: true).lint(
                namespaces: [name])
        } catch {
            throw Output.fail(error.description)
        }
        if report.errorCount > 0 {
            let rendered = DiagnosticRenderer(
                toolVersion: OptionsCtl.version, usesColor: color.usesColor(on: diagnosticsToStandardOutput ? 1 : 2)
            ).render(report.diagnostics, as: .text)
            if diagnosticsToStandardOutput {
                Output.standardOutput(rendered)
            } else {
                Output.standardError(rendered)
            }
            Output.standardError("optionsctl: '\(name)' has errors; fix them to \(purpose)\n")
            terminate(1)
        }
        guard let schema = report.schemas.schemas[name] else {
            Output.standardError("optionsctl: error: Namespace '\(name)' not found (no schema)\n")
            terminate(1)
        }
        return LintedNamespace(
            name: name, opened: opened, schema: schema, files: report.values[name] ?? [], inventory: inventory)
    }

    /// The merged values of `target`; a target the namespace has no files for (other than `default`) exits 1,
    /// with a suggestion when the name is close to one the tree has.
    func configuration(in target: String) -> EffectiveConfiguration {
        if target != TreeLayout.defaultTarget {
            var available = inventory.targets
            available[name] = Set(files.map(\.file.target))
            let problems = Selection(namespaces: [name], targets: [target]).problems(in: available)
            if !problems.isEmpty {
                for problem in problems { Output.standardError("optionsctl: error: \(problem)\n") }
                terminate(1)
            }
        }
        return NamespaceValues.configurations(of: name, files: files, targets: [target])[0]
    }
}
