/// One values file at `<values>/<namespace>/<target>/<name>.yaml`.
public struct ValuesFile: Sendable, Hashable {
    /// The tree path.
    public var path: String
    /// The namespace directory name.
    public var namespace: String
    /// The target directory name.
    public var target: String

    /// Creates a file reference.
    public init(path: String, namespace: String, target: String) {
        self.path = path
        self.namespace = namespace
        self.target = target
    }
}

/// Finds the values files of a tree and applies the layout rules of reference §2.1: `.yaml` only (`.yml` is an
/// error, other files are ignored), exactly `namespace/target/file.yaml`.
public struct ValuesWalker: Sendable {
    /// The tree to read.
    public let source: any TreeSource
    /// Where the values are.
    public let layout: TreeLayout

    /// Creates a walker.
    public init(source: any TreeSource, layout: TreeLayout = TreeLayout()) {
        self.source = source
        self.layout = layout
    }

    /// The values files of one namespace directory, sorted by path, with layout problems.
    /// - Throws: `SourceError` when a directory inside it cannot be listed.
    public func walk(namespace: String) throws(SourceError) -> (files: [ValuesFile], diagnostics: [Diagnostic]) {
        var files: [ValuesFile] = []
        var diagnostics: [Diagnostic] = []
        try visit(relative: [namespace], kind: .directory, isLink: false, files: &files, diagnostics: &diagnostics)
        return (files, diagnostics)
    }

    /// The namespace directories of the values directory, and diagnostics for everything else at its top level
    /// (files there break the `namespace/target/file.yaml` layout).
    /// - Throws: `SourceError` when the values directory cannot be listed.
    public func topLevel() throws(SourceError) -> (namespaces: [String], diagnostics: [Diagnostic]) {
        var namespaces: [String] = []
        var files: [ValuesFile] = []
        var diagnostics: [Diagnostic] = []
        for entry in try source.entries(of: layout.valuesDirectory) {
            if entry.kind == .directory && !entry.isSymbolicLink {
                namespaces.append(entry.name)
            } else {
                try visit(
                    relative: [entry.name], kind: entry.kind, isLink: entry.isSymbolicLink,
                    isSubmodule: entry.isSubmodule, files: &files, diagnostics: &diagnostics)
            }
        }
        return (namespaces, diagnostics)
    }

    func visitChildren(of relative: [String], files: inout [ValuesFile], diagnostics: inout [Diagnostic])
        throws(SourceError)
    {
        let directory = joinPath(layout.valuesDirectory, relative.joined(separator: "/"))
        for entry in try source.entries(of: directory) {
            try visit(
                relative: relative + [entry.name], kind: entry.kind, isLink: entry.isSymbolicLink,
                isSubmodule: entry.isSubmodule, files: &files, diagnostics: &diagnostics)
        }
    }

    func visit(
        relative: [String], kind: EntryKind?, isLink: Bool, isSubmodule: Bool = false, files: inout [ValuesFile],
        diagnostics: inout [Diagnostic]
    ) throws(SourceError) {
        let path = joinPath(layout.valuesDirectory, relative.joined(separator: "/"))
        let name = relative[relative.count - 1]
        let fileExtension = Self.fileExtension(of: name)
        if isLink {
            diagnostics.append(
                Diagnostic(
                    .warning, .ignoredFile,
                    "symbolic link ignored: values files and directories are not followed through links, "
                        + "as in sentry-options", file: source.displayPath(path)))
            return
        }
        switch kind {
        case .directory where relative.count >= Self.maximumDepth:
            // Values files are three levels down; a hostile tree nested thousands of levels deep is not walked.
            diagnostics.append(
                Diagnostic(
                    .warning, .ignoredFile,
                    "directory ignored: nested \(Self.maximumDepth) levels below the values directory; values files "
                        + "are at namespace/target/file.yaml", file: source.displayPath(path)))
            return
        case .directory:
            try visitChildren(of: relative, files: &files, diagnostics: &diagnostics)
            return
        case .file: break
        default:
            diagnostics.append(
                Diagnostic(
                    .warning, .ignoredFile,
                    DirectoryEntry(name: name, kind: .other, isSubmodule: isSubmodule).ignoredReason,
                    file: source.displayPath(path)))
            return
        }
        switch fileExtension {
        case "yml":
            diagnostics.append(
                Diagnostic(
                    .error, .invalidExtension,
                    "Invalid file \(source.displayPath(path)): expected .yaml, found .yml",
                    file: source.displayPath(path)))
            return
        case "yaml": break
        case let other? where other.lowercased() == "yaml" || other.lowercased() == "yml":
            diagnostics.append(
                Diagnostic(
                    .warning, .ignoredFile,
                    "file ignored: only the lower-case '.yaml' extension is read, found '.\(other)'",
                    file: source.displayPath(path)))
            return
        default: return
        }
        guard relative.count == 3 else {
            diagnostics.append(
                Diagnostic(
                    .error, .invalidLayout,
                    "Invalid directory structure in \(relative.joined(separator: "/")): "
                        + "expected namespace/target/file.yaml", file: source.displayPath(path)))
            return
        }
        files.append(ValuesFile(path: path, namespace: relative[0], target: relative[1]))
    }

    /// How deep the walk goes below the values directory (files three levels down are the layout; deeper ones
    /// are reported as layout errors down to this depth).
    static let maximumDepth = 16

    /// The extension as Rust's `Path::extension` sees it: after the last dot, not for dotfiles like `.yaml`.
    static func fileExtension(of name: String) -> String? {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return String(name[name.index(after: dot)...])
    }
}
