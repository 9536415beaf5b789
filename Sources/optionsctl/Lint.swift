import ArgumentParser
import OptionsSchema
import Pipeline

extension DiagnosticFormat: ExpressibleByArgument {}

/// `optionsctl lint`: check schemas and values, reporting every problem at once.
struct Lint: AsyncParsableCommand, CheckedArguments {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check schemas and values files and report every problem with file:line:col.",
        discussion: """
            Without paths, checks the whole tree: every schema under the schemas directory and every values \
            file under the values directory. With paths (as pre-commit passes them), checks only the namespaces \
            those files belong to; a changed schema.json re-checks every values file of its namespace, and \
            paths outside both directories are ignored.

            Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or environment error.
            """
    )

    @OptionGroup var tree: TreeOptions

    @Option(help: "Output format: text, json, github or sarif.")
    var format: DiagnosticFormat = .text

    @Flag(help: "Treat warnings (such as unknown options) as errors.")
    var strict = false

    @Flag(
        help: ArgumentHelp(
            "Also report configuration that changes nothing: a target value equal to default's "
                + "(redundant-override) or to the schema default (redundant-schema-default), and namespaces with "
                + "values for default only (default-only-namespace). Warnings that --strict leaves warnings."))
    var pedantic = false

    @Flag(help: "Print errors only: no warnings, no summary.")
    var quiet = false

    @Argument(help: ArgumentHelp("Changed files; only their namespaces are checked.", valueName: "path"))
    var paths: [String] = []

    @Flag(
        help: ArgumentHelp(
            "Check what the next commit contains: every namespace a staged change touches, as staged in the git "
                + "index (deletions and renames included), not as in the working tree."))
    var staged = false

    @OptionGroup var colorOptions: ColorOptions

    func checkArguments() throws {
        if staged && tree.rev != nil { throw ValidationError("--staged reads the index: it does not take --rev.") }
        if staged && !paths.isEmpty {
            throw ValidationError(
                "--staged finds the changed files itself: give no paths (pre-commit: pass_filenames: false).")
        }
    }

    func run() async throws {
        let currentDirectory = Output.currentDirectory
        var opened: TreeOptions.Tree
        var namespaces: Set<String>? = nil
        var scope = ""
        if staged {
            opened = try tree.open(currentDirectory: currentDirectory)
            let index: StagedTree
            do {
                index = try StagedTree(
                    discoveringFrom: tree.root, layout: opened.layout, currentDirectory: currentDirectory,
                    maxFileSize: tree.maxFileSize.bytes)
            } catch {
                throw Output.fail(error.message)
            }
            if index.touched.isEmpty {
                if !quiet && format == .text {
                    Output.standardError("optionsctl: no staged change to schemas or values: nothing to check\n")
                }
                if format != .text {
                    Output.standardOutput(DiagnosticRenderer(toolVersion: OptionsCtl.version).render([], as: format))
                }
                terminate(0)
            }
            opened.source = index.source
            namespaces = index.touched
            scope = " staged"
        } else {
            opened = try tree.tree(currentDirectory: currentDirectory)
        }
        let source = opened.source
        let layout = opened.layout
        if !paths.isEmpty {
            namespaces = ChangeScope.namespaces(
                touchedBy: paths, schemasDirectory: opened.absolute(layout.schemasDirectory),
                valuesDirectory: opened.absolute(layout.valuesDirectory), currentDirectory: currentDirectory)
        }
        let linter = Linter(
            source: source, layout: layout, requiresValuesDirectory: tree.values != nil, retainsValues: pedantic)
        var report: LintReport
        do {
            report = try await linter.lint(namespaces: namespaces)
        } catch {
            throw Output.fail(error.description)
        }
        if pedantic {
            report.diagnostics = (report.diagnostics + DeadConfiguration.findings(in: report)).sorted(
                by: Diagnostic.precedes)
        }
        if strict { report = report.strict() }
        var diagnostics = report.diagnostics
        if quiet { diagnostics.removeAll { $0.severity == .warning } }
        var renderer = DiagnosticRenderer(
            toolVersion: OptionsCtl.version, usesColor: format == .text && colorOptions.usesColor(on: 1))
        if format == .sarif || format == .github { renderer.repositoryPaths = tree.repositoryPaths(opened) }
        let output = renderer.render(diagnostics, as: format)
        if !output.isEmpty { Output.standardOutput(output) }
        if !quiet && format == .text {
            var line = summary(report)
            if let commit = opened.commit { line += " at \(tree.rev ?? "") (\(commit.sha.prefix(12)))" }
            line += scope
            Output.standardError(line + "\n")
        }
        // Exit here rather than return: tearing down the loaded schemas would only cost time.
        terminate(report.errorCount > 0 ? 1 : 0)
    }

    func summary(_ report: LintReport) -> String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        let scope = "\(count(report.schemaCount, "schema")) and \(count(report.valuesFileCount, "values file"))"
        if report.errorCount == 0 && report.warningCount == 0 { return "optionsctl: no problems in \(scope)" }
        return "optionsctl: \(count(report.errorCount, "error")), \(count(report.warningCount, "warning")) in \(scope)"
    }
}
