/// What reading one `schema.json` produced: the schema when it is usable, and every problem found.
public struct SchemaParseResult: Sendable {
    /// The schema, or `nil` when any error was found.
    public var schema: NamespaceSchema?
    /// Every problem, errors and warnings, in document order.
    public var issues: [Issue]
}

/// Applies the schema language's rules (the sentry-options meta-schema, reference §2.7–§2.8) to a
/// `schema.json` and builds a `NamespaceSchema`.
///
/// Unlike the reference, which stops at the first bad namespace, every problem in the document is reported, each
/// at the key or value it concerns. Messages keep the reference's wording (`"description" is a required
/// property`, `Additional properties are not allowed ('title' was unexpected)`).
///
/// The reader walks a `JSONTape`, so a 500-option schema costs one pass and no intermediate tree; only
/// defaults become `Node`s.
///
/// ```swift
/// let result = try SchemaParser.parse(json: bytes, namespace: "seer")
/// let rateLimit = result.schema?.options["autofix.rate_limit"]
/// ```
public enum SchemaParser {
    /// The six option types.
    public static let typeNames = ["string", "integer", "number", "boolean", "array", "object"]

    /// Parses the bytes of a `schema.json` for `namespace`.
    /// - Throws: `JSONSyntaxError` when the bytes are not JSON.
    public static func parse(json bytes: [UInt8], namespace: String) throws(JSONSyntaxError) -> SchemaParseResult {
        parse(try JSONTape(bytes), namespace: namespace)
    }

    /// Parses a schema document already on a tape.
    public static func parse(_ tape: JSONTape, namespace: String) -> SchemaParseResult {
        var reader = Reader(tape: tape)
        let schema = reader.document(namespace: namespace)
        return SchemaParseResult(schema: reader.errorCount > 0 ? nil : schema, issues: reader.issues)
    }
}

/// The schema language's keywords of at most eight bytes, as `JSONTape.plainStringPrefix` gives them: constants,
/// so a match is one comparison (a test checks each against `JSONTape.word(of:)`).
enum Keyword {
    static var type: UInt64 { 0x0000_0000_6570_7974 }  // "type"
    static var items: UInt64 { 0x0000_0073_6D65_7469 }  // "items"
    static var `default`: UInt64 { 0x0074_6C75_6166_6564 }  // "default"
    static var optional: UInt64 { 0x6C61_6E6F_6974_706F }  // "optional"
    static var string: UInt64 { 0x0000_676E_6972_7473 }  // "string"
    static var number: UInt64 { 0x0000_7265_626D_756E }  // "number"
    static var object: UInt64 { 0x0000_7463_656A_626F }  // "object"
    static var integer: UInt64 { 0x0072_6567_6574_6E69 }  // "integer"
    static var boolean: UInt64 { 0x006E_6165_6C6F_6F62 }  // "boolean"
    static var array: UInt64 { 0x0000_0079_6172_7261 }  // "array"
}

private struct Reader {
    let tape: JSONTape
    var issues: [Issue] = []
    var errorCount = 0

    /// Reused for every default, so checking a valid default allocates nothing.
    var defaultPath = ValuePath()
    /// The descriptions' raw text, shared by the options (see `DeferredText`).
    let descriptions: TextStore

    /// Where in the document a problem is (`option 'x': 'items': `), worded only when there is one, from the tape
    /// it is given: a context captures token indices, not strings.
    typealias Context = (JSONTape) -> String

    init(tape: JSONTape) {
        self.tape = tape
        // Descriptions are about a quarter of a typical schema.json.
        descriptions = TextStore(capacity: tape.bytes.count / 4)
    }

    mutating func error(_ message: String, at position: SourcePosition, code: IssueCode = .invalidSchema) {
        issues.append(Issue(.error, code, message, at: position))
        errorCount += 1
    }

    mutating func warning(_ message: String, at position: SourcePosition) {
        issues.append(Issue(.warning, .duplicateKey, message, at: position))
    }

    /// Removes the issues at these positions of `issues` (ascending, disjoint), and their errors from the count.
    mutating func dropIssues(in ranges: [Range<Int>]) {
        var dropped = [Bool](repeating: false, count: issues.count)
        for range in ranges { for index in range { dropped[index] = true } }
        var kept: [Issue] = []
        kept.reserveCapacity(issues.count)
        for (index, issue) in issues.enumerated() {
            if !dropped[index] {
                kept.append(issue)
            } else if issue.severity == .error {
                errorCount -= 1
            }
        }
        issues = kept
    }

    func snippet(_ index: Int) -> String { tape.node(at: index).jsonSnippet() }

    func keyText(_ index: Int) -> String { tape.string(index) ?? "" }

    /// Reports a non-object; returns whether the value at `index` is an object.
    mutating func requireObject(_ index: Int, _ what: Context) -> Bool {
        guard tape.kind(index) == .object else {
            error("\(what(tape))\(snippet(index)) is not of type \"object\"", at: tape.position(index))
            return false
        }
        return true
    }

    mutating func unexpected(_ key: Int, _ what: Context) {
        error(
            "\(what(tape))Additional properties are not allowed ('\(keyText(key))' was unexpected)",
            at: tape.position(key))
    }

    /// Keeps the value of a known key, warning when the key repeats (the last one wins, as serde_json reads it).
    mutating func store(_ member: (key: Int, value: Int), in slot: inout Int?, _ what: Context) {
        if slot != nil {
            warning(
                "\(what(tape))duplicate key '\(keyText(member.key))'; the last one wins, as in sentry-options",
                at: tape.position(member.key))
        }
        slot = member.value
    }

    // MARK: document

    mutating func document(namespace: String) -> NamespaceSchema? {
        let root = tape.root
        guard requireObject(root, { _ in "" }) else { return nil }
        var version: Int?
        var type: Int?
        var properties: Int?
        var additional: Int?
        for member in tape.members(of: root) {
            if tape.key(member.key, is: "version") {
                store(member, in: &version, { _ in "" })
            } else if tape.key(member.key, is: "type") {
                store(member, in: &type, { _ in "" })
            } else if tape.key(member.key, is: "properties") {
                store(member, in: &properties, { _ in "" })
            } else if tape.key(member.key, is: "additionalProperties") {
                store(member, in: &additional, { _ in "" })
            } else {
                unexpected(member.key, { _ in "" })
            }
        }
        for (name, slot) in [("version", version), ("type", type), ("properties", properties)] where slot == nil {
            error("\"\(name)\" is a required property", at: tape.position(root))
        }
        var versionText = ""
        if let version {
            if let text = tape.string(version) {
                if !Self.isVersion(text) {
                    error(
                        "'version': \(snippet(version)) does not match \"^[0-9]+\\.[0-9]+$\"",
                        at: tape.position(version))
                }
                versionText = text
            } else {
                error("'version': \(snippet(version)) is not of type \"string\"", at: tape.position(version))
            }
        }
        if let type, !tape.key(type, is: "object") {
            error("'type': \"object\" was expected, found \(snippet(type))", at: tape.position(type))
        }
        if let additional, tape.kind(additional) != .true && tape.kind(additional) != .false {
            error(
                "'additionalProperties': \(snippet(additional)) is not of type \"boolean\"",
                at: tape.position(additional))
        }
        var options = OptionTable()
        var flags: [String: SourcePosition] = [:]
        if let properties, requireObject(properties, { _ in "'properties': " }) {
            options = OptionTable(capacity: tape.count(properties))
            // A key defined twice keeps its last definition, as serde_json reads the document: the problems of an
            // earlier definition are dropped when a later one replaces it. Only definitions with problems are
            // remembered here (accepted ones are in `options` and `flags`).
            var flawed: [String: (position: SourcePosition, issues: Range<Int>)] = [:]
            var superseded: [Range<Int>] = []
            for member in tape.members(of: properties) {
                let position = tape.position(member.key)
                let isFeature = tape.string(member.key, hasPrefix: "feature.")
                let issuesBefore = issues.count
                var previous: SourcePosition?
                // The key's string: an accepted option has it already; anything else makes it here.
                let key: String
                if isFeature {
                    key = keyText(member.key)
                    if featureReference(key: key, value: member.value) {
                        previous = flags.updateValue(position, forKey: key)
                    } else {
                        previous = flags.removeValue(forKey: key)
                    }
                } else if let option = option(keyIndex: member.key, keyPosition: position, value: member.value) {
                    key = option.key
                    previous = options.update(option)?.position
                } else {
                    key = keyText(member.key)
                    previous = options[key]?.position
                }
                if !flawed.isEmpty, let earlier = flawed.removeValue(forKey: key) {
                    previous = previous ?? earlier.position
                    superseded.append(earlier.issues)
                }
                if issues.count > issuesBefore { flawed[key] = (position, issuesBefore..<issues.count) }
                if let previous {
                    warning(
                        "duplicate key '\(key)' in 'properties'; the last one wins, as in sentry-options "
                            + "(first at \(previous))", at: position)
                }
            }
            if !superseded.isEmpty { dropIssues(in: superseded) }
        }
        return NamespaceSchema(name: namespace, version: versionText, options: options, featureFlags: flags)
    }

    static func isVersion(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            }
    }

    // MARK: feature flags

    /// `feature.*` keys must be exactly `{"$ref": "#/definitions/Feature"}`.
    mutating func featureReference(key: String, value: Int) -> Bool {
        let what: Context = { _ in "feature flag '\(key)': " }
        let before = errorCount
        guard requireObject(value, what) else { return false }
        var ref: Int?
        for member in tape.members(of: value) {
            if tape.key(member.key, is: "$ref") {
                store(member, in: &ref, what)
            } else {
                unexpected(member.key, what)
            }
        }
        if let ref {
            if let text = tape.string(ref) {
                if !text.contains("#/definitions/Feature") {
                    error(
                        "\(what(tape))\(snippet(ref)) does not match \"#/definitions/Feature\"", at: tape.position(ref))
                } else if text != "#/definitions/Feature" {
                    error(
                        "\(what(tape))Failed to compile validator: '$ref' must be exactly \"#/definitions/Feature\", "
                            + "found \(snippet(ref))", at: tape.position(ref))
                }
            } else {
                error("\(what(tape))'$ref': \(snippet(ref)) is not of type \"string\"", at: tape.position(ref))
            }
        } else {
            error("\(what(tape))\"$ref\" is a required property", at: tape.position(value))
        }
        return errorCount == before
    }

    // MARK: options and value types

    /// The keys of an option definition or nested value type, as tape indices.
    struct Definition {
        var type: Int?
        var defaultValue: Int?
        var description: Int?
        var items: Int?
        var additionalProperties: Int?
        var properties: Int?
        var optional: Int?
    }

    /// Reads the keys of a definition object, reporting keys that kind of definition may not have.
    mutating func definition(_ index: Int, isNested: Bool, what: Context) -> Definition {
        var definition = Definition()
        var cursor = index + 1
        let end = tape.next(index)
        while cursor < end {
            let member = (key: cursor, value: cursor + 1)
            cursor = tape.next(cursor + 1)
            let key = member.key
            // One comparison per key: the keywords have distinct lengths, and the short ones fit a word.
            let (length, word) = tape.plainStringPrefix(key)
            switch length {
            case 4 where word == Keyword.type: store(member, in: &definition.type, what)
            case 5 where word == Keyword.items: store(member, in: &definition.items, what)
            case 20 where tape.key(key, is: "additionalProperties"):
                store(member, in: &definition.additionalProperties, what)
            case 10 where tape.key(key, is: "properties"): store(member, in: &definition.properties, what)
            case 7 where !isNested && word == Keyword.default: store(member, in: &definition.defaultValue, what)
            case 11 where !isNested && tape.key(key, is: "description"):
                store(member, in: &definition.description, what)
            case 8 where isNested && word == Keyword.optional: store(member, in: &definition.optional, what)
            default: unexpected(key, what)
            }
        }
        return definition
    }

    /// A regular option definition: `type`, `default`, `description` and the nested type keys.
    mutating func option(keyIndex: Int, keyPosition: SourcePosition, value: Int) -> OptionSchema? {
        let what: Context = { "option '\($0.string(keyIndex) ?? "")': " }
        let before = errorCount
        guard requireObject(value, what) else { return nil }
        let parts = definition(value, isNested: false, what: what)
        if parts.type == nil { error("\(what(tape))\"type\" is a required property", at: tape.position(value)) }
        if parts.defaultValue == nil {
            error("\(what(tape))\"default\" is a required property", at: tape.position(value))
        }
        if parts.description == nil {
            error("\(what(tape))\"description\" is a required property", at: tape.position(value))
        }
        var description = DeferredText("")
        if let index = parts.description {
            if let text = tape.deferredString(index, in: descriptions) {
                description = text
            } else {
                error(
                    "\(what(tape))'description': \(snippet(index)) is not of type \"string\"", at: tape.position(index))
            }
        }
        let type = valueType(value, parts, what: what)
        guard let type, errorCount == before, let defaultIndex = parts.defaultValue else { return nil }
        let key = keyText(keyIndex)
        let defaultValue = tape.node(at: defaultIndex)
        let defaultIssues = ValueValidator.issues(of: defaultValue, against: type, key: key, scratch: &defaultPath)
        for issue in defaultIssues {
            error(
                "Property '\(key)': default value does not match schema: \(issue.message)",
                at: issue.position ?? defaultValue.position, code: .invalidDefault)
        }
        guard defaultIssues.isEmpty else { return nil }
        return OptionSchema(
            key: key, type: type, defaultValue: defaultValue, descriptionText: description, position: keyPosition)
    }

    /// The six type names.
    enum TypeName {
        case string, integer, number, boolean, array, object
    }

    /// The type name at `index` when it is one of the six.
    func typeName(_ index: Int) -> TypeName? {
        let (length, word) = tape.plainStringPrefix(index)
        return switch length {
        case 6 where word == Keyword.string: .string
        case 6 where word == Keyword.number: .number
        case 6 where word == Keyword.object: .object
        case 7 where word == Keyword.integer: .integer
        case 7 where word == Keyword.boolean: .boolean
        case 5 where word == Keyword.array: .array
        default: nil
        }
    }

    /// The shared part of option definitions and nested `value_type`s: `type` and its `items`,
    /// `additionalProperties` and `properties`.
    mutating func valueType(_ index: Int, _ parts: Definition, what: Context) -> OptionType? {
        let before = errorCount
        var name: TypeName?
        if let typeIndex = parts.type {
            name = typeName(typeIndex)
            if name == nil {
                error(
                    "\(what(tape))'type': \(snippet(typeIndex)) is not one of \"string\", \"integer\", \"number\", "
                        + "\"boolean\", \"array\" or \"object\"", at: tape.position(typeIndex))
            }
        }
        var items: OptionType?
        if let node = parts.items {
            items = nestedType(node, what: { "\(what($0))'items': " })?.type
        }
        var additional: OptionType?
        if let node = parts.additionalProperties {
            additional = nestedType(node, what: { "\(what($0))'additionalProperties': " })?.type
        }
        var fields: [Field] = []
        if let properties = parts.properties, requireObject(properties, { "\(what($0))'properties': " }) {
            fields.reserveCapacity(tape.count(properties))
            for member in tape.members(of: properties) {
                let fieldName = keyText(member.key)
                if let nested = nestedType(
                    member.value, what: { "\(what($0))field '\($0.string(member.key) ?? "")': " })
                {
                    if let existing = fields.firstIndex(where: { $0.name == fieldName }) {
                        warning(
                            "\(what(tape))duplicate field '\(fieldName)'; the last one wins, as in sentry-options",
                            at: tape.position(member.key))
                        fields.remove(at: existing)
                    }
                    fields.append(Field(name: fieldName, type: nested.type, isOptional: nested.isOptional))
                }
            }
        }
        if name == .array && parts.items == nil {
            error("\(what(tape))\"items\" is a required property", at: tape.position(index))
        }
        if name == .object && parts.additionalProperties == nil && parts.properties == nil {
            error("\(what(tape))\"properties\" is a required property", at: tape.position(index))
        }
        guard let name, errorCount == before else { return nil }
        switch name {
        case .string: return .string
        case .integer: return .integer
        case .number: return .number
        case .boolean: return .boolean
        case .array: return items.map { .array($0) }
        case .object: return .object(ObjectShape(fields: fields, additionalValues: additional))
        }
    }

    /// A nested `value_type`: no `default` or `description`, and an `optional` flag.
    mutating func nestedType(_ index: Int, what: Context) -> (type: OptionType, isOptional: Bool)? {
        let before = errorCount
        guard requireObject(index, what) else { return nil }
        let parts = definition(index, isNested: true, what: what)
        if parts.type == nil {
            error("\(what(tape))\"type\" is a required property", at: tape.position(index))
        }
        var isOptional = false
        if let optional = parts.optional {
            switch tape.kind(optional) {
            case .true: isOptional = true
            case .false: isOptional = false
            default:
                error(
                    "\(what(tape))'optional': \(snippet(optional)) is not of type \"boolean\"",
                    at: tape.position(optional))
            }
        }
        let type = valueType(index, parts, what: what)
        guard let type, errorCount == before else { return nil }
        return (type, isOptional)
    }
}
