#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A parsed JSON document kept as a flat list of tokens over its bytes: no tree, no per-object allocation.
///
/// Readers that look at most of a large document only once — the schema reader going through 500 option
/// definitions — walk the tape and materialise just the strings and `Node`s they keep. Keys can be compared
/// with a literal without creating a `String`. Every token knows its line and column.
///
/// ```swift
/// let tape = try JSONTape(Array(#"{"type": "string", "default": "x"}"#.utf8))
/// for member in tape.members(of: 0) where tape.key(member.key, is: "default") {
///     let value = tape.node(at: member.value)   // "x"
/// }
/// ```
public struct JSONTape: Sendable {
    /// What a token is.
    public enum Kind: UInt8, Sendable {
        case null, `true`, `false`, integer, unsignedInteger, float, string, array, object
    }

    struct Token {
        var kind: Kind
        /// Strings: whether the content has escapes to decode.
        var hasEscapes: Bool
        var line: Int32
        var column: Int32
        /// Strings: byte offset of the content (after the quote). Containers: number of elements or members.
        var start: Int32
        /// Strings: content length in bytes.
        var length: Int32
        /// The index of the token after this value and everything inside it.
        var next: Int32
        /// Numbers: the value's bit pattern.
        var payload: UInt64
    }

    let bytes: [UInt8]
    let tokens: TokenList

    /// Parses `bytes` (one JSON document, UTF-8 without BOM).
    /// - Throws: `JSONSyntaxError` at the first syntax error.
    public init(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        self.bytes = bytes
        let tokens = TokenList(capacity: bytes.count / 12)
        let result: JSONSyntaxError? = bytes.withUnsafeBufferPointer { buffer in
            var tokenizer = Tokenizer(buffer)
            do throws(JSONSyntaxError) {
                try tokenizer.document(into: tokens)
                return nil
            } catch {
                return error
            }
        }
        if let result { throw result }
        self.tokens = tokens
    }

    /// The index of the root value.
    public var root: Int { 0 }

    /// The kind of the value at `index`.
    public func kind(_ index: Int) -> Kind { tokens[index].kind }

    /// Where the value at `index` starts.
    public func position(_ index: Int) -> SourcePosition {
        SourcePosition(line: Int(tokens[index].line), column: Int(tokens[index].column))
    }

    /// The number of elements of an array or members of an object.
    public func count(_ index: Int) -> Int { Int(tokens[index].start) }

    /// The index of the value after the one at `index` (skipping everything inside it).
    public func next(_ index: Int) -> Int { Int(tokens[index].next) }

    /// The members of the object at `index`, as the indices of each key and value, in document order.
    public func members(of index: Int) -> Members { Members(tape: self, index: index) }

    /// The elements of the array at `index`, as token indices.
    public func elements(of index: Int) -> Elements { Elements(tape: self, index: index) }

    /// The key and value indices of an object's members; iterating allocates nothing.
    public struct Members: Sequence {
        let tape: JSONTape
        let index: Int

        public func makeIterator() -> Iterator { Iterator(tape: tape, cursor: index + 1, end: tape.next(index)) }

        public var underestimatedCount: Int { tape.count(index) }

        public struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var cursor: Int
            let end: Int

            public mutating func next() -> (key: Int, value: Int)? {
                guard cursor < end else { return nil }
                let member = (key: cursor, value: cursor + 1)
                cursor = tape.next(cursor + 1)
                return member
            }
        }
    }

    /// The element indices of an array; iterating allocates nothing.
    public struct Elements: Sequence {
        let tape: JSONTape
        let index: Int

        public func makeIterator() -> Iterator { Iterator(tape: tape, cursor: index + 1, end: tape.next(index)) }

        public var underestimatedCount: Int { tape.count(index) }

        public struct Iterator: IteratorProtocol {
            let tape: JSONTape
            var cursor: Int
            let end: Int

            public mutating func next() -> Int? {
                guard cursor < end else { return nil }
                let element = cursor
                cursor = tape.next(cursor)
                return element
            }
        }
    }

    /// The length in bytes of the string at `index` when it has no escapes (`-1` for anything else), and its first
    /// eight bytes as one word, first byte lowest and zero-padded: with `JSONTape.word(of:)`, a keyword of at most
    /// eight bytes is matched with one comparison.
    @inline(__always)
    func plainStringPrefix(_ index: Int) -> (length: Int, word: UInt64) {
        let token = tokens[index]
        guard token.kind == .string && !token.hasEscapes else { return (-1, 0) }
        let start = Int(token.start)
        let length = Int(token.length)
        let word = bytes.withUnsafeBytes { raw -> UInt64 in
            if start + 8 <= raw.count {
                let loaded = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: UInt64.self))
                return length >= 8 ? loaded : loaded & ((1 << (UInt64(length) &* 8)) &- 1)
            }
            var word: UInt64 = 0
            for offset in 0..<min(length, 8) { word |= UInt64(raw[start + offset]) << (UInt64(offset) &* 8) }
            return word
        }
        return (length, word)
    }

    /// The first eight bytes of `literal` as `plainStringPrefix` gives them.
    static func word(of literal: StaticString) -> UInt64 {
        var word: UInt64 = 0
        for offset in 0..<min(literal.utf8CodeUnitCount, 8) {
            word |= UInt64(literal.utf8Start[offset]) << (UInt64(offset) * 8)
        }
        return word
    }

    /// Whether the string at `index` is exactly `literal` (an ASCII literal without escapes).
    public func key(_ index: Int, is literal: StaticString) -> Bool {
        let token = tokens[index]
        guard token.kind == .string, !token.hasEscapes, Int(token.length) == literal.utf8CodeUnitCount else {
            return false
        }
        return matches(at: Int(token.start), literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// Whether the document's bytes from `start` are the `count` bytes at `other`.
    @inline(__always)
    private func matches(at start: Int, _ other: UnsafePointer<UInt8>, count: Int) -> Bool {
        count == 0 || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, count) == 0 }
    }

    /// Whether the string at `index` is exactly the UTF-8 bytes `literal` (compared without decoding escapes).
    public func string(_ index: Int, equalsBytes literal: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tokens[index]
        guard token.kind == .string, !token.hasEscapes, Int(token.length) == literal.count else { return false }
        return literal.isEmpty || matches(at: Int(token.start), literal.baseAddress!, count: literal.count)
    }

    /// Whether the string at `index` starts with `prefix` (an ASCII literal).
    public func string(_ index: Int, hasPrefix prefix: StaticString) -> Bool {
        let token = tokens[index]
        guard token.kind == .string, Int(token.length) >= prefix.utf8CodeUnitCount else { return false }
        return matches(at: Int(token.start), prefix.utf8Start, count: prefix.utf8CodeUnitCount)
    }

    /// The text of the string at `index`, or `nil` if it is not a string.
    public func string(_ index: Int) -> String? {
        let token = tokens[index]
        guard token.kind == .string else { return nil }
        let start = Int(token.start)
        let end = start + Int(token.length)
        return Self.text(of: bytes, start..<end, hasEscapes: token.hasEscapes)
    }

    /// The text of a string's content at `range` of `bytes`, its escapes decoded when it has any.
    static func text(of bytes: [UInt8], _ range: Range<Int>, hasEscapes: Bool) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            text(of: UnsafeBufferPointer(rebasing: buffer[range]), hasEscapes: hasEscapes)
        }
    }

    /// The text of a string's raw content, its escapes decoded when it has any.
    static func text(of raw: UnsafeBufferPointer<UInt8>, hasEscapes: Bool) -> String {
        hasEscapes ? unescape(raw) : String(decoding: raw, as: UTF8.self)
    }

    /// Runs `body` on the UTF-8 bytes of the string at `index`, decoded (escapes are decoded into a copy first);
    /// `nil` if the value is not a string.
    package func withUTF8<Result>(ofString index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        let token = tokens[index]
        guard token.kind == .string else { return nil }
        guard !token.hasEscapes else {
            var text = string(index) ?? ""
            return text.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        }
        return bytes.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[Int(token.start)..<Int(token.start) + Int(token.length)]))
        }
    }

    /// The value of the first member of the object at `index` whose key is `key`, or `nil`.
    public func value(of index: Int, forKey key: String) -> Int? {
        guard kind(index) == .object else { return nil }
        return members(of: index).first { string($0.key) == key }?.value
    }

    /// The string at `index` as text decoded only when read, its raw content copied to `store`; `nil` if it is
    /// not a string.
    func deferredString(_ index: Int, in store: TextStore) -> DeferredText? {
        let token = tokens[index]
        guard token.kind == .string else { return nil }
        let range = bytes.withUnsafeBytes { all in
            store.append(UnsafeRawBufferPointer(rebasing: all[Int(token.start)..<Int(token.start) + Int(token.length)]))
        }
        return DeferredText(store: store, start: range.start, length: range.length, hasEscapes: token.hasEscapes)
    }

    /// The value at `index` as a `Node` tree.
    public func node(at index: Int) -> Node {
        let token = tokens[index]
        let position = SourcePosition(line: Int(token.line), column: Int(token.column))
        switch token.kind {
        case .null: return Node(.null, at: position)
        case .true: return Node(.bool(true), at: position)
        case .false: return Node(.bool(false), at: position)
        case .integer: return Node(.integer(Int64(bitPattern: token.payload)), at: position)
        case .unsignedInteger: return Node(.unsignedInteger(token.payload), at: position)
        case .float: return Node(.float(Double(bitPattern: token.payload)), at: position)
        case .string: return Node(.string(string(index) ?? ""), at: position)
        case .array:
            // Sized up front from the token's count (a map over the sequence grew the array step by step).
            var elements: [Node] = []
            elements.reserveCapacity(count(index))
            for element in self.elements(of: index) { elements.append(node(at: element)) }
            return Node(.array(elements), at: position)
        case .object:
            var members: [Node.Member] = []
            members.reserveCapacity(count(index))
            for pair in self.members(of: index) {
                members.append(
                    Node.Member(
                        key: string(pair.key) ?? "", keyPosition: self.position(pair.key), value: node(at: pair.value)))
            }
            return Node(.object(members), at: position)
        }
    }

    /// The value of a JSON number without making a string, when Clinger's fast path applies: at most 15
    /// significant digits and a power of ten of at most 22 either way, so the digits and the power are both exact
    /// doubles and one multiplication or division rounds correctly. `nil` otherwise (the caller parses the text).
    static func exactDouble(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        let isNegative = text.first == UInt8(ascii: "-")
        if isNegative { index = 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var inFraction = false
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: ".") {
                inFraction = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if mantissa != 0 || byte != UInt8(ascii: "0") {
                    guard significant < 15 else { return nil }
                    mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                    significant &+= 1
                }
                if inFraction { exponent &-= 1 }
            } else {
                break
            }
            index &+= 1
        }
        if index < text.count {
            // An exponent: `e` or `E`, an optional sign, digits (the tokenizer checked the form).
            index &+= 1
            var isNegativeExponent = false
            if text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                isNegativeExponent = text[index] == UInt8(ascii: "-")
                index &+= 1
            }
            var written = 0
            while index < text.count {
                guard written < 1000 else { return nil }
                written = written &* 10 &+ Int(text[index] &- UInt8(ascii: "0"))
                index &+= 1
            }
            exponent &+= isNegativeExponent ? -written : written
        }
        let magnitude: Double
        if mantissa == 0 {
            magnitude = 0
        } else if exponent >= 0 && exponent <= 22 {
            magnitude = Double(mantissa) * powersOfTen[exponent]
        } else if exponent < 0 && exponent >= -22 {
            magnitude = Double(mantissa) / powersOfTen[-exponent]
        } else {
            return nil
        }
        return isNegative ? -magnitude : magnitude
    }

    /// 10⁰ … 10²², every one exact as a double.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22,
    ]

    /// Decodes a string body whose escapes the tokenizer already checked.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 {
                let byte = raw[at + offset]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                default: digit = UInt32(byte - UInt8(ascii: "A") + 10)
                }
                value = value << 4 | digit
            }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if (0xD800..<0xDC00).contains(scalar) {
                    let low = hex4(index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                if let unicode = Unicode.Scalar(scalar) {
                    out.append(contentsOf: String(Character(unicode)).utf8)
                }
            default: out.append(escape)  // " \ /
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The tokens of a tape: one allocation, grown by doubling while the tokenizer appends (no copy-on-write
/// checks on the hot path), read-only once the tape is made.
final class TokenList: @unchecked Sendable {
    private var base: UnsafeMutablePointer<JSONTape.Token>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    subscript(index: Int) -> JSONTape.Token {
        precondition(index >= 0 && index < count, "token index out of range")
        return base[index]
    }

    @inline(__always)
    func append(_ token: JSONTape.Token) {
        if count == capacity { grow() }
        (base + count).initialize(to: token)
        count += 1
    }

    /// Sets a container's member or element count and the index after it, once its contents are appended.
    func close(_ index: Int, count members: Int32) {
        base[index].start = members
        base[index].next = Int32(truncatingIfNeeded: count)
    }

    @inline(never)
    private func grow() {
        let larger = UnsafeMutablePointer<JSONTape.Token>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }
}

private struct Tokenizer {
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

    func token(_ kind: JSONTape.Kind) -> JSONTape.Token {
        JSONTape.Token(
            kind: kind, hasEscapes: false, line: Int32(truncatingIfNeeded: line),
            column: Int32(truncatingIfNeeded: offset - lineStart - continuationBytes + 1), start: 0, length: 0,
            next: 0, payload: 0)
    }

    mutating func document(into tokens: TokenList) throws(JSONSyntaxError) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            throw error("unexpected byte order mark; JSON files must be UTF-8 without a BOM")
        }
        // Token offsets are 32-bit.
        if bytes.count > Int(Int32.max) { throw error("document larger than 2 GiB") }
        do throws(JSONSyntaxError) {
            skipWhitespace()
            guard offset < bytes.count else { throw error("EOF while parsing a value") }
            try value(into: tokens)
            skipWhitespace()
            if offset < bytes.count { throw error("trailing characters") }
        } catch {
            // Invalid UTF-8 anywhere is the error to report, before any syntax error. A document that parses has
            // non-ASCII bytes only inside strings, which the string scanner checks as it goes.
            guard let invalid = UTF8Validation.firstInvalidOffset(bytes) else { throw error }
            offset = 0
            line = 1
            lineStart = 0
            continuationBytes = 0
            moveTo(invalid)
            throw self.error("invalid UTF-8")
        }
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

    /// Eight bytes from `index` (which must leave room for them), first byte lowest.
    @inline(__always) func word(at index: Int) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self))
    }

    @inline(__always) mutating func skipWhitespace() {
        // Most calls find a token right away (between a key and its colon, a value and its comma), or after one
        // space (after a colon or a comma on one line).
        if offset < bytes.count && bytes[offset] > 0x20 { return }
        if offset + 1 < bytes.count && bytes[offset] == 0x20 && bytes[offset + 1] > 0x20 {
            offset += 1
            return
        }
        skipWhitespaceRun()
    }

    mutating func skipWhitespaceRun() {
        var index = offset
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == 0x20 {
                // Indentation: a run of spaces, up to eight at a time.
                if index + 8 <= count {
                    let others = word(at: index) ^ 0x2020_2020_2020_2020
                    index += others == 0 ? 8 : others.trailingZeroBitCount >> 3
                } else {
                    index += 1
                }
            } else if byte == 0x0A {
                index += 1
                line += 1
                lineStart = index
                continuationBytes = 0
            } else if byte == 0x09 || byte == 0x0D {
                index += 1
            } else {
                break
            }
        }
        offset = index
    }

    mutating func value(into tokens: TokenList) throws(JSONSyntaxError) {
        guard offset < bytes.count else { throw error("EOF while parsing a value") }
        switch bytes[offset] {
        case UInt8(ascii: "{"): try object(into: tokens)
        case UInt8(ascii: "["): try array(into: tokens)
        case UInt8(ascii: "\""): try string(into: tokens)
        case UInt8(ascii: "t"): try literal("true", .true, into: tokens)
        case UInt8(ascii: "f"): try literal("false", .false, into: tokens)
        case UInt8(ascii: "n"): try literal("null", .null, into: tokens)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(into: tokens)
        default: throw error("expected value")
        }
    }

    mutating func literal(_ text: StaticString, _ kind: JSONTape.Kind, into tokens: TokenList)
        throws(JSONSyntaxError)
    {
        var token = token(kind)
        let count = text.utf8CodeUnitCount
        let start = text.utf8Start
        for index in 0..<count {
            guard offset < bytes.count else { throw error("EOF while parsing a value") }
            guard bytes[offset] == start[index] else { throw error("expected value") }
            offset += 1
        }
        token.next = Int32(tokens.count + 1)
        tokens.append(token)
    }

    @inline(__always)
    mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > JSONReader.maximumDepth { throw tooDeep() }
    }

    @inline(never)
    func tooDeep() -> JSONSyntaxError { error("nesting deeper than \(JSONReader.maximumDepth) levels") }

    mutating func object(into tokens: TokenList) throws(JSONSyntaxError) {
        try enter()
        let index = tokens.count
        tokens.append(token(.object))
        offset += 1
        var count: Int32 = 0
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "}") {
            offset += 1
        } else {
            members: while true {
                skipWhitespace()
                guard offset < bytes.count else { throw error("EOF while parsing an object") }
                guard bytes[offset] == UInt8(ascii: "\"") else {
                    if bytes[offset] == UInt8(ascii: "}") { throw error("trailing comma") }
                    throw error("key must be a string")
                }
                try string(into: tokens)
                skipWhitespace()
                guard offset < bytes.count else { throw error("EOF while parsing an object") }
                guard bytes[offset] == UInt8(ascii: ":") else { throw error("expected ':'") }
                offset += 1
                skipWhitespace()
                try value(into: tokens)
                count += 1
                skipWhitespace()
                guard offset < bytes.count else { throw error("EOF while parsing an object") }
                switch bytes[offset] {
                case UInt8(ascii: ","): offset += 1
                case UInt8(ascii: "}"):
                    offset += 1
                    break members
                default: throw error("expected ',' or '}'")
                }
            }
        }
        depth -= 1
        tokens.close(index, count: count)
    }

    mutating func array(into tokens: TokenList) throws(JSONSyntaxError) {
        try enter()
        let index = tokens.count
        tokens.append(token(.array))
        offset += 1
        var count: Int32 = 0
        skipWhitespace()
        if offset < bytes.count && bytes[offset] == UInt8(ascii: "]") {
            offset += 1
        } else {
            elements: while true {
                skipWhitespace()
                guard offset < bytes.count else { throw error("EOF while parsing a list") }
                if bytes[offset] == UInt8(ascii: "]") { throw error("trailing comma") }
                try value(into: tokens)
                count += 1
                skipWhitespace()
                guard offset < bytes.count else { throw error("EOF while parsing a list") }
                switch bytes[offset] {
                case UInt8(ascii: ","): offset += 1
                case UInt8(ascii: "]"):
                    offset += 1
                    break elements
                default: throw error("expected ',' or ']'")
                }
            }
        }
        depth -= 1
        tokens.close(index, count: count)
    }

    /// Scans a string starting at its opening quote, checking escapes; the content is decoded on demand.
    mutating func string(into tokens: TokenList) throws(JSONSyntaxError) {
        var token = token(.string)
        let start = offset + 1
        var index = start
        let count = bytes.count
        while true {
            // Plain ASCII runs eight bytes at a time: no quote, backslash, control or non-ASCII byte in the word.
            while index + 8 <= count {
                let word = word(at: index)
                let quotes = word ^ 0x2222_2222_2222_2222
                let backslashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let ones: UInt64 = 0x0101_0101_0101_0101
                let special =
                    ((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                    | ((word &- 0x2020_2020_2020_2020) & ~word) | word
                let flags = special & 0x8080_8080_8080_8080
                if flags != 0 {
                    // The lowest flag is exact (borrows only make false flags above a true one): go straight to it.
                    index += flags.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < count else {
                offset = count
                throw error("EOF while parsing a string")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                token.start = Int32(truncatingIfNeeded: start)
                token.length = Int32(truncatingIfNeeded: index - start)
                offset = index + 1
                token.next = Int32(truncatingIfNeeded: tokens.count + 1)
                tokens.append(token)
                return
            }
            if byte == UInt8(ascii: "\\") {
                token.hasEscapes = true
                offset = index
                try escape()
                index = offset
                continue
            }
            if byte < 0x20 {
                offset = index
                throw error("control character (\\u0000-\\u001F) found while parsing a string")
            }
            if byte < 0x80 {
                // Plain ASCII the eight-byte scan left (the document's last few bytes).
                index += 1
                continue
            }
            // Non-ASCII: one whole valid UTF-8 sequence, whose continuation bytes do not count as columns.
            guard let length = UTF8Validation.sequenceLength(bytes, at: index) else {
                offset = index
                throw error("invalid UTF-8")
            }
            continuationBytes += length - 1
            index += length
        }
    }

    /// Checks one escape sequence at `offset` (the backslash) and moves past it.
    mutating func escape() throws(JSONSyntaxError) {
        offset += 1
        guard offset < bytes.count else { throw error("EOF while parsing a string") }
        switch bytes[offset] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            offset += 1
        case UInt8(ascii: "u"):
            offset += 1
            let scalar = try hex4()
            if (0xD800..<0xDC00).contains(scalar) {
                guard offset + 1 < bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else { throw error("lone leading surrogate in hex escape") }
                offset += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("lone leading surrogate in hex escape") }
            } else if (0xDC00..<0xE000).contains(scalar) {
                throw error("lone trailing surrogate in hex escape")
            }
        default:
            throw error("invalid escape")
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
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

    mutating func number(into tokens: TokenList) throws(JSONSyntaxError) {
        var token = token(.integer)
        token.next = Int32(tokens.count + 1)
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
                if magnitude <= UInt64(Int64.max) {
                    token.payload = magnitude
                } else {
                    token.kind = .unsignedInteger
                    token.payload = magnitude
                }
                tokens.append(token)
                return
            }
            if magnitude <= UInt64(Int64.max) + 1 {
                token.payload = UInt64(bitPattern: magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude))
                tokens.append(token)
                return
            }
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<offset])
        guard let value = JSONTape.exactDouble(raw) ?? Double(String(decoding: raw, as: UTF8.self)), value.isFinite
        else {
            offset = start
            throw error("number out of range")
        }
        token.kind = .float
        token.payload = value.bitPattern
        tokens.append(token)
    }

    @inline(__always) func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
