extension Node {
    /// Whether two values are the same JSON value, ignoring positions and member order.
    ///
    /// Integers and floats are different values (`42` is not `42.0`), as serde_json compares them.
    public func isSameValue(as other: Node) -> Bool {
        switch (content, other.content) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.unsignedInteger(let a), .unsignedInteger(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSameValue(as: $1) }
        case (.object(let a), .object(let b)):
            guard a.count == b.count else { return false }
            for member in a {
                guard let match = b.first(where: { $0.key == member.key }),
                    member.value.isSameValue(as: match.value)
                else { return false }
            }
            return true
        default: return false
        }
    }
}
