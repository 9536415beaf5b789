public import OptionsSchema

/// One problem found in the tree, with where it is: `file:line:col: error: message [code]`.
///
/// Stages collect diagnostics and never print; the command line renders them (`DiagnosticRenderer`).
public struct Diagnostic: Sendable {
    /// How serious it is.
    public var severity: Severity
    /// The stable code (`type-mismatch`, `unknown-option`, …).
    public var code: IssueCode
    /// The message: lower-case start where ours, the reference's wording kept inside.
    public var message: String
    /// The file or directory concerned, as shown to the user; `nil` for problems of the whole run.
    public var file: String?
    /// Where in the file, when known.
    public var position: SourcePosition?
    /// Related places, such as the first of two duplicate keys.
    public var notes: [Note]

    /// A related place.
    public struct Note: Sendable {
        /// What the place is.
        public var message: String
        /// The file, when it has one.
        public var file: String?
        /// The position, when known.
        public var position: SourcePosition?

        /// Creates a note.
        public init(_ message: String, file: String? = nil, at position: SourcePosition? = nil) {
            self.message = message
            self.file = file
            self.position = position
        }
    }

    /// Creates a diagnostic.
    public init(
        _ severity: Severity, _ code: IssueCode, _ message: String, file: String?, at position: SourcePosition? = nil,
        notes: [Note] = []
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.file = file
        self.position = position
        self.notes = notes
    }

    /// Attaches a file to an issue from the schema module.
    public init(_ issue: Issue, file: String) {
        self.init(issue.severity, issue.code, issue.message, file: file, at: issue.position)
    }

    /// The stable order of a report: by file, then position, then code and message.
    public static func precedes(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let fileA = a.file ?? ""
        let fileB = b.file ?? ""
        if fileA != fileB { return fileA.utf8.lexicographicallyPrecedes(fileB.utf8) }
        let positionA = a.position ?? SourcePosition(line: 0, column: 0)
        let positionB = b.position ?? SourcePosition(line: 0, column: 0)
        if positionA != positionB { return positionA < positionB }
        if a.code != b.code { return a.code < b.code }
        return a.message < b.message
    }
}

extension IssueCode {
    /// A values file ends in `.yml`.
    public static let invalidExtension = IssueCode(rawValue: "invalid-extension")
    /// A values file is not at `namespace/target/file.yaml`.
    public static let invalidLayout = IssueCode(rawValue: "invalid-layout")
    /// A namespace or target name is not a Kubernetes DNS-1123 label.
    public static let invalidName = IssueCode(rawValue: "invalid-name")
    /// Values for a namespace that has no schema.
    public static let unknownNamespace = IssueCode(rawValue: "unknown-namespace")
    /// A schema directory without `schema.json`.
    public static let missingSchema = IssueCode(rawValue: "missing-schema")
    /// A namespace with values but no `default` target.
    public static let missingDefaultTarget = IssueCode(rawValue: "missing-default-target")
    /// The same option set in two files of one target.
    public static let duplicateOption = IssueCode(rawValue: "duplicate-option")
    /// A values file is not one `options:` mapping.
    public static let invalidStructure = IssueCode(rawValue: "invalid-structure")
    /// A file that looks like a values file but is not read.
    public static let ignoredFile = IssueCode(rawValue: "ignored-file")
    /// A values file that cannot be read safely: a link, not a regular file, or over the size limit.
    public static let unreadableFile = IssueCode(rawValue: "unreadable-file")
}

/// Every code optionsctl reports, with a one-line description (the SARIF rules).
public let allIssueCodes: [(code: IssueCode, summary: String)] = [
    (.typeMismatch, "A value does not have the type its option declares."),
    (.missingField, "A struct value lacks a non-optional field."),
    (.unexpectedField, "A struct value has a field its type does not declare."),
    (.invalidValue, "A value breaks a constraint of its type (range, pattern, allowed values)."),
    (.unknownOption, "A values file sets an option that its namespace's schema does not declare."),
    (.invalidSchema, "A schema breaks a rule of the schema language."),
    (.invalidDefault, "An option's default does not match its own type."),
    (.jsonSyntax, "A JSON file is not valid JSON."),
    (.duplicateKey, "The same key appears twice in one mapping."),
    (.yamlSyntax, "A YAML file is not well-formed."),
    (.yamlEncoding, "A YAML file is not UTF-8."),
    (.yamlUnsupported, "A YAML feature option files do not use (anchors, aliases, merge keys, tags, documents)."),
    (.yamlValue, "A YAML value that JSON cannot hold (.inf, .nan, integers beyond 64 bits)."),
    (.invalidExtension, "A values file ends in .yml instead of .yaml."),
    (.invalidLayout, "A values file is not at namespace/target/file.yaml."),
    (.invalidName, "A namespace or target name is not a Kubernetes DNS-1123 label."),
    (.unknownNamespace, "Values for a namespace that has no schema."),
    (.missingSchema, "A schema directory without schema.json."),
    (.missingDefaultTarget, "A namespace with values but no default target."),
    (.duplicateOption, "The same option is set in two files of one target."),
    (.invalidStructure, "A values file is not a single 'options' mapping."),
    (.ignoredFile, "A file that looks like a values file but is not read."),
    (.unreadableFile, "A values file that is not read: a link, not a regular file, or over the size limit."),
    (.redundantOverride, "A target sets an option to the value default already gives it (lint --pedantic)."),
    (.redundantSchemaDefault, "A target sets an option default does not set to its schema default (lint --pedantic)."),
    (.defaultOnlyNamespace, "A namespace has values for default only: no region deploys it (lint --pedantic)."),
]
