extension Node {
    /// An object node from key–value pairs, for building output documents.
    public static func object(_ pairs: [(String, Node)]) -> Node {
        let origin = SourcePosition(line: 1, column: 1)
        return Node(.object(pairs.map { Member(key: $0.0, keyPosition: origin, value: $0.1) }))
    }

    /// An array node.
    public static func array(_ elements: [Node]) -> Node { Node(.array(elements)) }

    /// A string node.
    public static func string(_ text: String) -> Node { Node(.string(text)) }

    /// An integer node.
    public static func integer(_ value: Int) -> Node { Node(.integer(Int64(value))) }

    /// A boolean node.
    public static func bool(_ value: Bool) -> Node { Node(.bool(value)) }
}
