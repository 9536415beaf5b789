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

    /// Parses one JSON document from UTF-8 bytes.
    /// - Throws: `JSONSyntaxError` at the first syntax error.
    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> Node {
        let result: Result<Node, JSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var parser = Parser(buffer)
            do throws(JSONSyntaxError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    var offset = 0
    var line = 1
    var lineStart = 0
    /// UTF-8 continuation bytes seen on the current line before `offset`, so columns count code points.
    var continuationBytes = 0
    var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var position: SourcePosition {
        SourcePosition(line: line, column: offset - lineStart - continuationBytes + 1)
    }

    func error(_ message: String) -> JSONSyntaxError {
        JSONSyntaxError(message: message, position: position)
    }

    mutating func parseDocument() throws(JSONSyntaxError) -> Node {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error("unexpected byte order mark; JSON files must be UTF-8 without a BOM")
        }
        if let invalid = UTF8Validation.firstInvalidOffset(bytes) {
            moveTo(invalid)
            throw error("invalid UTF-8")
        }
        skipWhitespace()
        guard offset < bytes.count else { throw error("EOF while parsing a value") }
        let value = try parseValue()
        skipWhitespace()
        if offset < bytes.count { throw error("trailing characters") }
        return value
    }

    /// Moves to `target` (ahead of `offset`), keeping line and column bookkeeping right; for error positions.
    mutating func moveTo(_ target: Int) {
        while offset < target {
            if bytes[offset] == 0x0A {
                line += 1
                lineStart = offset + 1
                continuationBytes = 0
            } else if bytes[offset] & 0xC0 == 0x80 {
                continuationBytes += 1
            }
            offset += 1
        }
    }

    mutating func skipWhitespace() {
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte > 0x20 { return }
            if byte == 0x20 {
                offset += 1
                continue
            }
            switch byte {
            case 0x20, 0x09, 0x0D: offset += 1
            case 0x0A:
                offset += 1
                line += 1
                lineStart = offset
                continuationBytes = 0
            default: return
            }
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> Node {
        guard offset < bytes.count else { throw error("EOF while parsing a value") }
        let start = position
        switch bytes[offset] {
        case UInt8(ascii: "{"): return try parseObject(start)
        case UInt8(ascii: "["): return try parseArray(start)
        case UInt8(ascii: "\""): return Node(.string(try parseString()), at: start)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return Node(.bool(true), at: start)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return Node(.bool(false), at: start)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return Node(.null, at: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Node(try parseNumber(), at: start)
        default: throw error("expected value")
        }
    }

    mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
        let count = literal.utf8CodeUnitCount
        let text = literal.utf8Start
        for index in 0..<count {
            guard offset < bytes.count else { throw error("EOF while parsing a value") }
            guard bytes[offset] == text[index] else { throw error("expected value") }
            offset += 1
        }
    }

    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONReader.maximumDepth { throw error("nesting deeper than \(JSONReader.maximumDepth) levels") }
    }

    mutating func parseObject(_ start: SourcePosition) throws(JSONSyntaxError) -> Node {
        try enter()
        offset += 1
        var members: [Node.Member] = []
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
            offset += 1
            depth -= 1
            return Node(.object(members), at: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing an object") }
            guard bytes[offset] == UInt8(ascii: "\"") else {
                if bytes[offset] == UInt8(ascii: "}") { throw error("trailing comma") }
                throw error("key must be a string")
            }
            let keyPosition = position
            let key = try parseString()
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing an object") }
            guard bytes[offset] == UInt8(ascii: ":") else { throw error("expected ':'") }
            offset += 1
            skipWhitespace()
            let value = try parseValue()
            members.append(Node.Member(key: key, keyPosition: keyPosition, value: value))
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing an object") }
            switch bytes[offset] {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "}"):
                offset += 1
                depth -= 1
                return Node(.object(members), at: start)
            default: throw error("expected ',' or '}'")
            }
        }
    }

    mutating func parseArray(_ start: SourcePosition) throws(JSONSyntaxError) -> Node {
        try enter()
        offset += 1
        var elements: [Node] = []
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
            offset += 1
            depth -= 1
            return Node(.array(elements), at: start)
        }
        while true {
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing a list") }
            if bytes[offset] == UInt8(ascii: "]") { throw error("trailing comma") }
            elements.append(try parseValue())
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing a list") }
            switch bytes[offset] {
            case UInt8(ascii: ","): offset += 1
            case UInt8(ascii: "]"):
                offset += 1
                depth -= 1
                return Node(.array(elements), at: start)
            default: throw error("expected ',' or ']'")
            }
        }
    }

    /// Reads a string starting at the opening quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        offset += 1
        let start = offset
        // Fast path: no escapes.
        while offset < bytes.count {
            let byte = bytes[offset]
            if byte == UInt8(ascii: "\"") {
                // The whole document was checked to be UTF-8 up front.
                let string = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
                offset += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("control character (\\u0000-\\u001F) found while parsing a string") }
            if byte & 0xC0 == 0x80 { continuationBytes += 1 }
            offset += 1
        }
        var buffer = Array(UnsafeBufferPointer(rebasing: bytes[start..<offset]))
        while offset < bytes.count {
            let byte = bytes[offset]
            switch byte {
            case UInt8(ascii: "\""):
                offset += 1
                return String(decoding: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                offset += 1
                guard offset < bytes.count else { break }
                let escape = bytes[offset]
                offset += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
                case UInt8(ascii: "b"): buffer.append(0x08)
                case UInt8(ascii: "f"): buffer.append(0x0C)
                case UInt8(ascii: "n"): buffer.append(0x0A)
                case UInt8(ascii: "r"): buffer.append(0x0D)
                case UInt8(ascii: "t"): buffer.append(0x09)
                case UInt8(ascii: "u"): try appendUnicodeEscape(into: &buffer)
                default:
                    offset -= 1
                    throw error("invalid escape")
                }
            case 0..<0x20:
                throw error("control character (\\u0000-\\u001F) found while parsing a string")
            default:
                if byte & 0xC0 == 0x80 { continuationBytes += 1 }
                buffer.append(byte)
                offset += 1
            }
        }
        throw error("EOF while parsing a string")
    }

    mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
        guard offset + 4 <= bytes.count else { throw error("EOF while parsing a string") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid escape")
            }
            value = value << 4 | digit
            offset += 1
        }
        return value
    }

    mutating func appendUnicodeEscape(into buffer: inout [UInt8]) throws(JSONSyntaxError) {
        var scalar = try readHex4()
        if (0xD800..<0xDC00).contains(scalar) {
            guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u")
            else { throw error("lone leading surrogate in hex escape") }
            offset += 2
            let low = try readHex4()
            guard (0xDC00..<0xE000).contains(low) else { throw error("lone leading surrogate in hex escape") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if (0xDC00..<0xE000).contains(scalar) {
            throw error("lone trailing surrogate in hex escape")
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw error("invalid unicode code point") }
        buffer.append(contentsOf: String(Character(unicode)).utf8)
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> Node.Content {
        let start = offset
        var isNegative = false
        if bytes[offset] == UInt8(ascii: "-") {
            isNegative = true
            offset += 1
        }
        guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
        var magnitude: UInt64 = 0
        var overflow = false
        if bytes[offset] == UInt8(ascii: "0") {
            offset += 1
            if offset < bytes.count && isDigit(bytes[offset]) { throw error("invalid number") }
        } else {
            while offset < bytes.count && isDigit(bytes[offset]) {
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[offset] - UInt8(ascii: "0")))
                if o1 || o2 { overflow = true }
                magnitude = sum
                offset += 1
            }
        }
        var isFloat = false
        if offset < bytes.count && bytes[offset] == UInt8(ascii: ".") {
            isFloat = true
            offset += 1
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
            while offset < bytes.count && isDigit(bytes[offset]) { offset += 1 }
        }
        if offset < bytes.count && (bytes[offset] == UInt8(ascii: "e") || bytes[offset] == UInt8(ascii: "E")) {
            isFloat = true
            offset += 1
            if offset < bytes.count && (bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-")) {
                offset += 1
            }
            guard offset < bytes.count, isDigit(bytes[offset]) else { throw error("invalid number") }
            while offset < bytes.count && isDigit(bytes[offset]) { offset += 1 }
        }
        if !isFloat && !overflow {
            if !isNegative {
                return magnitude <= UInt64(Int64.max) ? .integer(Int64(magnitude)) : .unsignedInteger(magnitude)
            }
            if magnitude <= UInt64(Int64.max) { return .integer(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return .integer(Int64.min) }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else {
            offset = start
            throw error("number out of range")
        }
        return .float(value)
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
