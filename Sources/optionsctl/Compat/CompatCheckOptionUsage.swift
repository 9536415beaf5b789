import ArgumentParser
import Pipeline

/// `check-option-usage --deletions "ns:opt …" --root DIR`: which of the deleted options still have values.
struct CompatCheckOptionUsage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-option-usage",
        discussion: """
            Prints, on one line of stdout, the namespace:option pairs of --deletions that a values file under \
            --root still sets, in the order given (an empty line when none is). Each place is also named on \
            stderr as file:line:col. 'optionsctl check-option-usage' does the same with file:line output.
            """
    )

    @Option(
        help: ArgumentHelp(
            "space-separated colon delimited list of namespace:option pairs", valueName: "DELETIONS"))
    var deletions: String

    @Option(help: ArgumentHelp("root directory of the sentry options", valueName: "ROOT"))
    var root: String

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        // --quiet has no effect here, as in the reference: the result is the output.
        let log = CompatLog(quiet: global.quiet)
        let tree = CompatTree(schemas: root, values: root, log: log)
        guard tree.source.kind(of: tree.layout.valuesDirectory) == .directory else {
            log.fail("Directory walk error: '\(root)' does not exist or is not a directory")
        }
        let tokens = deletions.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        var names: [OptionUsage.Name] = []
        for token in tokens {
            guard let name = OptionUsage.Name(parsing: token) else {
                log.fail("Invalid key format '\(token)', expected 'namespace:option'")
            }
            names.append(name)
        }
        let result: OptionUsage.Result
        do {
            result = try OptionUsage.find(names, source: tree.source, layout: tree.layout)
        } catch {
            log.fail("Directory walk error: \(error.description)")
        }
        log.diagnostics(OptionUsage.diagnostics(for: result))
        log.failOnErrors(result.diagnostics)
        Output.standardOutput(result.namesInUse(names).map(\.text).joined(separator: " ") + "\n")
    }
}
