/// Works out which namespaces a set of changed files belongs to, for `optionsctl lint PATH...` in pre-commit.
///
/// A file under the schemas directory or the values directory belongs to the namespace named by its first
/// path component there; other files belong to none and are ignored. All paths are compared lexically after
/// making them absolute.
public enum ChangeScope {
    /// The namespaces touched by `paths`.
    /// - Parameters:
    ///   - paths: the changed files, absolute or relative to `currentDirectory`.
    ///   - schemasDirectory: the schemas directory, absolute or relative to `currentDirectory`.
    ///   - valuesDirectory: the values directory, absolute or relative to `currentDirectory`.
    public static func namespaces(
        touchedBy paths: [String], schemasDirectory: String, valuesDirectory: String, currentDirectory: String
    ) -> Set<String> {
        let bases = [schemasDirectory, valuesDirectory].map { absolute($0, from: currentDirectory) }
        var namespaces: Set<String> = []
        for path in paths {
            let file = absolute(path, from: currentDirectory)
            for base in bases {
                let prefix = base == "/" ? "/" : base + "/"
                guard file.hasPrefix(prefix) else { continue }
                if let first = file.dropFirst(prefix.count).split(separator: "/").first {
                    namespaces.insert(String(first))
                }
            }
        }
        return namespaces
    }

    /// `path` made absolute against `base` and normalised (`.`, `..` and repeated slashes removed).
    public static func absolute(_ path: String, from base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` relative to `base` when it lies inside it, both absolute and normalised; otherwise `path` itself.
    public static func relative(_ path: String, to base: String) -> String {
        if path == base { return "" }
        let prefix = base == "/" ? "/" : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
