import Synchronization

/// The tree of a git revision, read through libgit2 without a checkout.
///
/// Paths are relative to `prefix` inside the repository (the directory the user named as the root), so the same
/// pipeline code reads a revision exactly as it reads the working tree. Nothing is read from the working tree.
///
/// ```swift
/// let source = try GitTreeSource(discoveringFrom: ".", revision: "HEAD~1")
/// let report = try await Linter(source: source).lint()
/// ```
public final class GitTreeSource: TreeSource {
    /// The revision as the user wrote it.
    public let revision: String
    /// The commit it resolved to.
    public let commit: Commit
    /// Where the tree root is inside the repository (`""` for the repository root).
    public let prefix: String
    /// How paths are shown: the root as the user gave it.
    let displayRoot: String
    let state: Mutex<State>

    struct State: ~Copyable {
        let repository: Repository
        let tree: Repository.Tree
    }

    /// Opens the repository containing `root`, resolves `revision` and reads its tree below `root`.
    /// - Parameter root: a directory inside the repository's working tree, as the user gave it.
    /// - Throws: `GitError` when `root` is not in a repository or `revision` does not resolve.
    public init(discoveringFrom root: String, revision: String, currentDirectory: String) throws(GitError) {
        let repository = try Repository(discoveringFrom: root)
        let commit = try repository.resolve(revision)
        let tree = try repository.tree(of: commit)
        var prefix = ""
        if let workingDirectory = repository.workingDirectory {
            let base = ChangeScope.absolute(workingDirectory, from: currentDirectory)
            let absoluteRoot = ChangeScope.absolute(root, from: currentDirectory)
            prefix = ChangeScope.relative(absoluteRoot, to: base)
            if prefix.hasPrefix("/") { prefix = "" }
        }
        self.revision = revision
        self.commit = commit
        self.prefix = prefix
        self.displayRoot = WorktreeSource(root: root).root
        self.state = Mutex(State(repository: repository, tree: tree))
    }

    func repositoryPath(_ path: String) -> String {
        joinPath(prefix, path)
    }

    public func entries(of directory: String) throws(SourceError) -> [DirectoryEntry] {
        let path = repositoryPath(directory)
        let result: Result<[DirectoryEntry], SourceError> = state.withLock { state in
            do throws(GitError) {
                guard let tree = try state.tree.subtree(at: path) else {
                    return .failure(
                        state.tree.kind(of: path) == nil
                            ? .notFound(displayPath(directory)) : .notADirectory(displayPath(directory)))
                }
                return .success(tree.entries.sorted { isInByteOrder($0.name, $1.name) })
            } catch {
                return .failure(.unreadable(displayPath(directory), reason: error.message))
            }
        }
        return try result.get()
    }

    public func contents(of path: String) throws(SourceError) -> [UInt8] {
        let full = repositoryPath(path)
        let result: Result<[UInt8], SourceError> = state.withLock { state in
            do throws(GitError) {
                return .success(try state.tree.contents(of: full))
            } catch {
                if state.tree.kind(of: full) == nil { return .failure(.notFound(displayPath(path))) }
                return .failure(.unreadable(displayPath(path), reason: error.message))
            }
        }
        return try result.get()
    }

    public func kind(of path: String) -> EntryKind? {
        let full = repositoryPath(path)
        return state.withLock { $0.tree.kind(of: full) }
    }

    public func displayPath(_ path: String) -> String {
        if displayRoot == "." { return path }
        return path.isEmpty ? displayRoot : displayRoot + "/" + path
    }
}
