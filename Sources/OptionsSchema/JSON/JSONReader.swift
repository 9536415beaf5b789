/// A JSON syntax error with the position where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in lower case without a trailing period (`trailing comma`, `expected ':'`).
    public var message: String
    /// Where the problem is.
    public var position: SourcePosition

    /// Creates an error.
    public init(message: String, position: SourcePosition) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(message) at line \(position.line) column \(position.column)" }
}

/// A small, strict JSON reader (RFC 8259) that keeps positions and keeps integers apart from floats.
///
/// Integers without a fraction or exponent become `.integer` (or `.unsignedInteger` above `Int64.max`); every
/// other number becomes `.float`. Duplicate keys are kept in order; the caller decides what they mean.
///
/// ```swift
/// let root = try JSONReader.parse(Array(#"{"version": "1.0"}"#.utf8))
/// ```
public enum JSONReader {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 256

    /// Parses one JSON document from UTF-8 bytes into a `Node` tree.
    /// - Throws: `JSONSyntaxError` at the first syntax error.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> Node {
        let tape = try JSONTape(bytes)
        return tape.node(at: 0)
    }
}
