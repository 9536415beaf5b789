import OptionsSchema
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
    /// The first repository handle, behind its lock.
    let first: Slot
    /// More handles, opened when readers would otherwise wait (up to one per processor), so a small read opens
    /// the repository once and a parallel one rarely waits.
    let extra: Mutex<[Slot]>
    /// Where the repository is, to open more handles.
    let repositoryPath: String
    /// The largest blob read, in bytes: checked from the object's header before it is inflated.
    public let maxFileSize: Int

    /// A repository handle and its cache behind a lock.
    final class Slot: Sendable {
        let mutex: Mutex<State>
        init(_ state: consuming sending State) { mutex = Mutex(state) }
    }

    struct State: ~Copyable {
        let repository: Repository
        /// Trees already read, by repository path (`""` is the root tree).
        var trees: [String: Repository.Tree]

        /// The tree at `path`, read once and cached; `nil` when there is no directory there.
        mutating func tree(at path: String) throws(GitError) -> Repository.Tree? {
            if let cached = trees[path] { return cached }
            let (parentPath, name) = Self.split(path)
            guard let parent = try tree(at: parentPath), let tree = try parent.subtree(named: name) else { return nil }
            trees[path] = tree
            return tree
        }

        /// The directory part and the last component of a path.
        static func split(_ path: String) -> (parent: String, name: String) {
            guard let slash = path.lastIndex(of: "/") else { return ("", path) }
            return (String(path[..<slash]), String(path[path.index(after: slash)...]))
        }
    }

    /// Opens the repository containing `root`, resolves `revision` and reads its tree below `root`.
    /// - Parameter root: a directory inside the repository's working tree, as the user gave it.
    /// - Throws: `GitError` when `root` is not in a repository or `revision` does not resolve.
    public init(
        discoveringFrom root: String, revision: String, currentDirectory: String,
        maxFileSize: Int = WorktreeSource.defaultMaxFileSize
    ) throws(GitError) {
        self.maxFileSize = maxFileSize
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
        first = Slot(State(repository: repository, trees: ["": tree]))
        extra = Mutex([])
        repositoryPath = repository.workingDirectory ?? root
    }

    /// Another handle on the same repository and commit, for parallel reads.
    static func openSlot(_ path: String, _ commit: Commit) -> Slot? {
        guard let repository = try? Repository(discoveringFrom: path), let tree = try? repository.tree(of: commit)
        else {
            return nil
        }
        return Slot(State(repository: repository, trees: ["": tree]))
    }

    /// Runs `body` with a free repository handle: the first, another already open, or a new one while fewer than
    /// one per processor are open; otherwise it waits for the first.
    func withState<Value>(_ body: (inout State) -> sending Value) -> sending Value {
        if let value = first.mutex.withLockIfAvailable({ body(&$0) }) { return value }
        let opened = extra.withLock { $0 }
        for slot in opened {
            if let value = slot.mutex.withLockIfAvailable({ body(&$0) }) { return value }
        }
        let added: Slot? = extra.withLock { slots in
            guard slots.count + 1 < processorCount, let slot = Self.openSlot(repositoryPath, commit) else { return nil }
            slots.append(slot)
            return slot
        }
        return (added ?? first).mutex.withLock { body(&$0) }
    }

    func pathInRepository(_ path: String) -> String {
        joinPath(prefix, path)
    }

    public func entries(of directory: String) throws(SourceError) -> [DirectoryEntry] {
        let path = pathInRepository(directory)
        let result: Result<[DirectoryEntry], SourceError> = withState { state in
            do throws(GitError) {
                guard let tree = try state.tree(at: path) else {
                    let (parent, name) = State.split(path)
                    let exists = try state.tree(at: parent)?.child(named: name) != nil
                    let display = displayPath(directory)
                    return .failure(exists ? .notADirectory(display) : .notFound(display))
                }
                return .success(tree.entries.sorted { JSONWriter.utf8Precedes($0.name, $1.name) })
            } catch {
                return .failure(.unreadable(displayPath(directory), reason: error.message))
            }
        }
        return try result.get()
    }

    public func contents(of path: String) throws(SourceError) -> [UInt8] {
        let (parent, name) = State.split(pathInRepository(path))
        let result: Result<[UInt8], SourceError> = withState { state in
            do throws(GitError) {
                guard let tree = try state.tree(at: parent), tree.child(named: name) != nil else {
                    return .failure(.notFound(displayPath(path)))
                }
                return .success(try tree.blob(named: name, limit: maxFileSize))
            } catch {
                return .failure(
                    error.isCorruptObject
                        ? .corrupt(displayPath(path), reason: error.message)
                        : .unreadable(displayPath(path), reason: error.message))
            }
        }
        return try result.get()
    }

    public func kind(of path: String) -> EntryKind? {
        let full = pathInRepository(path)
        if full.isEmpty { return .directory }
        let (parent, name) = State.split(full)
        return withState { state in
            guard let tree = try? state.tree(at: parent) else { return nil }
            return tree.child(named: name)?.kind
        }
    }

    /// The git object id (tree or blob) at `path`; `nil` when nothing is there (and for the root itself).
    public func contentID(of path: String) -> String? {
        let full = pathInRepository(path)
        if full.isEmpty { return nil }
        let (parent, name) = State.split(full)
        return withState { state in
            guard let tree = try? state.tree(at: parent), let child = tree.child(named: name) else { return nil }
            return Repository.hex(child.id)
        }
    }

    public func displayPath(_ path: String) -> String {
        if displayRoot == "." { return path }
        return path.isEmpty ? displayRoot : displayRoot + "/" + path
    }
}
