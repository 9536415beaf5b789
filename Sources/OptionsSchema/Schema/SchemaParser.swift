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
    var issues: [Issue] = []
    var errorCount = 0

    mutating func error(_ message: String, at position: SourcePosition, code: IssueCode = .invalidSchema) {
        issues.append(Issue(.error, code, message, at: position))
        errorCount += 1
    }

    /// The members of an object, last one winning on duplicate keys (as serde_json reads them), with a warning.
    mutating func uniqueMembers(_ members: [Node.Member], context: String) -> [Node.Member] {
        var seen: [String: Int] = [:]
        var result: [Node.Member] = []
        result.reserveCapacity(members.count)
        for member in members {
            if let index = seen[member.key] {
                issues.append(
                    Issue(
                        .warning, .duplicateKey,
                        "duplicate key '\(member.key)'\(context); the last one wins, as in sentry-options "
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

    mutating func requireObject(_ node: Node, _ what: String) -> [Node.Member]? {
        guard case .object(let members) = node.content else {
            error("\(what)\(node.jsonSnippet()) is not of type \"object\"", at: node.position)
            return nil
        }
        return members
    }

    mutating func rejectUnknownKeys(_ members: [Node.Member], allowed: Set<String>, _ what: String) {
        for member in members where !allowed.contains(member.key) {
            error(
                "\(what)Additional properties are not allowed ('\(member.key)' was unexpected)",
                at: member.keyPosition)
        }
    }

    mutating func document(_ root: Node, namespace: String) -> NamespaceSchema? {
        guard let rawMembers = requireObject(root, "") else { return nil }
        let members = uniqueMembers(rawMembers, context: "")
        rejectUnknownKeys(members, allowed: ["version", "type", "properties", "additionalProperties"], "")
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
                if let raw = requireObject(value, "'properties': ") {
                    properties = uniqueMembers(raw, context: " in 'properties'")
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
        let what = "feature flag '\(property.key)': "
        let before = errorCount
        guard let members = requireObject(property.value, what) else { return false }
        rejectUnknownKeys(members, allowed: ["$ref"], what)
        if let ref = members.first(where: { $0.key == "$ref" })?.value {
            if case .string(let text) = ref.content {
                if !text.contains("#/definitions/Feature") {
                    error("\(what)\(ref.jsonSnippet()) does not match \"#/definitions/Feature\"", at: ref.position)
                } else if text != "#/definitions/Feature" {
                    error(
                        "\(what)Failed to compile validator: '$ref' must be exactly \"#/definitions/Feature\", "
                            + "found \(ref.jsonSnippet())", at: ref.position)
                }
            } else {
                error("\(what)'$ref': \(ref.jsonSnippet()) is not of type \"string\"", at: ref.position)
            }
        } else {
            error("\(what)\"$ref\" is a required property", at: property.value.position)
        }
        return errorCount == before
    }

    /// A regular option definition: `type`, `default`, `description` and the nested type keys.
    mutating func option(_ property: Node.Member) -> OptionSchema? {
        let what = "option '\(property.key)': "
        let before = errorCount
        guard let raw = requireObject(property.value, what) else { return nil }
        let members = uniqueMembers(raw, context: " in option '\(property.key)'")
        rejectUnknownKeys(
            members, allowed: ["type", "default", "description", "items", "additionalProperties", "properties"], what)
        for key in ["type", "default", "description"] where !members.contains(where: { $0.key == key }) {
            error("\(what)\"\(key)\" is a required property", at: property.value.position)
        }
        var description = ""
        if let node = members.first(where: { $0.key == "description" })?.value {
            if case .string(let text) = node.content {
                description = text
            } else {
                error("\(what)'description': \(node.jsonSnippet()) is not of type \"string\"", at: node.position)
            }
        }
        let type = valueType(property.value, members: members, what: what)
        guard let type, errorCount == before, let defaultValue = members.first(where: { $0.key == "default" })?.value
        else { return nil }
        var defaultIssues: [Issue] = []
        var path = ValuePath([.key(property.key)])
        ValueValidator.validate(
            defaultValue, against: type, path: &path,
            prefix: "Property '\(property.key)': default value does not match schema: ", into: &defaultIssues)
        for issue in defaultIssues {
            error(issue.message, at: issue.position ?? defaultValue.position, code: .invalidDefault)
        }
        guard defaultIssues.isEmpty else { return nil }
        return OptionSchema(
            key: property.key, type: type, defaultValue: defaultValue, description: description,
            position: property.keyPosition)
    }

    /// The shared part of option definitions and nested `value_type`s: `type` and its `items`,
    /// `additionalProperties` and `properties`.
    mutating func valueType(_ node: Node, members: [Node.Member], what: String) -> OptionType? {
        let before = errorCount
        var typeName: String?
        if let typeNode = members.first(where: { $0.key == "type" })?.value {
            if case .string(let name) = typeNode.content, SchemaParser.typeNames.contains(name) {
                typeName = name
            } else {
                error(
                    "\(what)'type': \(typeNode.jsonSnippet()) is not one of \"string\", \"integer\", \"number\", "
                        + "\"boolean\", \"array\" or \"object\"", at: typeNode.position)
            }
        }
        var items: OptionType?
        var additional: OptionType?
        var fields: [Field]?
        for member in members {
            switch member.key {
            case "items":
                items = nestedType(member.value, what: "\(what)'items': ").map(\.type)
            case "additionalProperties":
                additional = nestedType(member.value, what: "\(what)'additionalProperties': ").map(\.type)
            case "properties":
                guard let raw = requireObject(member.value, "\(what)'properties': ") else { continue }
                fields = []
                for field in uniqueMembers(raw, context: " in \(what.dropLast(2))'s 'properties'") {
                    if let nested = nestedType(field.value, what: "\(what)field '\(field.key)': ") {
                        fields?.append(Field(name: field.key, type: nested.type, isOptional: nested.isOptional))
                    }
                }
            default: break
            }
        }
        let hasItems = members.contains { $0.key == "items" }
        let hasAdditional = members.contains { $0.key == "additionalProperties" }
        let hasProperties = members.contains { $0.key == "properties" }
        if typeName == "array" && !hasItems {
            error("\(what)\"items\" is a required property", at: node.position)
        }
        if typeName == "object" && !hasAdditional && !hasProperties {
            error("\(what)\"properties\" is a required property", at: node.position)
        }
        guard let typeName, errorCount == before else { return nil }
        switch typeName {
        case "string": return .string
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "array": return items.map { .array($0) }
        default: return .object(ObjectShape(fields: fields ?? [], additionalValues: additional))
        }
    }

    /// A nested `value_type`: no `default` or `description`, and an `optional` flag.
    mutating func nestedType(_ node: Node, what: String) -> (type: OptionType, isOptional: Bool)? {
        let before = errorCount
        guard let raw = requireObject(node, what) else { return nil }
        let members = uniqueMembers(raw, context: "")
        rejectUnknownKeys(members, allowed: ["type", "optional", "items", "additionalProperties", "properties"], what)
        if !members.contains(where: { $0.key == "type" }) {
            error("\(what)\"type\" is a required property", at: node.position)
        }
        var isOptional = false
        if let optional = members.first(where: { $0.key == "optional" })?.value {
            if case .bool(let flag) = optional.content {
                isOptional = flag
            } else {
                error("\(what)'optional': \(optional.jsonSnippet()) is not of type \"boolean\"", at: optional.position)
            }
        }
        let type = valueType(node, members: members, what: what)
        guard let type, errorCount == before else { return nil }
        return (type, isOptional)
    }
}
