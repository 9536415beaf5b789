extension Node {
    /// Whether two values are the same JSON value, ignoring positions and member order.
    ///
    /// Integers and floats are different values (`42` is not `42.0`), as serde_json compares them, and so are
    /// `-0.0` and `0.0`. A key that an object holds twice counts with its last value.
    public func isSameValue(as other: Node) -> Bool {
        switch (content, other.content) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.unsignedInteger(let a), .unsignedInteger(let b)): return a == b
        // -0.0 is not 0.0: they are written differently, so a change between them is a change of the payload.
        case (.float(let a), .float(let b)): return a == b && a.sign == b.sign
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.isSameValue(as: $1) }
        case (.object(let a), .object(let b)):
            // A key given twice means its last value, as the value is read (`JSONValue`, the clients).
            let left = Dictionary(a.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let right = Dictionary(b.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { value.isSameValue(as: $0) } ?? false }
        default: return false
        }
    }
}
