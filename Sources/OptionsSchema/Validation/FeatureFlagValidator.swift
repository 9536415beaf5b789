/// Checks feature-flag values against the Feature definition of sentry-options 1.2.5 (reference §2.9).
///
/// A flag is `{owner: {team, email?}, segments: [{name, rollout?, conditions: [...]}], created_at, enabled?,
/// name?, description?, experiment_mode?}` with no other keys at any level. Conditions are checked by operator,
/// with one precise message each instead of the reference's one-error-per-`oneOf`-branch lists.
public enum FeatureFlagValidator {
    /// The condition operators, in the reference's order.
    public static let operators = [
        "in", "not_in", "contains", "not_contains", "equals", "not_equals", "matches", "not_matches",
    ]

    /// The `created_at` pattern of sentry-options 1.2.5 (a date, optionally a time, no zone).
    public static let createdAtPattern = #"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2}(?:\.\d+)?)?(?:[-+]\d{2}:?\d{2})?$"#

    /// Validates one feature-flag value; problems are appended to `issues`.
    public static func validate(_ node: Node, path: inout ValuePath, into issues: inout [Issue]) {
        var checker = Checker(path: path)
        checker.feature(node)
        issues += checker.issues
    }
}

private struct Checker {
    var path: ValuePath
    var issues: [Issue] = []

    mutating func report(_ code: IssueCode, _ message: String, at position: SourcePosition) {
        issues.append(Issue(.error, code, "'\(path)': \(message)", at: position))
    }

    mutating func typeMismatch(_ node: Node, _ expected: String) {
        report(.typeMismatch, "\(node.jsonSnippet()) is not of type \(expected)", at: node.position)
    }

    /// Checks `node` is an object with the `required` keys and no keys outside `allowed`; returns its members.
    mutating func object(_ node: Node, required: [String], allowed: Set<String>) -> [Node.Member]? {
        guard case .object(let members) = node.content else {
            typeMismatch(node, "\"object\"")
            return nil
        }
        for key in required where !members.contains(where: { $0.key == key }) {
            report(.missingField, "\"\(key)\" is a required property", at: node.position)
        }
        for member in members where !allowed.contains(member.key) {
            report(
                .unexpectedField, "Additional properties are not allowed ('\(member.key)' was unexpected)",
                at: member.keyPosition)
        }
        return members
    }

    mutating func within(_ key: String, _ body: (inout Checker) -> Void) {
        path.push(key)
        body(&self)
        path.pop()
    }

    mutating func within(_ index: Int, _ body: (inout Checker) -> Void) {
        path.push(index)
        body(&self)
        path.pop()
    }

    mutating func string(_ node: Node, minLength: Int = 0, nullable: Bool = false) {
        switch node.content {
        case .string(let text):
            if text.unicodeScalars.count < minLength {
                report(.invalidValue, "\(node.jsonSnippet()) is shorter than \(minLength) character", at: node.position)
            }
        case .null where nullable: return
        default: typeMismatch(node, nullable ? "\"string\", \"null\"" : "\"string\"")
        }
    }

    mutating func boolean(_ node: Node) {
        if case .bool = node.content { return }
        typeMismatch(node, "\"boolean\"")
    }

    mutating func feature(_ node: Node) {
        let allowed: Set = [
            "name", "owner", "segments", "enabled", "created_at", "description", "experiment_mode",
        ]
        guard let members = object(node, required: ["owner", "segments", "created_at"], allowed: allowed) else {
            return
        }
        for member in members {
            within(member.key) { checker in
                let value = member.value
                switch member.key {
                case "name", "description": checker.string(value)
                case "enabled": checker.boolean(value)
                case "owner": checker.owner(value)
                case "segments": checker.segments(value)
                case "created_at": checker.createdAt(value)
                case "experiment_mode":
                    switch value.content {
                    case .null: break
                    case .string("simple"): break
                    default:
                        checker.report(
                            .invalidValue, "\(value.jsonSnippet()) is not one of \"simple\" or null", at: value.position
                        )
                    }
                default: break
                }
            }
        }
    }

    mutating func owner(_ node: Node) {
        guard let members = object(node, required: ["team"], allowed: ["team", "email"]) else { return }
        for member in members {
            within(member.key) { checker in
                switch member.key {
                case "team": checker.string(member.value, minLength: 1)
                case "email": checker.string(member.value, nullable: true)
                default: break
                }
            }
        }
    }

    mutating func createdAt(_ node: Node) {
        guard case .string(let text) = node.content else { return typeMismatch(node, "\"string\"") }
        if !Self.isCreatedAt(text) {
            report(
                .invalidValue, "\(node.jsonSnippet()) does not match \"\(FeatureFlagValidator.createdAtPattern)\"",
                at: node.position)
        }
    }

    /// `YYYY-MM-DD`, optionally `THH:MM:SS` and `.fraction`, optionally a UTC offset `+HH:MM`, `-HHMM` (sentry-options
    /// 1.2.17's pattern; `Z` is still rejected). ASCII digits only.
    static func isCreatedAt(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= bytes.count && range.allSatisfy { bytes[$0] >= 0x30 && bytes[$0] <= 0x39 }
        }
        guard bytes.count >= 10, digits(0..<4), bytes[4] == UInt8(ascii: "-"), digits(5..<7),
            bytes[7] == UInt8(ascii: "-"), digits(8..<10)
        else { return false }
        var end = 10
        if end < bytes.count, bytes[end] == UInt8(ascii: "T") {
            guard digits(11..<13), bytes.count >= 19, bytes[13] == UInt8(ascii: ":"), digits(14..<16),
                bytes[16] == UInt8(ascii: ":"), digits(17..<19)
            else { return false }
            end = 19
            if end < bytes.count, bytes[end] == UInt8(ascii: ".") {
                end += 1
                let start = end
                while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
                guard end > start else { return false }
            }
        }
        if end == bytes.count { return true }
        // The offset: a sign, two digits, an optional colon, two digits, and the end.
        guard bytes[end] == UInt8(ascii: "+") || bytes[end] == UInt8(ascii: "-"), digits(end + 1..<end + 3)
        else { return false }
        end += 3
        if end < bytes.count, bytes[end] == UInt8(ascii: ":") { end += 1 }
        return digits(end..<end + 2) && end + 2 == bytes.count
    }

    mutating func segments(_ node: Node) {
        guard case .array(let segments) = node.content else { return typeMismatch(node, "\"array\"") }
        for (index, segment) in segments.enumerated() {
            within(index) { $0.segment(segment) }
        }
    }

    mutating func segment(_ node: Node) {
        guard
            let members = object(
                node, required: ["name", "conditions"], allowed: ["name", "rollout", "conditions"])
        else { return }
        for member in members {
            within(member.key) { checker in
                let value = member.value
                switch member.key {
                case "name": checker.string(value, minLength: 1)
                case "rollout": checker.rollout(value)
                case "conditions":
                    guard case .array(let conditions) = value.content else {
                        return checker.typeMismatch(value, "\"array\"")
                    }
                    for (index, condition) in conditions.enumerated() {
                        checker.within(index) { $0.condition(condition) }
                    }
                default: break
                }
            }
        }
    }

    mutating func rollout(_ node: Node) {
        let value: Double
        switch node.content {
        case .integer(let int): value = Double(int)
        case .unsignedInteger(let int): value = Double(int)
        case .float(let float) where float.rounded(.towardZero) == float: value = float
        default: return typeMismatch(node, "\"integer\"")
        }
        if value < 0 {
            report(.invalidValue, "\(node.jsonSnippet()) is less than the minimum of 0", at: node.position)
        } else if value > 100 {
            report(.invalidValue, "\(node.jsonSnippet()) is greater than the maximum of 100", at: node.position)
        }
    }

    mutating func condition(_ node: Node) {
        guard
            let members = object(
                node, required: ["property", "operator", "value"], allowed: ["name", "property", "operator", "value"])
        else { return }
        var operatorName: String?
        for member in members {
            within(member.key) { checker in
                switch member.key {
                case "name", "property": checker.string(member.value)
                case "operator":
                    if case .string(let name) = member.value.content, FeatureFlagValidator.operators.contains(name) {
                        operatorName = name
                    } else {
                        let list = FeatureFlagValidator.operators.dropLast().map { "\"\($0)\"" }.joined(separator: ", ")
                        checker.report(
                            .invalidValue,
                            "\(member.value.jsonSnippet()) is not one of \(list) or \"not_matches\"",
                            at: member.value.position)
                    }
                default: break
                }
            }
        }
        guard let operatorName, let value = members.first(where: { $0.key == "value" })?.value else { return }
        within("value") { $0.conditionValue(value, for: operatorName) }
    }

    mutating func conditionValue(_ node: Node, for operatorName: String) {
        let isValid: Bool
        let expected: String
        switch operatorName {
        case "in", "not_in":
            isValid = Self.isHomogeneousArray(node)
            expected = "an array of numbers or an array of strings"
        case "contains", "not_contains":
            isValid = Self.isScalar(node, allowingBool: false)
            expected = "a string or a number"
        case "equals", "not_equals":
            isValid = Self.isScalar(node, allowingBool: true) || Self.isHomogeneousArray(node)
            expected = "a string, a number, a boolean, or an array of numbers or of strings"
        default:  // matches, not_matches
            if case .array(let patterns) = node.content {
                isValid = patterns.allSatisfy { $0.stringValue != nil }
            } else {
                isValid = false
            }
            expected = "an array of strings (glob patterns)"
        }
        if !isValid {
            report(
                .typeMismatch, "operator '\(operatorName)' expects \(expected), got \(node.jsonSnippet())",
                at: node.position)
        }
    }

    static func isScalar(_ node: Node, allowingBool: Bool) -> Bool {
        switch node.content {
        case .string, .integer, .unsignedInteger, .float: true
        case .bool: allowingBool
        default: false
        }
    }

    static func isHomogeneousArray(_ node: Node) -> Bool {
        guard case .array(let elements) = node.content else { return false }
        let allStrings = elements.allSatisfy { $0.stringValue != nil }
        let allNumbers = elements.allSatisfy {
            switch $0.content {
            case .integer, .unsignedInteger, .float: true
            default: false
            }
        }
        return allStrings || allNumbers
    }
}
