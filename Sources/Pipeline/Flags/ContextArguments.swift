import OptionsSchema

/// The evaluation context of `optionsctl flag`, parsed from its command-line text: `--context-json` (one JSON
/// object), `--context key=value` entries typed as YAML and added to it, and `--identity-fields a,b`.
///
/// ```swift
/// let context = try ContextArguments(json: #"{"org": 1}"#, entries: ["slug=abc", "ids=[1, 2]"], identityFields: "org")
/// // context.values == ["org": 1, "slug": "abc", "ids": [1, 2]]; context.identityFields == ["org"]
/// ```
public struct ContextArguments: Sendable {
    /// The context's fields; a later `--context` entry replaces an earlier one and a `--context-json` field.
    public var values: [String: Node]
    /// The fields that identify the context for rollout, in the order given (empty: every field).
    public var identityFields: [String]

    /// A context argument that cannot be read; `message` names the flag and what was wrong.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, for the user.
        public var message: String
        public var description: String { message }
    }

    /// Parses the three arguments.
    /// - Throws: `Problem` when `json` is not a JSON object or an entry has no `key=`.
    public init(json: String?, entries: [String], identityFields: String?) throws(Problem) {
        values = [:]
        if let json {
            let parsed: Node
            do {
                parsed = try JSONReader.parse(Array(json.utf8))
            } catch {
                throw Problem(message: "--context-json is not JSON: \(error)")
            }
            guard case .object(let members) = parsed.content else {
                throw Problem(message: "--context-json must be a JSON object, got \(parsed.jsonSnippet())")
            }
            for member in members { values[member.key] = member.value }
        }
        for entry in entries {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else {
                throw Problem(message: "--context takes key=value, got '\(entry)'")
            }
            values[String(entry[..<equals])] = Self.yamlValue(String(entry[entry.index(after: equals)...]))
        }
        self.identityFields =
            identityFields?.split(separator: ",").map { Self.trimmingSpaces($0) }.filter { !$0.isEmpty } ?? []
    }

    /// `text` typed as a YAML value on its own: `123` an integer, `true` a boolean, `[1, 2]` an array; anything
    /// YAML does not read as a scalar or a flow sequence (or reads with an error) stays the string it is.
    public static func yamlValue(_ text: String) -> Node {
        let document = YAMLLoader.load(Array(text.utf8))
        guard document.issues.isEmpty, let root = document.root else { return Node(.string(text)) }
        if case .object = root.content { return Node(.string(text)) }
        return root
    }

    static func trimmingSpaces(_ text: Substring) -> String {
        var text = text
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
