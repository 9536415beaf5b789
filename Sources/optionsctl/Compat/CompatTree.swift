import ArgumentParser
import Pipeline

/// The tree a surface command reads: `--schemas DIR` and, for values, `--root DIR` (the values directory, as the
/// reference names it), both relative to the current directory, read through optionsctl's one safe path.
struct CompatTree {
    var source: WorktreeSource
    var layout: TreeLayout

    /// Opens the directories; a refusal (a link or special file where a directory should be) ends the command
    /// with exit 1, as the reference's I/O errors do.
    init(schemas: String, values: String?, log: CompatLog) {
        let current = Output.currentDirectory
        func inTree(_ given: String) -> String {
            ChangeScope.relative(ChangeScope.absolute(given, from: current), to: current)
        }
        let schemasDirectory = inTree(schemas)
        // Without --root nothing below the schemas is read as values (Linter.readsValues is off then).
        let valuesDirectory = values.map(inTree) ?? schemasDirectory
        layout = TreeLayout(schemasDirectory: schemasDirectory, valuesDirectory: valuesDirectory)
        source = WorktreeSource(
            root: ".", trusting: [schemasDirectory] + (values == nil ? [] : [valuesDirectory]),
            maxFileSize: WorktreeSource.defaultMaxFileSize)
        if let refusal = source.refusals.first { log.fail("I/O error: \(refusal.description)") }
    }

    /// Lints the tree (schemas only unless values were given); a directory that cannot be read ends the command
    /// with the reference's prefix for it.
    func lint(readsValues: Bool, retainsValues: Bool = false, log: CompatLog) async -> LintReport {
        if source.kind(of: layout.schemasDirectory) != .directory {
            log.fail(
                "Schema validation error: Failed to read file: schemas directory '\(source.displayPath(layout.schemasDirectory))' "
                    + "does not exist or is not a directory")
        }
        if readsValues && source.kind(of: layout.valuesDirectory) != .directory {
            log.fail(
                "Directory walk error: values directory '\(source.displayPath(layout.valuesDirectory))' does not "
                    + "exist or is not a directory")
        }
        var linter = Linter(
            source: source, layout: layout, requiresValuesDirectory: readsValues, retainsValues: retainsValues)
        linter.readsValues = readsValues
        do {
            return try await linter.lint()
        } catch {
            log.fail("I/O error: \(error.description)")
        }
    }
}

/// `validate-schema --schemas DIR`: every namespace's schema.json against the schema language.
struct CompatValidateSchema: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-schema",
        abstract: "Validate schema definitions",
        discussion: "Checks <schemas>/<namespace>/schema.json for every namespace; every problem is listed."
    )

    @Option(help: ArgumentHelp("directory containing namespace schema definitions", valueName: "SCHEMAS"))
    var schemas: String

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        let log = CompatLog(quiet: global.quiet)
        let report = await CompatTree(schemas: schemas, values: nil, log: log).lint(readsValues: false, log: log)
        log.failOnErrors(report.diagnostics, prefix: "Schema validation error: ")
        log.info("Schema validation successful")
    }
}

/// `validate-values --schemas DIR --root DIR`: the values tree against the schemas.
struct CompatValidateValues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-values",
        abstract: "Validate option values against schemas",
        discussion: """
            Checks <root>/<namespace>/<target>/*.yaml against the schemas: layout, names, YAML, types, \
            duplicate keys across files. Unknown option keys are warnings. Every problem is listed.
            """
    )

    @Option(help: ArgumentHelp("directory containing namespace schema definitions", valueName: "SCHEMAS"))
    var schemas: String

    @Option(help: ArgumentHelp("root directory of the sentry options", valueName: "ROOT"))
    var root: String

    @OptionGroup var global: CompatGlobalOptions

    func run() async throws {
        let log = CompatLog(quiet: global.quiet)
        let report = await CompatTree(schemas: schemas, values: root, log: log).lint(readsValues: true, log: log)
        log.failOnErrors(report.diagnostics)
        log.info("Values validation successful")
    }
}
