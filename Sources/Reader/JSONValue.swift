public import OptionsSchema

/// An option value as a service reads it: JSON, with integers and floats kept apart.
///
/// ```swift
/// let value = try store.namespace("seer").value("autofix.rate_limit")   // .integer(200)
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A whole number that fits in 64 bits signed.
    case integer(Int64)
    /// A whole number above `Int64.max`.
    case unsignedInteger(UInt64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Members in the order the file has them (payloads are written with sorted keys).
    case object([String: JSONValue])

    /// The value of a parsed node, positions dropped; of a repeated key the last one wins, as serde_json reads it.
    public init(_ node: Node) {
        switch node.content {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .integer(let value): self = .integer(value)
        case .unsignedInteger(let value): self = .unsignedInteger(value)
        case .float(let value): self = .double(value)
        case .string(let value): self = .string(value)
        case .array(let elements): self = .array(elements.map(JSONValue.init))
        case .object(let members):
            var object: [String: JSONValue] = [:]
            object.reserveCapacity(members.count)
            for member in members { object[member.key] = JSONValue(member.value) }
            self = .object(object)
        }
    }

    /// The JSON type name: `null`, `boolean`, `integer`, `number`, `string`, `array` or `object`.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .unsignedInteger: "integer"
        case .double: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The node form, for writing the value as JSON.
    public var node: Node {
        switch self {
        case .null: Node(.null)
        case .bool(let value): Node(.bool(value))
        case .integer(let value): Node(.integer(value))
        case .unsignedInteger(let value): Node(.unsignedInteger(value))
        case .double(let value): Node(.float(value))
        case .string(let value): Node(.string(value))
        case .array(let elements): Node(.array(elements.map(\.node)))
        case .object(let members):
            Node(
                .object(
                    members.keys.sorted(by: JSONWriter.utf8Precedes).map { key in
                        Node.Member(
                            key: key, keyPosition: SourcePosition(line: 1, column: 1), value: members[key]!.node)
                    }))
        }
    }

    /// Compact JSON text with sorted keys, as sentry-options writes it.
    public var jsonText: String { JSONWriter.compact(node) }
}
