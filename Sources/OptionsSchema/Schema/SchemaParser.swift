/// What reading one `schema.json` produced: the schema when it is usable, and every problem found.
public struct SchemaParseResult: Sendable {
    /// The schema, or `nil` when any error was found.
    public var schema: NamespaceSchema?
    /// Every problem, errors and warnings, in document order.
    public var issues: [Issue]
}

/// Applies the schema language's rules (the sentry-options meta-schema, reference §2.7–§2.8) to a parsed
/// `schema.json` and builds a `NamespaceSchema`.
///
/// Unlike the reference, which stops at the first bad namespace, every problem in the document is reported, each
/// at the key or value it concerns. Messages keep the reference's wording (`"description" is a required
/// property`, `Additional properties are not allowed ('title' was unexpected)`).
///
/// ```swift
/// let root = try JSONReader.parse(bytes)
/// let result = SchemaParser.parse(root, namespace: "seer")
/// ```
public enum SchemaParser {
    /// The six option types.
    public static let typeNames = ["string", "integer", "number", "boolean", "array", "object"]

    /// Parses a schema document for `namespace`.
    public static func parse(_ root: Node, namespace: String) -> SchemaParseResult {
        var reader = Reader()
        let schema = reader.document(root, namespace: namespace)
        let hasErrors = reader.issues.contains { $0.severity == .error }
        return SchemaParseResult(schema: hasErrors ? nil : schema, issues: reader.issues)
    }
}

private struct Reader {
    static let documentKeys = ["version", "type", "properties", "additionalProperties"]
    var issues: [Issue] = []
    var errorCount = 0
    /// Reused for every default, so checking a default allocates nothing when it is valid.
    var defaultPath = ValuePath()

    mutating func error(_ message: String, at position: SourcePosition, code: IssueCode = .invalidSchema) {
        issues.append(Issue(.error, code, message, at: position))
        errorCount += 1
    }

    /// The members of an object, last one winning on duplicate keys (as serde_json reads them), with a warning.
    mutating func uniqueMembers(_ members: [Node.Member], context: () -> String) -> [Node.Member] {
        if !Self.hasDuplicateKeys(members) { return members }
        var seen: [String: Int] = [:]
        var result: [Node.Member] = []
        result.reserveCapacity(members.count)
        for member in members {
            if let index = seen[member.key] {
                issues.append(
                    Issue(
                        .warning, .duplicateKey,
                        "duplicate key '\(member.key)'\(context()); the last one wins, as in sentry-options "
                            + "(first at \(result[index].keyPosition))",
                        at: member.keyPosition))
                result[index] = member
            } else {
                seen[member.key] = result.count
                result.append(member)
            }
        }
        return result
    }

    static func hasDuplicateKeys(_ members: [Node.Member]) -> Bool {
        if members.count <= 12 {
            for i in members.indices {
                for j in members.indices where j > i && members[i].key == members[j].key { return true }
            }
            return false
        }
        var keys = Set<String>(minimumCapacity: members.count)
        for member in members where !keys.insert(member.key).inserted { return true }
        return false
    }

    mutating func requireObject(_ node: Node, _ what: () -> String) -> [Node.Member]? {
        guard case .object(let members) = node.content else {
            error("\(what())\(node.jsonSnippet()) is not of type \"object\"", at: node.position)
            return nil
        }
        return members
    }

    mutating func rejectUnknownKeys(_ members: [Node.Member], allowed: [String], _ what: () -> String) {
        for member in members where !allowed.contains(member.key) {
            error(
                "\(what())Additional properties are not allowed ('\(member.key)' was unexpected)",
                at: member.keyPosition)
        }
    }

    mutating func document(_ root: Node, namespace: String) -> NamespaceSchema? {
        guard let rawMembers = requireObject(root, { "" }) else { return nil }
        let members = uniqueMembers(rawMembers, context: { "" })
        rejectUnknownKeys(members, allowed: Self.documentKeys, { "" })
        for key in ["version", "type", "properties"] where !members.contains(where: { $0.key == key }) {
            error("\"\(key)\" is a required property", at: root.position)
        }
        var version = ""
        var properties: [Node.Member] = []
        for member in members {
            let value = member.value
            switch member.key {
            case "version":
                guard case .string(let text) = value.content else {
                    error("'version': \(value.jsonSnippet()) is not of type \"string\"", at: value.position)
                    continue
                }
                if !Self.isVersion(text) {
                    error("'version': \(value.jsonSnippet()) does not match \"^[0-9]+\\.[0-9]+$\"", at: value.position)
                }
                version = text
            case "type":
                if value.stringValue != "object" {
                    error("'type': \"object\" was expected, found \(value.jsonSnippet())", at: value.position)
                }
            case "additionalProperties":
                if case .bool = value.content { continue }
                error("'additionalProperties': \(value.jsonSnippet()) is not of type \"boolean\"", at: value.position)
            case "properties":
                if let raw = requireObject(value, { "'properties': " }) {
                    properties = uniqueMembers(raw, context: { " in 'properties'" })
                }
            default: break
            }
        }
        var options: [String: OptionSchema] = [:]
        options.reserveCapacity(properties.count)
        var flags: [String: SourcePosition] = [:]
        for property in properties {
            if property.key.hasPrefix("feature.") {
                if featureReference(property) { flags[property.key] = property.keyPosition }
            } else if let option = option(property) {
                options[property.key] = option
            }
        }
        return NamespaceSchema(name: namespace, version: version, options: options, featureFlags: flags)
    }

    static func isVersion(_ text: String) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return parts.count == 2
            && parts.allSatisfy { part in
                !part.isEmpty && part.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
            }
    }

    /// `feature.*` keys must be exactly `{"$ref": "#/definitions/Feature"}`.
    mutating func featureReference(_ property: Node.Member) -> Bool {
        let what = { "feature flag '\(property.key)': " }
        let before = errorCount
        guard let members = requireObject(property.value, what) else { return false }
        rejectUnknownKeys(members, allowed: ["$ref"], what)
        if let ref = members.first(where: { $0.key == "$ref" })?.value {
            if case .string(let text) = ref.content {
                if !text.contains("#/definitions/Feature") {
                    error("\(what())\(ref.jsonSnippet()) does not match \"#/definitions/Feature\"", at: ref.position)
                } else if text != "#/definitions/Feature" {
                    error(
                        "\(what())Failed to compile validator: '$ref' must be exactly \"#/definitions/Feature\", "
                            + "found \(ref.jsonSnippet())", at: ref.position)
                }
            } else {
                error("\(what())'$ref': \(ref.jsonSnippet()) is not of type \"string\"", at: ref.position)
            }
        } else {
            error("\(what())\"$ref\" is a required property", at: property.value.position)
        }
        return errorCount == before
    }

    /// The keys of an option definition or nested value type, collected in one pass over the object.
    struct Definition {
        var type: Node?
        var defaultValue: Node?
        var description: Node?
        var items: Node?
        var additionalProperties: Node?
        var properties: Node?
        var optional: Node?
    }

    /// Reads the keys of a definition object, reporting keys outside `allowed` and warning on repeated ones
    /// (the last one wins, as serde_json reads them).
    mutating func definition(_ members: [Node.Member], isNested: Bool, what: () -> String) -> Definition {
        var definition = Definition()
        for member in members {
            switch member.key {
            case "type": store(member, in: &definition.type, what)
            case "items": store(member, in: &definition.items, what)
            case "additionalProperties": store(member, in: &definition.additionalProperties, what)
            case "properties": store(member, in: &definition.properties, what)
            case "default" where !isNested: store(member, in: &definition.defaultValue, what)
            case "description" where !isNested: store(member, in: &definition.description, what)
            case "optional" where isNested: store(member, in: &definition.optional, what)
            default:
                error(
                    "\(what())Additional properties are not allowed ('\(member.key)' was unexpected)",
                    at: member.keyPosition)
            }
        }
        return definition
    }

    mutating func store(_ member: Node.Member, in slot: inout Node?, _ what: () -> String) {
        if slot != nil {
            issues.append(
                Issue(
                    .warning, .duplicateKey, "\(what())duplicate key '\(member.key)'; the last one wins, as in sentry-options",
                    at: member.keyPosition))
        }
        slot = member.value
    }

    /// A regular option definition: `type`, `default`, `description` and the nested type keys.
    mutating func option(_ property: Node.Member) -> OptionSchema? {
        let what = { "option '\(property.key)': " }
        let before = errorCount
        guard let members = requireObject(property.value, what) else { return nil }
        let parts = definition(members, isNested: false, what: what)
        if parts.type == nil { error("\(what())\"type\" is a required property", at: property.value.position) }
        if parts.defaultValue == nil {
            error("\(what())\"default\" is a required property", at: property.value.position)
        }
        if parts.description == nil {
            error("\(what())\"description\" is a required property", at: property.value.position)
        }
        var description = ""
        if let node = parts.description {
            if case .string(let text) = node.content {
                description = text
            } else {
                error("\(what())'description': \(node.jsonSnippet()) is not of type \"string\"", at: node.position)
            }
        }
        let type = valueType(property.value, parts, what: what)
        guard let type, errorCount == before, let defaultValue = parts.defaultValue else { return nil }
        var defaultIssues: [Issue] = []
        defaultPath.push(property.key)
        ValueValidator.validate(defaultValue, against: type, path: &defaultPath, into: &defaultIssues)
        defaultPath.pop()
        for issue in defaultIssues {
            error(
                "Property '\(property.key)': default value does not match schema: \(issue.message)",
                at: issue.position ?? defaultValue.position, code: .invalidDefault)
        }
        guard defaultIssues.isEmpty else { return nil }
        return OptionSchema(
            key: property.key, type: type, defaultValue: defaultValue, description: description,
            position: property.keyPosition)
    }

    /// The shared part of option definitions and nested `value_type`s: `type` and its `items`,
    /// `additionalProperties` and `properties`.
    mutating func valueType(_ node: Node, _ parts: Definition, what: () -> String) -> OptionType? {
        let before = errorCount
        var typeName: String?
        if let typeNode = parts.type {
            if case .string(let name) = typeNode.content, SchemaParser.typeNames.contains(name) {
                typeName = name
            } else {
                error(
                    "\(what())'type': \(typeNode.jsonSnippet()) is not one of \"string\", \"integer\", \"number\", "
                        + "\"boolean\", \"array\" or \"object\"", at: typeNode.position)
            }
        }
        var items: OptionType?
        if let node = parts.items {
            items = nestedType(node, what: { "\(what())'items': " })?.type
        }
        var additional: OptionType?
        if let node = parts.additionalProperties {
            additional = nestedType(node, what: { "\(what())'additionalProperties': " })?.type
        }
        var fields: [Field] = []
        if let node = parts.properties, let raw = requireObject(node, { "\(what())'properties': " }) {
            let unique = uniqueMembers(raw, context: { " in \(what().dropLast(2))'s 'properties'" })
            fields.reserveCapacity(unique.count)
            for field in unique {
                if let nested = nestedType(field.value, what: { "\(what())field '\(field.key)': " }) {
                    fields.append(Field(name: field.key, type: nested.type, isOptional: nested.isOptional))
                }
            }
        }
        if typeName == "array" && parts.items == nil {
            error("\(what())\"items\" is a required property", at: node.position)
        }
        if typeName == "object" && parts.additionalProperties == nil && parts.properties == nil {
            error("\(what())\"properties\" is a required property", at: node.position)
        }
        guard let typeName, errorCount == before else { return nil }
        switch typeName {
        case "string": return .string
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "array": return items.map { .array($0) }
        default: return .object(ObjectShape(fields: fields, additionalValues: additional))
        }
    }

    /// A nested `value_type`: no `default` or `description`, and an `optional` flag.
    mutating func nestedType(_ node: Node, what: () -> String) -> (type: OptionType, isOptional: Bool)? {
        let before = errorCount
        guard let members = requireObject(node, what) else { return nil }
        let parts = definition(members, isNested: true, what: what)
        if parts.type == nil {
            error("\(what())\"type\" is a required property", at: node.position)
        }
        var isOptional = false
        if let optional = parts.optional {
            if case .bool(let flag) = optional.content {
                isOptional = flag
            } else {
                error("\(what())'optional': \(optional.jsonSnippet()) is not of type \"boolean\"", at: optional.position)
            }
        }
        let type = valueType(node, parts, what: what)
        guard let type, errorCount == before else { return nil }
        return (type, isOptional)
    }
}
