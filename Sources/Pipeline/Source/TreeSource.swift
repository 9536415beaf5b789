/// What kind of thing a directory entry is.
public enum EntryKind: Sendable, Hashable {
    case file
    case directory
    case other
}

/// One entry of a directory listing.
public struct DirectoryEntry: Sendable, Hashable {
    /// The entry's name (no slashes).
    public var name: String
    /// What the entry is; for a symbolic link, what it points to.
    public var kind: EntryKind
    /// Whether the entry itself is a symbolic link.
    public var isSymbolicLink: Bool
    /// Whether the entry is a git submodule (a commit recorded in a tree); its kind is `.other`.
    public var isSubmodule: Bool

    /// Creates an entry.
    public init(name: String, kind: EntryKind, isSymbolicLink: Bool = false, isSubmodule: Bool = false) {
        self.name = name
        self.kind = kind
        self.isSymbolicLink = isSymbolicLink
        self.isSubmodule = isSubmodule
    }

    /// Why an entry that is neither a directory nor a regular file is not read, for an `ignored-file` warning.
    var ignoredReason: String {
        isSubmodule
            ? "ignored: a git submodule; submodules are not read"
            : "ignored: not a directory or a regular file (a FIFO, socket or device)"
    }
}

/// A failure to read the tree itself (as opposed to a problem in a file's content).
public enum SourceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Nothing exists at the path.
    case notFound(String)
    /// The path exists but is not a directory.
    case notADirectory(String)
    /// The path could not be read.
    case unreadable(String, reason: String)
    /// The repository's object for the path is damaged (or forged): the run stops, as for an unreadable tree.
    case corrupt(String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path): "'\(path)' does not exist"
        case .notADirectory(let path): "'\(path)' is not a directory"
        case .unreadable(let path, let reason): "cannot read '\(path)': \(reason)"
        case .corrupt(let path, let reason): "cannot read '\(path)' from the repository: \(reason)"
        }
    }
}

extension SourceError {
    /// Whether the error is about one file (it exists but is not read: a link, a special file, too large), so the
    /// run can report it and go on, rather than about the tree as a whole.
    public var isAboutTheFile: Bool {
        if case .unreadable = self { return true }
        return false
    }
}

/// A tree of files the pipeline reads: the working directory, a git revision, or memory in tests.
///
/// Paths are `/`-separated and relative to the source's root; `""` is the root itself. Stages never touch the
/// file system directly, so the same code runs on any source.
public protocol TreeSource: Sendable {
    /// The entries of `directory`, sorted by name (byte order).
    func entries(of directory: String) throws(SourceError) -> [DirectoryEntry]
    /// The bytes of the file at `path`.
    func contents(of path: String) throws(SourceError) -> [UInt8]
    /// What is at `path`, or `nil` when nothing is.
    func kind(of path: String) -> EntryKind?
    /// How to show `path` to a user: relative to the current directory when possible, so editors can open it.
    func displayPath(_ path: String) -> String
    /// An id that changes whenever anything at or below `path` changes (a git object id), or `nil` when the
    /// source has none; two sources giving the same id for a path have the same content there.
    func contentID(of path: String) -> String?
}

extension TreeSource {
    /// Sources without content ids (the working tree, memory): `nil`.
    public func contentID(of path: String) -> String? { nil }
}

/// Joins tree path components, skipping empty ones.
func joinPath(_ parts: String...) -> String {
    parts.filter { !$0.isEmpty }.joined(separator: "/")
}
