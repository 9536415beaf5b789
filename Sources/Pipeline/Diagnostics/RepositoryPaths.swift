/// Turns paths as displayed (relative to the current directory, or under `--root` as given) into paths relative
/// to the repository root, which is what SARIF's `%SRCROOT%` and GitHub annotations need whatever `--root` is.
///
/// ```swift
/// let paths = RepositoryPaths(displayRoot: "/work/repo/config", rootInRepository: "config")
/// paths.relative("/work/repo/config/option-values/seer/us/values.yaml")   // "config/option-values/seer/us/values.yaml"
/// ```
public struct RepositoryPaths: Sendable, Equatable {
    /// The tree root as displayed paths start with: `.`, `../..`, `sub`, `/abs/root`.
    public var displayRoot: String
    /// Where the tree root is inside the repository (`""` at its root).
    public var rootInRepository: String

    /// Creates a mapping.
    public init(displayRoot: String, rootInRepository: String) {
        var root = displayRoot
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.displayRoot = root.isEmpty ? "." : root
        self.rootInRepository = rootInRepository
    }

    /// `displayed` relative to the repository root, or as it is when it lies outside the tree root.
    public func relative(_ displayed: String) -> String {
        let inRoot: String
        if displayRoot == "." {
            guard !displayed.hasPrefix("/") && displayed != ".." && !displayed.hasPrefix("../") else {
                return displayed
            }
            inRoot = displayed.hasPrefix("./") ? String(displayed.dropFirst(2)) : displayed
        } else if displayed == displayRoot {
            inRoot = ""
        } else {
            let prefix = displayRoot == "/" ? "/" : displayRoot + "/"
            guard displayed.hasPrefix(prefix) else { return displayed }
            inRoot = String(displayed.dropFirst(prefix.count))
        }
        return [rootInRepository, inRoot].filter { !$0.isEmpty }.joined(separator: "/")
    }

    /// Whether `path` (a result of `relative`) is inside the repository.
    public static func isRelative(_ path: String) -> Bool {
        !path.hasPrefix("/") && path != ".." && !path.hasPrefix("../")
    }
}
