import OptionsSchema
import Pipeline

/// One namespace of the tree, linted with its parsed values kept: what `show` and `flag` read before merging it
/// for a target. Problems end the command with the messages both share.
struct LintedNamespace {
    var name: String
    var opened: TreeOptions.Tree
    var schema: NamespaceSchema
    var files: [LoadedValuesFile]

    /// Lints `name` in `tree`; with errors, prints them (to standard output or error) and the line
    /// `'<name>' has errors; fix them to <purpose>`, and exits 1; a namespace without a schema exits 1 too.
    static func load(_ name: String, tree: TreeOptions, purpose: String, diagnosticsToStandardOutput: Bool)
        async throws -> LintedNamespace
    {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let report: LintReport
        do {
            // The linter keeps the files it parsed; the merge reads nothing again.
            report = try await Linter(source: opened.source, layout: opened.layout, retainsValues: true).lint(
                namespaces: [name])
        } catch {
            throw Output.fail(error.description)
        }
        if report.errorCount > 0 {
            let rendered = DiagnosticRenderer(toolVersion: OptionsCtl.version).render(report.diagnostics, as: .text)
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
        return LintedNamespace(name: name, opened: opened, schema: schema, files: report.values[name] ?? [])
    }

    /// The merged values of `target`; a target the namespace has no files for (other than `default`) exits 1.
    func configuration(in target: String) -> EffectiveConfiguration {
        let targets = Set(files.map(\.file.target)).sorted()
        guard target == "default" || targets.contains(target) else {
            Output.standardError(
                "optionsctl: error: Target '\(target)' not found in namespace '\(name)'"
                    + (targets.isEmpty ? "\n" : " (targets: \(targets.joined(separator: ", ")))\n"))
            terminate(1)
        }
        return NamespaceValues.configurations(of: name, files: files, targets: [target])[0]
    }
}
