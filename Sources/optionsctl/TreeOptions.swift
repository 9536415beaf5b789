import ArgumentParser
import Pipeline

/// Where the tree is: `--root`, `--schemas`, `--values`, and `--rev` to read a git revision instead of the disk.
struct TreeOptions: ParsableArguments {
    @Option(
        name: .customLong("root"),
        help: ArgumentHelp(
            "The repository root (default: found from the current directory, as git finds a repository: the "
                + "nearest directory up that holds schemas/ and option-values/ or .git).", valueName: "dir"))
    var givenRoot: String?

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
            "The largest file read, in bytes (K, M and G suffixes allowed; default 16M). Larger files are errors, "
                + "found before reading them.", valueName: "size"))
    var maxFileSize: FileSize = FileSize(bytes: WorktreeSource.defaultMaxFileSize)

    @Option(
        help: ArgumentHelp(
            "Read the tree of this git revision (HEAD, HEAD~1, a branch, tag or SHA, A...B for the merge base) "
                + "instead of the working tree.", valueName: "rev"))
    var rev: String?

    /// The root: `--root`, else (when neither --schemas nor --values is given) the one found from the current
    /// directory, else the current directory. Paths in messages are relative to the current directory.
    var root: String {
        if let givenRoot { return givenRoot }
        guard schemas == nil && values == nil else { return "." }
        return RootDiscovery.root(from: Output.currentDirectory) ?? "."
    }

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

    /// How SARIF and GitHub annotations name the files of `tree`: relative to the git work tree's root when the
    /// tree is in one, else to the tree root.
    func repositoryPaths(_ tree: Tree) -> RepositoryPaths {
        var inRepository = ""
        if let workingDirectory = (try? Repository(discoveringFrom: tree.rootPath))?.workingDirectory {
            inRepository = ChangeScope.relative(
                tree.rootPath, to: ChangeScope.absolute(workingDirectory, from: Output.currentDirectory))
            if inRepository.hasPrefix("/") { inRepository = "" }
        }
        return RepositoryPaths(displayRoot: WorktreeSource(root: root).root, rootInRepository: inRepository)
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
        let root = root
        let rootPath = ChangeScope.absolute(root, from: currentDirectory)
        func treePath(_ given: String?, _ fallback: String) -> String {
            guard let given else { return fallback }
            return ChangeScope.relative(ChangeScope.absolute(given, from: currentDirectory), to: rootPath)
        }
        let layout = TreeLayout(
            schemasDirectory: treePath(schemas, "schemas"), valuesDirectory: treePath(values, "option-values"))
        let worktree = WorktreeSource(
            root: root, trusting: [layout.schemasDirectory, layout.valuesDirectory], maxFileSize: maxFileSize.bytes)
        guard worktree.kind(of: "") == .directory else {
            throw Output.fail("root directory '\(root)' does not exist or is not a directory")
        }
        if rev == nil, let refusal = worktree.refusals.first { throw Output.fail(refusal.description) }
        guard let rev else { return Tree(source: worktree, layout: layout, rootPath: rootPath) }
        for directory in [layout.schemasDirectory, layout.valuesDirectory] where directory.hasPrefix("/") {
            throw Output.fail("with --rev, '\(directory)' must be inside the root '\(root)'")
        }
        do {
            let source = try GitTreeSource(
                discoveringFrom: root, revision: rev, currentDirectory: currentDirectory, maxFileSize: maxFileSize.bytes
            )
            return Tree(source: source, layout: layout, rootPath: rootPath, commit: source.commit)
        } catch {
            throw Output.fail(error.message)
        }
    }
}

/// A size in bytes given on the command line: `1048576`, `512K`, `16M`, `1G`.
struct FileSize: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) { self.bytes = bytes }

    init?(argument: String) {
        var digits = Substring(argument)
        var unit = 1
        switch argument.last {
        case "K", "k": unit = 1 << 10
        case "M", "m": unit = 1 << 20
        case "G", "g": unit = 1 << 30
        default: break
        }
        if unit != 1 { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value > 0,
            value <= Int.max / unit
        else { return nil }
        bytes = value * unit
    }

    var defaultValueDescription: String { "16M" }
}
