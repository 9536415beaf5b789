import ArgumentParser
import Pipeline

/// Where the tree is: `--root`, `--schemas`, `--values`, and `--rev` to read a git revision instead of the disk.
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

    @Option(
        help: ArgumentHelp(
            "Read the tree of this git revision (HEAD, HEAD~1, a branch, tag or SHA, A...B for the merge base) "
                + "instead of the working tree.", valueName: "rev"))
    var rev: String?

    /// The tree these options describe.
    struct Tree {
        var source: any TreeSource
        var layout: TreeLayout
        /// The root, absolute.
        var rootPath: String
        /// The commit read, with `--rev`.
        var commit: Commit?

        /// A directory of the layout, absolute.
        func absolute(_ directory: String) -> String {
            directory.hasPrefix("/") ? directory : ChangeScope.absolute(directory, from: rootPath)
        }
    }

    /// Opens the tree and checks it has a schemas directory, or fails with exit 2 and a message.
    func tree(currentDirectory: String) throws -> Tree {
        let tree = try open(currentDirectory: currentDirectory)
        guard tree.source.kind(of: tree.layout.schemasDirectory) == .directory else {
            let place = tree.commit.map { " at revision '\(rev ?? "")' (\($0.sha.prefix(12)))" } ?? ""
            throw Output.fail(
                "schemas directory '\(tree.source.displayPath(tree.layout.schemasDirectory))' does not exist\(place) "
                    + "(use --root or --schemas)")
        }
        return tree
    }

    func open(currentDirectory: String) throws -> Tree {
        let rootPath = ChangeScope.absolute(root, from: currentDirectory)
        func treePath(_ given: String?, _ fallback: String) -> String {
            guard let given else { return fallback }
            return ChangeScope.relative(ChangeScope.absolute(given, from: currentDirectory), to: rootPath)
        }
        let layout = TreeLayout(
            schemasDirectory: treePath(schemas, "schemas"), valuesDirectory: treePath(values, "option-values"))
        let worktree = WorktreeSource(root: root)
        guard worktree.kind(of: "") == .directory else {
            throw Output.fail("root directory '\(root)' does not exist or is not a directory")
        }
        guard let rev else { return Tree(source: worktree, layout: layout, rootPath: rootPath) }
        for directory in [layout.schemasDirectory, layout.valuesDirectory] where directory.hasPrefix("/") {
            throw Output.fail("with --rev, '\(directory)' must be inside the root '\(root)'")
        }
        do {
            let source = try GitTreeSource(discoveringFrom: root, revision: rev, currentDirectory: currentDirectory)
            return Tree(source: source, layout: layout, rootPath: rootPath, commit: source.commit)
        } catch {
            throw Output.fail(error.message)
        }
    }
}
