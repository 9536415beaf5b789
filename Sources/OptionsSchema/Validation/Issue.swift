/// How serious a problem is.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .warning && rhs == .error
    }
}

/// A stable identifier for a kind of problem, printed as `[code]` and used as the SARIF rule id.
public struct IssueCode: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (lhs: IssueCode, rhs: IssueCode) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension IssueCode {
    // Values.
    /// A value does not have the type its option declares.
    public static let typeMismatch = IssueCode(rawValue: "type-mismatch")
    /// A struct value lacks a non-optional field.
    public static let missingField = IssueCode(rawValue: "missing-field")
    /// A struct value has a field its type does not declare.
    public static let unexpectedField = IssueCode(rawValue: "unexpected-field")
    /// A value breaks a constraint other than its type (range, pattern, allowed values, length).
    public static let invalidValue = IssueCode(rawValue: "invalid-value")
    /// A values file sets an option its schema does not declare.
    public static let unknownOption = IssueCode(rawValue: "unknown-option")
    // Schemas.
    /// A schema breaks a rule of the schema language (the meta-schema).
    public static let invalidSchema = IssueCode(rawValue: "invalid-schema")
    /// An option's default does not match its own type.
    public static let invalidDefault = IssueCode(rawValue: "invalid-default")
    /// A JSON file is not valid JSON.
    public static let jsonSyntax = IssueCode(rawValue: "json-syntax")
    /// The same key appears twice in one mapping or object.
    public static let duplicateKey = IssueCode(rawValue: "duplicate-key")
}

/// A problem found in one file, before the file's path is known.
///
/// The schema module reports `Issue`s; the pipeline attaches the file and turns them into diagnostics.
public struct Issue: Sendable {
    /// How serious it is.
    public var severity: Severity
    /// The stable code.
    public var code: IssueCode
    /// The message: lower-case start, no trailing period, names in single quotes.
    public var message: String
    /// Where in the file, when known.
    public var position: SourcePosition?

    /// Creates an issue.
    public init(_ severity: Severity, _ code: IssueCode, _ message: String, at position: SourcePosition?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.position = position
    }
}
