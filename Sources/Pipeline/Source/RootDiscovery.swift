#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the root of an options tree from a directory inside it, the way git finds a repository: the nearest
/// directory, from `currentDirectory` up, that holds a `schemas/` directory next to an `option-values/` directory
/// or a `.git`; failing that, the root of the git work tree `currentDirectory` is in.
///
/// ```swift
/// RootDiscovery.root(from: "/repo/option-values/seer")   // "../.."
/// ```
public enum RootDiscovery {
    /// The root as a path relative to `currentDirectory` (`.`, `..`, `../..`), or `nil` when no directory up to
    /// `/` qualifies. Symbolic links are not followed into (a linked `schemas` does not make a root).
    public static func root(from currentDirectory: String, layout: TreeLayout = TreeLayout()) -> String? {
        var directory = currentDirectory
        while directory.count > 1 && directory.hasSuffix("/") { directory.removeLast() }
        guard directory.hasPrefix("/") else { return nil }
        var levels = 0
        var gitRoot: Int?
        while true {
            let hasGit = exists(join(directory, ".git"))
            if isDirectory(join(directory, layout.schemasDirectory))
                && (isDirectory(join(directory, layout.valuesDirectory)) || hasGit)
            {
                return relative(levels)
            }
            if hasGit {
                gitRoot = levels
                break
            }
            guard directory != "/", let slash = directory.lastIndex(of: "/") else { break }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
            levels += 1
        }
        return gitRoot.map(relative)
    }

    static func relative(_ levels: Int) -> String {
        levels == 0 ? "." : Array(repeating: "..", count: levels).joined(separator: "/")
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
