/// A JSON-shaped value that remembers where it was read.
///
/// YAML values files and `schema.json` files both load into `Node` trees, so validation can point at the
/// offending key or value with `file:line:col`. Integers and floats stay apart (`42` is not `42.0`).
///
/// ```swift
/// let node = try JSONReader.parse(Array(#"{"a": [1, 2.5]}"#.utf8))
/// node["a"]?.position   // 1:7
/// ```
public struct Node: Sendable {
    /// The value itself.
    public var content: Content
    /// Where the value starts in its source file.
    public var position: SourcePosition

    /// Creates a node from its content and position.
    public init(_ content: Content, at position: SourcePosition = SourcePosition(line: 1, column: 1)) {
        self.content = content
        self.position = position
    }

    /// The possible values of a node.
    public enum Content: Sendable {
        case null
        case bool(Bool)
        /// A signed integer.
        case integer(Int64)
        /// An integer above `Int64.max` (up to `UInt64.max`).
        case unsignedInteger(UInt64)
        case float(Double)
        case string(String)
        case array([Node])
        /// Members in source order.
        case object([Member])
    }

    /// One key and value of an object.
    public struct Member: Sendable {
        /// The key text.
        public var key: String
        /// Where the key starts.
        public var keyPosition: SourcePosition
        /// The value.
        public var value: Node

        /// Creates a member.
        public init(key: String, keyPosition: SourcePosition, value: Node) {
            self.key = key
            self.keyPosition = keyPosition
            self.value = value
        }
    }
}

extension Node {
    /// The members if this node is an object.
    public var members: [Member]? {
        if case .object(let members) = content { return members }
        return nil
    }

    /// The elements if this node is an array.
    public var elements: [Node]? {
        if case .array(let elements) = content { return elements }
        return nil
    }

    /// The text if this node is a string.
    public var stringValue: String? {
        if case .string(let string) = content { return string }
        return nil
    }

    /// The first member named `key`, if this node is an object.
    public subscript(key: String) -> Node? {
        member(named: key)?.value
    }

    /// The first member named `key`, if this node is an object.
    public func member(named key: String) -> Member? {
        guard case .object(let members) = content else { return nil }
        return members.first { $0.key == key }
    }

    /// The JSON Schema name of this value's kind: `null`, `boolean`, `integer`, `number`, `string`, `array` or `object`.
    public var kindName: String {
        switch content {
        case .null: "null"
        case .bool: "boolean"
        case .integer, .unsignedInteger: "integer"
        case .float: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
