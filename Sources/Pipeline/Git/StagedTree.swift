import OptionsSchema

/// What the next commit will contain, as a tree: the staged files (the git index, read through libgit2) of every
/// namespace a staged change touches — additions, modifications, deletions and renames — so a pre-commit check
/// sees the commit, not the working tree.
///
/// ```swift
/// let staged = try StagedTree(discoveringFrom: ".", currentDirectory: cwd)
/// let report = try await Linter(source: staged.source).lint(namespaces: staged.touched)
/// ```
public struct StagedTree: Sendable {
    /// The staged files of the touched namespaces, below the root.
    public var source: MemorySource
    /// The namespaces with a staged change, whether their files are still there or not.
    public var touched: Set<String>

    /// Reads the index of the repository containing `root`; paths are taken below `root`, laid out as `layout`.
    /// A staged file over `maxFileSize` bytes is listed but unreadable: linting it reports that file and goes on.
    /// - Throws: `GitError` when `root` is not in a repository, the index cannot be read, or an object is damaged.
    public init(
        discoveringFrom root: String, layout: TreeLayout = TreeLayout(), currentDirectory: String,
        maxFileSize: Int = WorktreeSource.defaultMaxFileSize
    ) throws(GitError) {
        let repository = try Repository(discoveringFrom: root)
        guard let workingDirectory = repository.workingDirectory else {
            throw GitError("'\(root)' is in a bare repository: there is nothing staged")
        }
        var prefix = ChangeScope.relative(
            ChangeScope.absolute(root, from: currentDirectory),
            to: ChangeScope.absolute(workingDirectory, from: currentDirectory))
        if prefix.hasPrefix("/") { prefix = "" }
        let below = prefix.isEmpty ? "" : prefix + "/"
        func relative(_ path: String) -> String? {
            path.hasPrefix(below) ? String(path.dropFirst(below.count)) : nil
        }
        let (files, changed) = try repository.staged()
        touched = layout.namespaces(touchedBy: changed.compactMap(relative))
        var bytes: [String: [UInt8]] = [:]
        var failures: [String: String] = [:]
        for file in files {
            guard let path = relative(file.path), !layout.namespaces(touchedBy: [path]).isDisjoint(with: touched) else {
                continue
            }
            do {
                bytes[path] = try repository.blob(id: file.id, limit: maxFileSize)
            } catch  where !error.isCorruptObject {
                failures[path] = error.message
            }
        }
        source = MemorySource(bytes: bytes, failures: failures)
        source.displayRoot = WorktreeSource(root: root).root
    }
}
