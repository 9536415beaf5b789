import ArgumentParser
import Pipeline

/// Where the tree is: `--root`, `--schemas`, `--values`.
struct TreeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The repository root.", valueName: "dir"))
    var root: String = "."

    @Option(
        help: ArgumentHelp(
            "The schemas directory (default: <root>/schemas). Relative to the current directory.", valueName: "dir"))
    var schemas: String?

    @Option(
        help: ArgumentHelp(
            "The values directory (default: <root>/option-values). Relative to the current directory.",
            valueName: "dir"))
    var values: String?

    /// The source and layout these options describe.
    func tree(currentDirectory: String) -> (source: WorktreeSource, layout: TreeLayout) {
        let source = WorktreeSource(root: root)
        let rootPath = ChangeScope.absolute(root, from: currentDirectory)
        func treePath(_ given: String?, _ fallback: String) -> String {
            guard let given else { return fallback }
            return ChangeScope.relative(ChangeScope.absolute(given, from: currentDirectory), to: rootPath)
        }
        return (
            source,
            TreeLayout(
                schemasDirectory: treePath(schemas, "schemas"), valuesDirectory: treePath(values, "option-values"))
        )
    }
}
