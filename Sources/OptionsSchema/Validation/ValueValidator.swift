/// Checks values against option types with JSON Schema 2020-12 semantics, as sentry-options does.
///
/// - `integer` accepts any number with no fractional part (`3`, `3.0`, `1e2`), not `3.5` and not booleans;
/// - `number` accepts integers and floats; `boolean` only `true`/`false`; `null` matches no type;
/// - structs need every non-optional field and reject undeclared ones; dicts check every value; arrays check
///   every element.
///
/// Every problem is reported, each at the position of the offending value (or, for an undeclared field, of its
/// key), with the reference's wording (`"x" is not of type "integer"`).
public enum ValueValidator {
    /// The problems of the value of option `key`: checked first without a path (a valid value costs no path
    /// string, and `key` is not even evaluated), and only when bad checked again with `key` as its path, for the
    /// messages.
    /// - Parameter scratch: an empty path the caller keeps from one value to the next, so the steps into arrays
    ///   and objects reuse its storage; empty again on return.
    public static func issues(
        of node: Node, against type: OptionType, key: @autoclosure () -> String, scratch: inout ValuePath
    ) -> [Issue] {
        var issues: [Issue] = []
        validate(node, against: type, path: &scratch, into: &issues)
        guard !issues.isEmpty else { return [] }
        issues = []
        scratch.push(key())
        validate(node, against: type, path: &scratch, into: &issues)
        scratch.pop()
        return issues
    }

    /// Validates `node` against `type`.
    /// - Parameters:
    ///   - path: where `node` sits; messages start with it (`'cfg/host': …`). Restored before returning.
    ///   - issues: problems are appended here.
    public static func validate(
        _ node: Node, against type: OptionType, path: inout ValuePath, into issues: inout [Issue]
    ) {
        switch type {
        case .string:
            if case .string = node.content { return }
        case .boolean:
            if case .bool = node.content { return }
        case .integer:
            switch node.content {
            case .integer, .unsignedInteger: return
            case .float(let value) where value.rounded(.towardZero) == value: return
            default: break
            }
        case .number:
            switch node.content {
            case .integer, .unsignedInteger, .float: return
            default: break
            }
        case .array(let itemType):
            guard case .array(let elements) = node.content else { break }
            for (index, element) in elements.enumerated() {
                path.push(index)
                validate(element, against: itemType, path: &path, into: &issues)
                path.pop()
            }
            return
        case .object(let shape):
            guard case .object(let members) = node.content else { break }
            validate(members, of: node, against: shape, path: &path, into: &issues)
            return
        }
        issues.append(
            Issue(
                .error, .typeMismatch,
                "'\(path)': \(node.jsonSnippet()) is not of type \"\(type.name)\"", at: node.position))
    }

    static func validate(
        _ members: [Node.Member], of node: Node, against shape: ObjectShape, path: inout ValuePath,
        into issues: inout [Issue]
    ) {
        for field in shape.fields where !field.isOptional {
            if !members.contains(where: { $0.key == field.name }) {
                issues.append(
                    Issue(
                        .error, .missingField, "'\(path)': \"\(field.name)\" is a required property",
                        at: node.position))
            }
        }
        for member in members {
            let memberType: OptionType
            if let field = shape.field(named: member.key) {
                memberType = field.type
            } else if let additional = shape.additionalValues {
                memberType = additional
            } else {
                issues.append(
                    Issue(
                        .error, .unexpectedField,
                        "'\(path)': Additional properties are not allowed ('\(member.key)' was unexpected)",
                        at: member.keyPosition))
                continue
            }
            path.push(member.key)
            validate(member.value, against: memberType, path: &path, into: &issues)
            path.pop()
        }
    }
}
