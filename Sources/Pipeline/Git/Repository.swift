internal import CLibGit2
import CPlatform
import OptionsSchema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A failure reading a git repository, with libgit2's own message.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for the user.
    public var message: String

    /// Whether a git object is damaged or forged (its content does not match its id or its header), as opposed to
    /// missing or refused.
    public var isCorruptObject = false

    /// Whether a fetch failed in its transport (network, TLS, SSH, HTTP), which a second try may get past.
    public var isTransient = false

    /// Creates an error.
    public init(_ message: String, isCorruptObject: Bool = false) {
        self.message = message
        self.isCorruptObject = isCorruptObject
    }

    public var description: String { message }

    /// The message of the last libgit2 error, read right after the failing call.
    static func last(_ context: String) -> GitError {
        if let error = git_error_last(), let text = error.pointee.message {
            return GitError(context.isEmpty ? String(cString: text) : "\(context): \(String(cString: text))")
        }
        return GitError(context)
    }
}

/// A commit a revision resolved to.
public struct Commit: Sendable, Hashable {
    /// The full hexadecimal SHA-1.
    public var sha: String
    /// The commit time, seconds since 1970 (UTC).
    public var time: Int64
}

/// libgit2 is initialised once per process, on first use (the call is reference-counted and thread-safe), and
/// told to verify every object's hash as it reads it (`optionsctl_git_verify_hashes`).
let libgit2Initialised: Bool = {
    guard git_libgit2_init() > 0 else { return false }
    _ = optionsctl_git_verify_hashes()
    return true
}()

/// A git repository opened through libgit2: resolves revisions and reads trees and blobs without a checkout.
///
/// libgit2 handles are not thread-safe; a `Repository` is used by one thread at a time (`GitTreeSource` guards
/// it with a mutex). Every libgit2 object is freed when its wrapper goes away.
///
/// ```swift
/// let repository = try Repository(discoveringFrom: ".")
/// let commit = try repository.resolve("HEAD~1")
/// let tree = try repository.tree(of: commit)
/// ```
public final class Repository {
    let handle: OpaquePointer
    /// The working directory, with a trailing slash, or `nil` for a bare repository.
    public let workingDirectory: String?

    /// Opens the repository that contains `path` (searching parent directories, as git does).
    /// - Throws: `GitError` when `path` is not inside a repository.
    public convenience init(discoveringFrom path: String) throws(GitError) {
        _ = libgit2Initialised
        var pointer: OpaquePointer?
        guard git_repository_open_ext(&pointer, path, 0, nil) == 0, let pointer else {
            throw GitError.last("not a git repository (or any parent up to the root) at '\(path)'")
        }
        self.init(handle: pointer)
    }

    /// Wraps an open libgit2 repository, which it frees.
    init(handle pointer: OpaquePointer) {
        handle = pointer
        workingDirectory = git_repository_workdir(pointer).map { String(cString: $0) }
        objectsDirectory = git_repository_path(pointer).map { String(cString: $0) + "objects/" } ?? ""
    }

    /// `<git dir>/objects/`, where loose objects are checked before libgit2 reads them.
    let objectsDirectory: String

    /// The largest object `checkLoose` accepts, in bytes (a tree or commit is far smaller; blobs are also held to
    /// `--max-file-size` by their readers).
    static let maximumLooseObjectSize: UInt64 = 1 << 30

    /// Checks the loose object `id`, when it is one, before libgit2 reads it: libgit2 1.5.1 corrupts its heap on a
    /// loose object whose header understates its size, and loops forever on a truncated one (upstream 7177,
    /// 7342); a pull request can commit either. Packed objects are left to libgit2.
    /// - Throws: `GitError` naming the object and what is wrong with it.
    func checkLoose(_ id: git_oid, limit: UInt64 = maximumLooseObjectSize) throws(GitError) {
        guard !objectsDirectory.isEmpty else { return }
        let hex = Self.hex(id)
        let path = objectsDirectory + hex.prefix(2) + "/" + hex.dropFirst(2)
        var reason = [CChar](repeating: 0, count: 128)
        let result = optionsctl_check_loose_object(path, limit, &reason, reason.count)
        let text = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if result == -2 {
            throw GitError(
                "git object \(hex.prefix(12)) is \(text) bytes, over the limit of \(limit) (raise it with --max-file-size)"
            )
        }
        if result < 0 { throw GitError("git object \(hex.prefix(12)) is not read: \(text)", isCorruptObject: true) }
    }

    deinit { git_repository_free(handle) }

    /// Resolves a revision: `HEAD`, `HEAD~1`, branch and tag names, full or short SHAs, anything `git rev-parse`
    /// takes for one commit, and `A...B` for the merge base of A and B.
    /// - Throws: `GitError` naming the revision when it does not resolve to a commit.
    public func resolve(_ revision: String) throws(GitError) -> Commit {
        if let range = revision.firstRange(of: "...") {
            let left = String(revision[..<range.lowerBound])
            let right = String(revision[range.upperBound...])
            let a = try commitID(left.isEmpty ? "HEAD" : left)
            let b = try commitID(right.isEmpty ? "HEAD" : right)
            var base = git_oid()
            var ids = (a, b)
            let found = withUnsafePointer(to: &ids.0) { first in
                withUnsafePointer(to: &ids.1) { second in git_merge_base(&base, handle, first, second) }
            }
            guard found == 0 else { throw GitError.last("no merge base for '\(revision)'") }
            return try commit(base)
        }
        return try commit(try commitID(revision))
    }

    func commitID(_ revision: String) throws(GitError) -> git_oid {
        var object: OpaquePointer?
        guard git_revparse_single(&object, handle, revision) == 0, let object else {
            throw GitError.last("unknown revision '\(revision)'")
        }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0, let peeled else {
            throw GitError.last("revision '\(revision)' is not a commit")
        }
        defer { git_object_free(peeled) }
        return git_object_id(peeled).pointee
    }

    func commit(_ id: git_oid) throws(GitError) -> Commit {
        var id = id
        try checkLoose(id)
        var pointer: OpaquePointer?
        guard git_commit_lookup(&pointer, handle, &id) == 0, let pointer else {
            throw GitError.last("cannot read commit")
        }
        defer { git_commit_free(pointer) }
        return Commit(sha: Self.hex(id), time: Int64(git_commit_time(pointer)))
    }

    static func hex(_ id: git_oid) -> String {
        var id = id
        var buffer = [CChar](repeating: 0, count: Int(GIT_OID_HEXSZ) + 1)
        git_oid_tostr(&buffer, buffer.count, &id)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the working tree below each of `paths` (relative to the repository root, `""` for all of it)
    /// matches HEAD: no modified, staged, deleted or untracked files (ignored files do not count). Paths are
    /// taken literally, not as patterns.
    public func isClean(below paths: [String]) throws(GitError) -> Bool {
        var options = git_status_options()
        git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION))
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags =
            GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue | GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH.rawValue
        let patterns = paths.contains("") ? [] : paths.map { strdup($0) }
        defer { for pattern in patterns { free(pattern) } }
        var list: OpaquePointer?
        var pointers = patterns
        let result: Int32 = pointers.withUnsafeMutableBufferPointer { buffer in
            if !buffer.isEmpty { options.pathspec = git_strarray(strings: buffer.baseAddress, count: buffer.count) }
            return git_status_list_new(&list, handle, &options)
        }
        guard result == 0, let list else { throw GitError.last("cannot read the status of the working tree") }
        defer { git_status_list_free(list) }
        return git_status_list_entrycount(list) == 0
    }

    /// The paths (relative to the repository root, sorted) whose content differs between the trees of two commits:
    /// added, deleted, modified, renamed (both paths) or retyped files.
    public func changedPaths(from old: Commit, to new: Commit) throws(GitError) -> [String] {
        var paths: [String] = []
        try Self.compare(try tree(of: old), try tree(of: new), prefix: "", into: &paths)
        return paths.sorted(by: JSONWriter.utf8Precedes)
    }

    /// Appends the files that differ between two trees, descending only into subtrees whose ids differ (libgit2's
    /// tree-to-tree diff reads every subtree of both sides; this reads only the changed ones).
    /// How deep `compare` descends: an options tree is three levels below its root, and a hostile tree tens of
    /// thousands deep must neither exhaust the stack nor the time. A differing directory this deep is reported as
    /// one changed path.
    static let maximumTreeDepth = 64

    static func compare(_ old: Tree?, _ new: Tree?, prefix: String, depth: Int = 0, into paths: inout [String])
        throws(GitError)
    {
        let oldEntries = old?.identifiedEntries ?? [:]
        let newEntries = new?.identifiedEntries ?? [:]
        for name in Set(oldEntries.keys).union(newEntries.keys) {
            let before = oldEntries[name]
            let after = newEntries[name]
            if var before, var after, before.kind == after.kind, git_oid_equal(&before.id, &after.id) != 0 {
                continue
            }
            let path = prefix + name
            // A file on either side is a changed path; directories are compared below.
            if before.map({ $0.kind != .directory }) == true || after.map({ $0.kind != .directory }) == true {
                paths.append(path)
            }
            guard depth < Self.maximumTreeDepth else {
                paths.append(path)
                continue
            }
            let oldTree = before?.kind == .directory ? try old?.subtree(named: name) : nil
            let newTree = after?.kind == .directory ? try new?.subtree(named: name) : nil
            if oldTree != nil || newTree != nil {
                try compare(oldTree, newTree, prefix: path + "/", depth: depth + 1, into: &paths)
            }
        }
    }

    /// The paths (relative to the repository root, sorted) where the working tree differs from the tree of
    /// `old`, as `git diff <old>` sees it plus untracked files (not ignored ones).
    public func changedPathsInWorkingTree(from old: Commit) throws(GitError) -> [String] {
        let oldTree = try tree(of: old)
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.flags = GIT_DIFF_INCLUDE_UNTRACKED.rawValue | GIT_DIFF_RECURSE_UNTRACKED_DIRS.rawValue
        var diff: OpaquePointer?
        guard git_diff_tree_to_workdir_with_index(&diff, handle, oldTree.handle, &options) == 0, let diff else {
            throw GitError.last("cannot compare \(old.sha.prefix(12)) with the working tree")
        }
        return Self.paths(of: diff)
    }

    /// A file in the index (what the next commit will contain), stage 0.
    public struct StagedFile: Sendable, Equatable {
        /// The path relative to the repository root.
        public var path: String
        /// The blob's id, hexadecimal.
        public var id: String
    }

    /// The index: every staged file, and the paths (relative to the repository root, sorted) whose staged content
    /// differs from HEAD's — added, modified, deleted, renamed (both paths); every staged path when there is no
    /// commit yet. A path with merge conflicts is an error: the commit cannot be made either.
    public func staged() throws(GitError) -> (files: [StagedFile], changed: [String]) {
        var index: OpaquePointer?
        guard git_repository_index(&index, handle) == 0, let index else {
            throw GitError.last("cannot read the index")
        }
        defer { git_index_free(index) }
        if git_index_has_conflicts(index) != 0 { throw GitError("the index has unresolved merge conflicts") }
        var files: [StagedFile] = []
        for position in 0..<git_index_entrycount(index) {
            guard let entry = git_index_get_byindex(index, position), let path = entry.pointee.path else { continue }
            files.append(StagedFile(path: String(cString: path), id: Self.hex(entry.pointee.id)))
        }
        let head: Tree? = (try? resolve("HEAD")).flatMap { try? tree(of: $0) }
        guard let head else { return (files, files.map(\.path).sorted(by: JSONWriter.utf8Precedes)) }
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        var diff: OpaquePointer?
        guard git_diff_tree_to_index(&diff, handle, head.handle, index, &options) == 0, let diff else {
            throw GitError.last("cannot compare HEAD with the index")
        }
        return (files, Self.paths(of: diff))
    }

    /// The bytes of the blob with the hexadecimal id `id`, refused (from its header) when over `limit` bytes.
    public func blob(id: String, limit: Int = WorktreeSource.defaultMaxFileSize) throws(GitError) -> [UInt8] {
        var oid = git_oid()
        guard git_oid_fromstr(&oid, id) == 0 else { throw GitError("invalid object id '\(id)'") }
        return try blob(&oid, named: "blob \(id.prefix(12))", limit: limit)
    }

    /// The bytes of the blob `id`; an error names it as `name`. A blob over `limit` bytes is an error found from
    /// the object's header, before the object is inflated (a 1.5 GB blob compresses to a few MB in `.git`).
    func blob(_ id: inout git_oid, named name: String, limit: Int = .max) throws(GitError) -> [UInt8] {
        try checkLoose(id, limit: UInt64(min(limit, Int(Self.maximumLooseObjectSize))))
        if limit < .max {
            var odb: OpaquePointer?
            guard git_repository_odb(&odb, handle) == 0, let odb else { throw GitError.last("cannot read \(name)") }
            defer { git_odb_free(odb) }
            var size = 0
            var type = GIT_OBJECT_ANY
            guard git_odb_read_header(&size, &type, odb, &id) == 0 else { throw GitError.last("cannot read \(name)") }
            if size > limit {
                throw GitError(
                    "cannot read \(name): it is \(size) bytes, over the limit of \(limit) (raise it with --max-file-size)"
                )
            }
        }
        var blob: OpaquePointer?
        let found = git_blob_lookup(&blob, handle, &id)
        guard found == 0, let blob else {
            var error = GitError.last("cannot read \(name)")
            error.isCorruptObject = found == GIT_EMISMATCH.rawValue
            throw error
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let raw = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: size))
    }

    /// Both paths of every delta of `diff`, sorted; frees the diff.
    static func paths(of diff: OpaquePointer) -> [String] {
        defer { git_diff_free(diff) }
        var paths: Set<String> = []
        for index in 0..<git_diff_num_deltas(diff) {
            guard let delta = git_diff_get_delta(diff, index) else { continue }
            if let path = delta.pointee.old_file.path { paths.insert(String(cString: path)) }
            if let path = delta.pointee.new_file.path { paths.insert(String(cString: path)) }
        }
        return paths.sorted(by: JSONWriter.utf8Precedes)
    }

    /// The root tree of `commit`.
    public func tree(of commit: Commit) throws(GitError) -> Tree {
        var id = git_oid()
        guard git_oid_fromstr(&id, commit.sha) == 0 else { throw GitError("invalid commit id '\(commit.sha)'") }
        var commitPointer: OpaquePointer?
        guard git_commit_lookup(&commitPointer, handle, &id) == 0, let commitPointer else {
            throw GitError.last("cannot read commit \(commit.sha)")
        }
        defer { git_commit_free(commitPointer) }
        if let treeID = git_commit_tree_id(commitPointer) { try checkLoose(treeID.pointee) }
        var tree: OpaquePointer?
        guard git_commit_tree(&tree, commitPointer) == 0, let tree else {
            throw GitError.last("cannot read the tree of commit \(commit.sha)")
        }
        return Tree(handle: tree, repository: self)
    }

    /// A tree object; directories of a revision.
    public final class Tree {
        let handle: OpaquePointer
        let repository: Repository

        init(handle: OpaquePointer, repository: Repository) {
            self.handle = handle
            self.repository = repository
        }

        deinit { git_tree_free(handle) }

        /// The direct child named `name`: what it is and its object id.
        func child(named name: String) -> (kind: EntryKind, id: git_oid)? {
            guard let entry = git_tree_entry_byname(handle, name) else { return nil }
            let id = git_tree_entry_id(entry).pointee
            switch git_tree_entry_type(entry) {
            case GIT_OBJECT_TREE: return (.directory, id)
            case GIT_OBJECT_BLOB: return (git_tree_entry_filemode(entry) == GIT_FILEMODE_LINK ? .other : .file, id)
            default: return (.other, id)
            }
        }

        /// The direct subtree named `name`, `nil` when there is no directory of that name.
        func subtree(named name: String) throws(GitError) -> Tree? {
            guard var child = child(named: name), child.kind == .directory else { return nil }
            try repository.checkLoose(child.id)
            var tree: OpaquePointer?
            guard git_tree_lookup(&tree, repository.handle, &child.id) == 0, let tree else {
                throw GitError.last("cannot read tree '\(name)'")
            }
            return Tree(handle: tree, repository: repository)
        }

        /// The bytes of the direct child file named `name`.
        func blob(named name: String, limit: Int = .max) throws(GitError) -> [UInt8] {
            guard var child = child(named: name) else { throw GitError("'\(name)' does not exist in this revision") }
            guard child.kind == .file else { throw GitError("'\(name)' is not a file") }
            return try repository.blob(&child.id, named: "'\(name)'", limit: limit)
        }

        /// The entries of this tree by name, with what they are and their object ids.
        var identifiedEntries: [String: (kind: EntryKind, id: git_oid)] {
            var result: [String: (kind: EntryKind, id: git_oid)] = [:]
            for index in 0..<git_tree_entrycount(handle) {
                guard let entry = git_tree_entry_byindex(handle, index) else { continue }
                let name = String(cString: git_tree_entry_name(entry))
                if let child = child(named: name) { result[name] = child }
            }
            return result
        }

        /// The entries of this tree, in git's order (by name).
        public var entries: [DirectoryEntry] {
            (0..<git_tree_entrycount(handle)).compactMap { index in
                guard let entry = git_tree_entry_byindex(handle, index) else { return nil }
                let name = String(cString: git_tree_entry_name(entry))
                let mode = git_tree_entry_filemode(entry)
                switch git_tree_entry_type(entry) {
                case GIT_OBJECT_TREE: return DirectoryEntry(name: name, kind: .directory)
                case GIT_OBJECT_BLOB where mode == GIT_FILEMODE_LINK:
                    return DirectoryEntry(name: name, kind: .other, isSymbolicLink: true)
                case GIT_OBJECT_BLOB: return DirectoryEntry(name: name, kind: .file)
                case GIT_OBJECT_COMMIT: return DirectoryEntry(name: name, kind: .other, isSubmodule: true)
                default: return DirectoryEntry(name: name, kind: .other)
                }
            }
        }
    }
}
