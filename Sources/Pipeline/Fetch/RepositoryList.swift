public import OptionsSchema

/// `repos.json`: the service repositories whose schemas `fetch-schemas` collects (reference §1.4).
///
/// ```json
/// {"repos": {"seer": {"url": "https://github.com/getsentry/seer", "path": "sentry-options/schemas", "sha": "…"}}}
/// ```
///
/// As strict as the reference (unknown fields at either level are errors, `url` and `path` are required), and
/// stricter where a mistake would fetch the wrong thing: `sha`, when given, is a full 40-digit commit id; `path`
/// stays inside the repository. Every problem is reported, each at its line and column.
public struct RepositoryList: Sendable, Equatable {
    /// One repository to fetch.
    public struct Entry: Sendable, Equatable {
        /// The key in `repos`.
        public var name: String
        /// What libgit2 fetches from: https, ssh, `file://` or a local path.
        public var url: String
        /// The schemas directory inside the repository (`""` for its root).
        public var path: String
        /// The pinned commit; `nil` reads the remote's default branch.
        public var sha: String?
    }

    /// The repositories, sorted by name.
    public var entries: [Entry]

    /// Parses the bytes of a `repos.json`; `file` names it in diagnostics. The list is `nil` when there is any
    /// problem.
    public static func parse(_ bytes: [UInt8], file: String) -> (list: RepositoryList?, problems: [Diagnostic]) {
        var problems: [Diagnostic] = []
        func problem(_ message: String, at position: SourcePosition) {
            problems.append(Diagnostic(.error, .invalidRepositoryList, message, file: file, at: position))
        }
        let root: Node
        do {
            root = try JSONReader.parse(bytes)
        } catch {
            return (
                nil,
                [
                    Diagnostic(
                        .error, .invalidRepositoryList, "JSON error: \(error.message)", file: file, at: error.position)
                ]
            )
        }
        guard case .object(let members) = root.content else {
            problem("JSON error: invalid type: \(kind(root)), expected struct RepoSchemaConfigs", at: root.position)
            return (nil, problems)
        }
        var repos: Node?
        for member in members {
            if member.key == "repos" {
                repos = member.value
            } else {
                problem("JSON error: unknown field `\(member.key)`, expected `repos`", at: member.keyPosition)
            }
        }
        guard let repos else {
            problem("JSON error: missing field `repos`", at: root.position)
            return (nil, problems)
        }
        guard case .object(let repositories) = repos.content else {
            problem("JSON error: invalid type: \(kind(repos)), expected a map", at: repos.position)
            return (nil, problems)
        }
        var entries: [Entry] = []
        var seen: [String: SourcePosition] = [:]
        for repository in repositories {
            let name = repository.key
            if let first = seen[name] {
                problem("repository '\(name)' is listed twice (first at \(first))", at: repository.keyPosition)
                continue
            }
            seen[name] = repository.keyPosition
            if name.isEmpty { problem("a repository name must not be empty", at: repository.keyPosition) }
            guard case .object(let fields) = repository.value.content else {
                problem(
                    "JSON error: invalid type: \(kind(repository.value)), expected struct RepoSchemaConfig",
                    at: repository.value.position)
                continue
            }
            var values: [String: (text: String, position: SourcePosition)] = [:]
            for field in fields {
                guard ["url", "path", "sha"].contains(field.key) else {
                    problem(
                        "JSON error: unknown field `\(field.key)`, expected one of `url`, `path`, `sha`",
                        at: field.keyPosition)
                    continue
                }
                guard let text = field.value.stringValue else {
                    problem(
                        "JSON error: invalid type: \(kind(field.value)), expected a string (field `\(field.key)`)",
                        at: field.value.position)
                    continue
                }
                values[field.key] = (text, field.value.position)
            }
            for required in ["url", "path"]
            where values[required] == nil && !fields.contains(where: { $0.key == required }) {
                problem(
                    "JSON error: missing field `\(required)` in repository '\(name)'", at: repository.value.position)
            }
            guard let url = values["url"], let path = values["path"] else { continue }
            if url.text.isEmpty { problem("'url' must not be empty", at: url.position) }
            let cleanPath = normalized(path.text)
            if cleanPath.hasPrefix("/") || cleanPath.split(separator: "/").contains("..") {
                problem("'path' must stay inside the repository, found '\(path.text)'", at: path.position)
            }
            if let sha = values["sha"], !isFullSHA(sha.text) {
                problem(
                    "'sha' must be a full 40-digit commit id (the commit read), found '\(sha.text)'", at: sha.position)
            }
            entries.append(Entry(name: name, url: url.text, path: cleanPath, sha: values["sha"]?.text.lowercased()))
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (RepositoryList(entries: entries.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }), [])
    }

    /// `path` without `./` at the start, repeated slashes or a slash at the end.
    static func normalized(_ path: String) -> String {
        let parts = path.split(separator: "/").filter { $0 != "." }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Whether `text` is 40 hexadecimal digits.
    static func isFullSHA(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { $0.isHexDigit }
    }

    /// serde's name for a JSON value's kind.
    static func kind(_ node: Node) -> String {
        switch node.content {
        case .null: "null"
        case .bool(let value): "boolean `\(value)`"
        case .integer, .unsignedInteger: "integer"
        case .float: "floating point"
        case .string: "string"
        case .array: "sequence"
        case .object: "map"
        }
    }
}

extension UInt8 {
    /// Whether the byte is an ASCII hexadecimal digit.
    var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

extension IssueCode {
    /// A problem in `repos.json`.
    public static let invalidRepositoryList = IssueCode(rawValue: "invalid-repository-list")
    /// A repository `fetch-schemas` could not fetch or read.
    public static let fetchFailed = IssueCode(rawValue: "fetch-failed")
    /// Two repositories provide the same namespace.
    public static let namespaceCollision = IssueCode(rawValue: "namespace-collision")
}
