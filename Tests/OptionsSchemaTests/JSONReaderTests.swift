import Testing

@testable import OptionsSchema

@Suite("JSON reader")
struct JSONReaderTests {
    func parse(_ text: String) throws -> Node {
        try JSONReader.parse(Array(text.utf8))
    }

    @Test("numbers keep every bit of their value on the tape")
    func numberBits() throws {
        let values: [Int64] = [0, 1, -1, Int64.max, Int64.min, 1 << 32, -(1 << 32), 0x7FFF_FFFF, -0x8000_0000]
        let node = try parse(
            "[" + values.map(String.init).joined(separator: ",") + ", 5e-324, -1.7976931348623157e308]")
        guard case .array(let elements) = node.content else {
            Issue.record("an array")
            return
        }
        for (element, value) in zip(elements, values) {
            guard case .integer(let parsed) = element.content else {
                Issue.record("\(value) is an integer")
                continue
            }
            #expect(parsed == value)
        }
        guard case .float(let tiny) = elements[values.count].content,
            case .float(let lowest) = elements[values.count + 1].content
        else {
            Issue.record("two floats")
            return
        }
        #expect(tiny == 5e-324 && lowest == -Double.greatestFiniteMagnitude)
    }

    @Test("floats read without a string give exactly the double the text parser gives, or defer to it")
    func exactDoubles() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var fastPathCount = 0
        let fixed = [
            "0.5", "-0.0", "0.0", "1e22", "1e23", "9007199254740993.0", "0.1", "123456789012345.6",
            "1.7976931348623157e308",
            "5e-324", "0e999", "-1.25E+2", "3.0e-22", "4.4e-23", "100000000000000000000000.0",
            "0.000000000000000000001",
        ]
        var texts = fixed
        for _ in 0..<20000 {
            var text = next(2) == 0 ? "-" : ""
            let integerDigits = next(18)
            text +=
                integerDigits == 0
                ? "0" : String(next(9) + 1) + (0..<integerDigits).map { _ in String(next(10)) }.joined()
            if next(4) != 0 { text += "." + (0...next(16)).map { _ in String(next(10)) }.joined() }
            if next(3) == 0 { text += ["e", "E"][next(2)] + ["", "+", "-"][next(3)] + String(next(40)) }
            texts.append(text)
        }
        for text in texts {
            let bytes = Array(text.utf8)
            let fast = bytes.withUnsafeBufferPointer { JSONTape.exactDouble($0) }
            if let fast {
                fastPathCount += 1
                #expect(fast.bitPattern == Double(text)?.bitPattern, "\(text)")
            }
        }
        #expect(fastPathCount > 5000, "the fast path takes the common cases")
        #expect(
            ["0.5", "-1.25E+2", "1e22", "0.1"].allSatisfy {
                Array($0.utf8).withUnsafeBufferPointer { JSONTape.exactDouble($0) } != nil
            })
    }

    @Test("keeps integers and floats apart")
    func integersAndFloats() throws {
        let node = try parse(#"[42, 42.0, -7, 1e2, 18446744073709551615, -9223372036854775808, 0.5]"#)
        let elements = try #require(node.elements)
        guard case .integer(42) = elements[0].content else {
            Issue.record("42 is \(elements[0].content)")
            return
        }
        guard case .float(42.0) = elements[1].content else {
            Issue.record("42.0 is \(elements[1].content)")
            return
        }
        guard case .integer(-7) = elements[2].content else {
            Issue.record("-7")
            return
        }
        guard case .float(100) = elements[3].content else {
            Issue.record("1e2 must be a float")
            return
        }
        guard case .unsignedInteger(UInt64.max) = elements[4].content else {
            Issue.record("u64 max")
            return
        }
        guard case .integer(Int64.min) = elements[5].content else {
            Issue.record("i64 min")
            return
        }
        guard case .float(0.5) = elements[6].content else {
            Issue.record("0.5")
            return
        }
    }

    @Test("integers beyond 64 bits become floats, as serde_json reads them")
    func hugeIntegers() throws {
        let node = try parse("123456789012345678901234567890")
        guard case .float(let value) = node.content else {
            Issue.record("expected float")
            return
        }
        #expect(value == 123456789012345678901234567890.0)
    }

    @Test("every value and key knows its line and column")
    func positions() throws {
        let node = try parse("{\n  \"a\": {\n    \"b\": [1,\n      true]\n  }\n}")
        let a = try #require(node.member(named: "a"))
        #expect(a.keyPosition == SourcePosition(line: 2, column: 3))
        #expect(a.value.position == SourcePosition(line: 2, column: 8))
        let b = try #require(a.value.member(named: "b"))
        #expect(b.keyPosition == SourcePosition(line: 3, column: 5))
        let elements = try #require(b.value.elements)
        #expect(elements[1].position == SourcePosition(line: 4, column: 7))
    }

    @Test("columns count code points, not bytes")
    func unicodeColumns() throws {
        let node = try parse(#"{"é€😀": "ü", "x": 1}"#)
        let x = try #require(node.member(named: "x"))
        // {"é€😀": "ü", "x": 1}  — x’s key starts at code point 14.
        #expect(x.keyPosition.column == 14)
        #expect(node["é€😀"]?.stringValue == "ü")
    }

    @Test("strings and indentation of every length around the 8-byte scans: content, columns and errors")
    func wordScans() throws {
        for length in 0..<20 {
            let plain = String(repeating: "a", count: length)
            // Escapes and non-ASCII alone, and several in one 8-byte word (the scan stops at the first of them).
            let specials = ["": "", "\\n": "\n", "é": "é", "😀": "😀", "é\\\"x😀\\\\": "é\"x😀\\"]
            for (special, decodedSpecial) in specials {
                for split in 0...length {
                    let content = String(plain.prefix(split)) + special + String(plain.dropFirst(split))
                    let decoded =
                        String(plain.prefix(split)) + decodedSpecial
                        + String(plain.dropFirst(split))
                    for indent in [0, 1, 7, 8, 9, 17] {
                        let spaces = String(repeating: " ", count: indent)
                        let text = "{\n\(spaces)\"\(content)\":\(spaces)1,\t\"x\": 2}"
                        let node = try parse(text)
                        let member = try #require(node.members?.first)
                        #expect(member.key == decoded)
                        #expect(member.keyPosition == SourcePosition(line: 2, column: indent + 1))
                        // The value 1 comes after indentation, the quoted key, a colon and as many spaces again.
                        let columns = indent + 2 + content.unicodeScalars.count + 2 + indent
                        #expect(member.value.position == SourcePosition(line: 2, column: columns))
                        #expect(node.member(named: "x")?.keyPosition.column == columns + 3)
                    }
                }
                // Unterminated, and with a control character at every place: the error is where the scan stops.
                let unterminated = "[\"" + plain + special
                #expect(
                    throws: JSONSyntaxError(
                        message: "EOF while parsing a string",
                        position: SourcePosition(line: 1, column: 3 + plain.count + special.unicodeScalars.count))
                ) {
                    try parse(unterminated)
                }
                for split in 0...length {
                    let text = "[\"" + String(plain.prefix(split)) + "\u{01}" + String(plain.dropFirst(split)) + "\"]"
                    #expect(
                        throws: JSONSyntaxError(
                            message: "control character (\\u0000-\\u001F) found while parsing a string",
                            position: SourcePosition(line: 1, column: 3 + split))
                    ) {
                        try parse(text)
                    }
                }
            }
        }
    }

    @Test("decodes escapes and surrogate pairs")
    func escapes() throws {
        let node = try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#)
        #expect(node.stringValue == "a\"b\\c/d\n\té😀")
    }

    @Test(
        "reports syntax errors with their position",
        arguments: [
            (#"{"a": 1,}"#, "trailing comma", 1, 9),
            (#"[1, 2,]"#, "trailing comma", 1, 7),
            (#"{"a": 1"#, "EOF while parsing an object", 1, 8),
            (#"{"a" 1}"#, "expected ':'", 1, 6),
            ("{\n  a: 1}", "key must be a string", 2, 3),
            (#"[01]"#, "invalid number", 1, 3),
            (#"tru"#, "EOF while parsing a value", 1, 4),
            (#"{} x"#, "trailing characters", 1, 4),
            (#""\x""#, "invalid escape", 1, 3),
            ("\"a\u{01}\"", "control character (\\u0000-\\u001F) found while parsing a string", 1, 3),
            (#""\ud800""#, "lone leading surrogate in hex escape", 1, 8),
            ("1e400", "number out of range", 1, 1),
            ("", "EOF while parsing a value", 1, 1),
        ])
    func syntaxErrors(text: String, message: String, line: Int, column: Int) {
        #expect(throws: JSONSyntaxError(message: message, position: SourcePosition(line: line, column: column))) {
            try parse(text)
        }
    }

    @Test("rejects a byte order mark, as the reference does")
    func byteOrderMark() {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse([0xEF, 0xBB, 0xBF] + Array("{}".utf8)) }
    }

    @Test("rejects invalid UTF-8 inside strings")
    func invalidUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONReader.parse(Array("\"a".utf8) + [0xFF] + Array("\"".utf8)) }
    }

    @Test(
        "every kind of invalid UTF-8, at every offset of a string, is reported at its first byte",
        arguments: [
            [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
            [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xE2, 0x82], [0xC3], [0xF0, 0x9F, 0x98],
        ] as [[UInt8]])
    func invalidSequences(sequence: [UInt8]) {
        for prefix in 0..<18 {
            // A valid two-byte character first, so the column counts code points, not bytes.
            let before = Array("{\"k\": \"é".utf8) + Array(repeating: UInt8(ascii: "a"), count: prefix)
            for after in [Array("\"}".utf8), Array("bcdefghijklmnop\"}".utf8)] {
                do {
                    _ = try JSONReader.parse(before + sequence + after)
                    Issue.record("\(sequence) after \(prefix) bytes must be rejected")
                } catch {
                    #expect(error.message == "invalid UTF-8", "\(sequence) after \(prefix)")
                    #expect(
                        error.position == SourcePosition(line: 1, column: 9 + prefix), "\(sequence) after \(prefix)")
                }
            }
        }
    }

    @Test("valid characters of every length at every offset decode, and later columns count code points")
    func validSequences() throws {
        for character in ["é", "€", "😀", "ß大"] {
            for prefix in 0..<18 {
                let text = String(repeating: "a", count: prefix) + character
                let node = try parse("{\"k\": \"\(text)\", \"z\": 1}")
                #expect(node["k"]?.stringValue == text)
                let column = 11 + prefix + character.unicodeScalars.count
                #expect(node.member(named: "z")?.keyPosition == SourcePosition(line: 1, column: column), "\(text)")
            }
        }
    }

    @Test("invalid UTF-8 anywhere is the error reported, before a syntax error earlier in the document")
    func invalidUTF8First() {
        for bytes in [
            Array("[1, x, \"".utf8) + [0xFF] + Array("\"]".utf8), Array("[1, ".utf8) + [0xC3, 0xA9, 0xFF] + [0x5D],
        ] {
            do {
                _ = try JSONReader.parse(bytes)
                Issue.record("must be rejected")
            } catch {
                #expect(error.message == "invalid UTF-8")
                #expect(error.position.column == bytes.firstIndex(of: 0xFF)! + 1 - (bytes.contains(0xA9) ? 1 : 0))
            }
        }
    }

    @Test("bounds nesting depth")
    func depth() {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONSyntaxError.self) { try parse(deep) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try parse(fine) }
    }

    @Test("keeps duplicate keys in order for the caller to judge")
    func duplicates() throws {
        let node = try parse(#"{"a": 1, "a": 2}"#)
        #expect(node.members?.count == 2)
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test(
        "formats floats as serde_json (ryu) does",
        arguments: [
            (42.0, "42.0"), (0.1, "0.1"), (7.77, "7.77"), (1e15, "1000000000000000.0"), (1e16, "1e16"),
            (1.5e-7, "1.5e-7"), (1e-7, "1e-7"), (0.0001, "0.0001"), (0.00001, "0.00001"), (1e-6, "1e-6"),
            (-2.5, "-2.5"), (0.0, "0.0"), (-0.0, "-0.0"), (1.7976931348623157e308, "1.7976931348623157e308"),
            (123456789.125, "123456789.125"), (5e-324, "5e-324"), (1e21, "1e21"),
        ])
    func floats(value: Double, expected: String) {
        #expect(JSONWriter.formatFloat(value) == expected)
    }

    @Test("writes compact JSON with keys sorted at every depth")
    func compactSorted() throws {
        let node = try JSONReader.parse(Array(#"{"b": {"z": 1, "a": [true, null]}, "a": "x\ny\u0001\"é"}"#.utf8))
        #expect(JSONWriter.compact(node) == #"{"a":"x\ny\u0001\"é","b":{"a":[true,null],"z":1}}"#)
    }

    @Test("orders keys by UTF-8 bytes, as serde_json's BTreeMap does, whatever the input order")
    func byteOrder() throws {
        let keys = [
            "b", "B", "a", "é", "z", "ab", "a_b", "A", "", "zz", "€", "\u{10348}", "0", "option.name_that_is_long",
        ]
        for _ in 0..<20 {
            let shuffled = keys.shuffled()
            let node = Node.object(shuffled.map { ($0, Node.integer(1)) })
            let expected = keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            let written = JSONWriter.compact(node)
            let expectedText = "{" + expected.map { "\"\($0)\":1" }.joined(separator: ",") + "}"
            #expect(written == expectedText)
            for (a, b) in zip(shuffled, shuffled.dropFirst()) {
                #expect(JSONWriter.utf8Precedes(a, b) == a.utf8.lexicographicallyPrecedes(b.utf8))
            }
        }
    }

    @Test("writes every 64-bit integer exactly")
    func integers() {
        let values: [Int64] = [0, 9, 10, -1, -10, 99, 100, 1_234_567_890, .max, .min, .min + 1]
        for value in values { #expect(JSONWriter.compact(Node(.integer(value))) == String(value)) }
        #expect(JSONWriter.compact(Node(.unsignedInteger(.max))) == "18446744073709551615")
    }

    @Test("escapes every control character and keeps runs of plain text")
    func escapes() {
        for byte in UInt8(0)..<0x20 {
            let text = "a" + String(UnicodeScalar(byte)) + "b"
            let escaped = JSONWriter.compact(.string(text))
            let middle: String
            switch byte {
            case 0x08: middle = "\\b"
            case 0x09: middle = "\\t"
            case 0x0A: middle = "\\n"
            case 0x0C: middle = "\\f"
            case 0x0D: middle = "\\r"
            default: middle = "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            }
            #expect(escaped == "\"a" + middle + "b\"")
        }
        #expect(JSONWriter.compact(.string(#"q"b\s/é"#)) == #""q\"b\\s/é""#)
    }

    @Test("round-trips integers and floats distinctly")
    func roundTrip() throws {
        let text = #"[1,1.0,-0.5,18446744073709551615]"#
        #expect(JSONWriter.compact(try JSONReader.parse(Array(text.utf8))) == text)
    }

    @Test("shortens long values in message snippets")
    func snippet() {
        let node = Node.string(String(repeating: "x", count: 100))
        #expect(node.jsonSnippet(limit: 10) == "\"xxxxxxxxx…")
    }
}
