import Pipeline

/// The steps several commands share before they produce anything: lint the tree, and stop at its errors.
enum CheckedTree {
    /// Lints `linter`'s tree; with errors, prints them to stderr with `optionsctl: <consequence>` and exits 1.
    static func lint(
        _ linter: Linter, namespaces: Set<String>? = nil, consequence: String, color: ColorOptions
    ) async throws -> LintReport {
        let report: LintReport
        do {
            report = try await linter.lint(namespaces: namespaces)
        } catch {
            throw Output.fail(error.description)
        }
        if report.errorCount > 0 {
            Output.standardError(
                DiagnosticRenderer(toolVersion: OptionsCtl.version, usesColor: color.usesColor(on: 2)).render(
                    report.diagnostics.filter { $0.severity == .error }, as: .text))
            Output.standardError("optionsctl: \(report.errorCount) error(s); \(consequence)\n")
            terminate(1)
        }
        return report
    }

    /// The bytes of a file the user named (`--diff FILE`, `--config FILE`, `--out FILE` with `--check`), read
    /// through the safe path: a link or special file there is refused.
    static func contents(ofFileNamed path: String) throws(SourceError) -> [UInt8] {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return try WorktreeSource(root: directory).contents(of: name)
    }
}
