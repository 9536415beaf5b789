import OptionsSchema

/// A tree held in memory, for tests and for trees assembled by other stages.
///
/// ```swift
/// let source = MemorySource([
///     "schemas/seer/schema.json": #"{"version": "1.0", "type": "object", "properties": {}}"#,
///     "option-values/seer/default/values.yaml": "options: {}\n",
/// ])
/// ```
public struct MemorySource: TreeSource {
    /// File contents by path.
    public let files: [String: [UInt8]]
    /// Files that are listed but cannot be read, with the reason (a blob over the size limit): reading one throws
    /// `SourceError.unreadable`, which the stages report for that file and go on.
    public let failures: [String: String]
    let directories: [String: Set<String>]

    /// Creates a tree from file texts.
    public init(_ files: [String: String]) {
        self.init(bytes: files.mapValues { Array($0.utf8) })
    }

    /// How paths are shown: below this directory (`""`: as they are).
    public var displayRoot = ""

    /// Creates a tree from file bytes, files listed with the reason they cannot be read, and directories that
    /// hold nothing.
    public init(bytes files: [String: [UInt8]], failures: [String: String] = [:], emptyDirectories: [String] = []) {
        self.files = files
        self.failures = failures
        var directories: [String: Set<String>] = ["": []]
        for directory in emptyDirectories {
            var parent = ""
            for part in directory.split(separator: "/").map(String.init) {
                directories[parent, default: []].insert(part)
                parent = joinPath(parent, part)
                directories[parent, default: []] = directories[parent, default: []]
            }
        }
        for path in Array(files.keys) + Array(failures.keys) {
            let parts = path.split(separator: "/").map(String.init)
            var parent = ""
            for part in parts {
                directories[parent, default: []].insert(part)
                parent = joinPath(parent, part)
            }
        }
        self.directories = directories
    }

    public func kind(of path: String) -> EntryKind? {
        if files[path] != nil || failures[path] != nil { return .file }
        if directories[path] != nil { return .directory }
        return nil
    }

    public func entries(of directory: String) throws(SourceError) -> [DirectoryEntry] {
        guard let names = directories[directory] else {
            if files[directory] != nil || failures[directory] != nil { throw .notADirectory(directory) }
            throw .notFound(directory)
        }
        return names.sorted(by: JSONWriter.utf8Precedes).map { name in
            DirectoryEntry(name: name, kind: kind(of: joinPath(directory, name)) ?? .other)
        }
    }

    public func contents(of path: String) throws(SourceError) -> [UInt8] {
        guard let bytes = files[path] else {
            if let reason = failures[path] { throw .unreadable(displayPath(path), reason: reason) }
            if directories[path] != nil { throw .unreadable(path, reason: "it is a directory") }
            throw .notFound(path)
        }
        return bytes
    }

    public func displayPath(_ path: String) -> String {
        displayRoot.isEmpty || displayRoot == "." ? path : path.isEmpty ? displayRoot : displayRoot + "/" + path
    }
}
