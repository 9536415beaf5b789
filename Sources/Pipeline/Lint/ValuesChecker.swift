public import OptionsSchema

/// What checking one values file found.
public struct CheckedValuesFile: Sendable {
    /// The file.
    public var file: ValuesFile
    /// The option keys it sets, with their positions, in file order.
    public var keys: [(key: String, position: SourcePosition)]
    /// Its problems.
    public var diagnostics: [Diagnostic]
    /// The members of its `options` mapping, when the checker was asked to keep them and the file has one.
    public var options: [Node.Member]?
}

/// Checks one values file on its own (reference §2.2): YAML, the single `options:` mapping, each option against
/// its namespace's schema, unknown keys as warnings with a suggestion.
public struct ValuesChecker: Sendable {
    /// The namespace's schema; `nil` when it is missing or broken (only YAML and structure are checked then).
    public let schema: NamespaceSchema?
    /// Creates a checker for the files of one namespace.
    public init(schema: NamespaceSchema?) {
        self.schema = schema
    }

    /// Checks a file's bytes.
    /// - Parameters:
    ///   - collectsKeys: whether to list the option keys in the result (for checks across files).
    ///   - retainsOptions: whether to keep the parsed `options` members in the result (for merging).
    public func check(
        _ bytes: [UInt8], file: ValuesFile, displayPath: String, collectsKeys: Bool = true,
        retainsOptions: Bool = false
    ) -> CheckedValuesFile {
        var result = CheckedValuesFile(file: file, keys: [], diagnostics: [])
        let document = YAMLLoader.load(bytes)
        result.diagnostics = document.issues.map { Diagnostic($0, file: displayPath) }
        guard let options = optionsMapping(document, displayPath: displayPath, into: &result.diagnostics) else {
            return Self.withinFile(result, bytes)
        }
        if collectsKeys { result.keys = options.map { ($0.key, $0.keyPosition) } }
        if retainsOptions { result.options = options }
        guard let schema else { return Self.withinFile(result, bytes) }
        var issues: [Issue] = []
        var path = ValuePath()
        var knownKeys: [String]?  // for suggestions, built on the first unknown key
        for member in options {
            path.push(member.key)
            if let option = schema.options[member.key] {
                ValueValidator.validate(member.value, against: option.type, path: &path, into: &issues)
            } else if schema.featureFlags[member.key] != nil {
                FeatureFlagValidator.validate(member.value, path: &path, into: &issues)
            } else if issues.count > Linter.diagnosticsPerFile {
                // Past the cap only the count is reported (`Linter.capped`): no message, no suggestion.
                issues.append(Issue(.warning, .unknownOption, "", at: member.keyPosition))
            } else {
                var message = "Ignoring unknown option '\(member.key)': namespace '\(schema.name)' does not declare it"
                if knownKeys == nil { knownKeys = schema.allKeys }
                if let suggestion = Suggestion.closest(to: member.key, in: knownKeys ?? []) {
                    message += "; did you mean '\(suggestion)'?"
                    let unusual = Suggestion.unusualCharacters(in: member.key, comparedWith: suggestion)
                    if !unusual.isEmpty { message += " (the key holds \(unusual.joined(separator: ", ")))" }
                } else {
                    message += " (expected during deployments when values are updated before schemas)"
                }
                issues.append(Issue(.warning, .unknownOption, message, at: member.keyPosition))
            }
            path.pop()
        }
        for issue in issues where issue.position.map({ !document.placeholders.contains($0) }) ?? true {
            result.diagnostics.append(Diagnostic(issue, file: displayPath))
        }
        return Self.withinFile(result, bytes)
    }

    /// The result with every diagnostic's location inside the file: libyaml places what it finds at the end of a
    /// file that lacks a final newline (an empty document after `---`) on the line after the last one, which
    /// editors and SARIF viewers cannot show. Such locations become the end of the file.
    static func withinFile(_ result: CheckedValuesFile, _ bytes: [UInt8]) -> CheckedValuesFile {
        guard !result.diagnostics.isEmpty else { return result }
        var result = result
        let end = bytes.withUnsafeBufferPointer { YAMLLoader.endPosition(of: $0) }
        for index in result.diagnostics.indices {
            guard let position = result.diagnostics[index].position else { continue }
            if position.line > end.line || (position.line == end.line && position.column > end.column) {
                result.diagnostics[index].position = end
            }
        }
        return result
    }

    /// The members of the top-level `options` mapping, or `nil` (with a diagnostic) when the file is not one.
    /// - Parameter diagnostics: structure problems are appended here.
    public func optionsMapping(_ document: YAMLDocument, displayPath: String, into diagnostics: inout [Diagnostic])
        -> [Node.Member]?
    {
        func structureError(_ message: String, at position: SourcePosition?) {
            diagnostics.append(
                Diagnostic(
                    .error, .invalidStructure, "Invalid YAML structure: \(message)", file: displayPath, at: position))
        }
        guard let root = document.root else {
            if document.issues.isEmpty {
                structureError("file is empty; expected exactly one top level key 'options'", at: nil)
            }
            return nil
        }
        guard case .object(let members) = root.content else {
            structureError(
                "expected exactly one top level key 'options', found \(root.kindName == "null" ? "an empty document" : "a \(root.kindName)")",
                at: root.position)
            return nil
        }
        let keys = "[" + members.map { "\"\($0.key)\"" }.joined(separator: ", ") + "]"
        guard members.count == 1 else {
            let offender = members.first { $0.key != "options" } ?? members.first
            structureError(
                "expected exactly one top level key 'options', found \(keys)",
                at: offender?.keyPosition ?? root.position)
            return nil
        }
        let only = members[0]
        guard only.key == "options" else {
            structureError("expected top level key 'options', found \(keys)", at: only.keyPosition)
            return nil
        }
        guard case .object(let options) = only.value.content else {
            structureError("expected 'options' to be a mapping, found \(only.value.kindName)", at: only.value.position)
            return nil
        }
        return options
    }
}
