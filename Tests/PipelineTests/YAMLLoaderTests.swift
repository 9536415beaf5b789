import OptionsSchema
import Testing

@testable import Pipeline

@Suite("Plain scalar typing (serde_yaml 0.9 rules)")
struct ScalarResolverTests {
    @Test(
        "nulls and booleans",
        arguments: [
            ("", ScalarResolver.Resolution.null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
            ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)), ("false", .bool(false)),
            ("False", .bool(false)), ("FALSE", .bool(false)),
            ("nULL", .string), ("tRUE", .string), ("yes", .string), ("no", .string), ("on", .string), ("off", .string),
            ("y", .string), ("n", .string), ("NO", .string),
        ])
    func nullsAndBooleans(text: String, expected: ScalarResolver.Resolution) {
        #expect(ScalarResolver.resolve(text) == expected)
    }

    @Test(
        "integers",
        arguments: [
            ("0", ScalarResolver.Resolution.integer(0)), ("42", .integer(42)), ("-7", .integer(-7)),
            ("+5", .integer(5)),
            ("-0", .integer(0)), ("0x1F", .integer(31)), ("0xff", .integer(255)), ("0o17", .integer(15)),
            ("0b101", .integer(5)), ("-0x10", .integer(-16)), ("+0x10", .integer(16)),
            ("9223372036854775807", .integer(.max)), ("-9223372036854775808", .integer(.min)),
            ("9223372036854775808", .unsignedInteger(9_223_372_036_854_775_808)),
            ("18446744073709551615", .unsignedInteger(.max)),
            ("18446744073709551616", .integerOutOfRange), ("-9223372036854775809", .integerOutOfRange),
            ("0x10000000000000000", .integerOutOfRange),
        ])
    func integers(text: String, expected: ScalarResolver.Resolution) {
        #expect(ScalarResolver.resolve(text) == expected)
    }

    @Test(
        "forms that stay strings",
        arguments: [
            "017", "-007", "+00", "00", "1_000", "1:30", "0x", "0X10", "0xG", "+-5", "--5", "0b2", "2024-01-01",
            "1.2.3",
            "1e400", "-1e400", "inf", "nan", "infinity", "+.nan", "e5", ".", "-", "+", "1e", "0x1p3", "abc", "1 2",
        ])
    func strings(text: String) {
        #expect(ScalarResolver.resolve(text) == .string, "\(text)")
    }

    @Test(
        "floats",
        arguments: [
            ("1.5", 1.5), ("7.77", 7.77), ("1e3", 1000), ("1E3", 1000), (".5", 0.5), ("1.", 1), ("-2.5e-3", -0.0025),
            ("+1.5", 1.5), ("-.5", -0.5), ("01.5", 1.5), ("1e-400", 0), ("3.0", 3),
        ])
    func floats(text: String, expected: Double) {
        #expect(ScalarResolver.resolve(text) == .float(expected))
    }

    @Test(
        "infinities and NaN are recognised so they can be rejected",
        arguments: [".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"])
    func nonFinite(text: String) {
        #expect(ScalarResolver.resolve(text) == .nonFinite)
    }
}

@Suite("YAML loading (libyaml events into located nodes)")
struct YAMLLoaderTests {
    func load(_ text: String) -> YAMLDocument { YAMLLoader.load(Array(text.utf8)) }

    func messages(_ document: YAMLDocument) -> [String] { document.issues.map(\.message) }

    @Test("builds a tree with 1-based positions for keys and values")
    func positions() throws {
        let document = load("options:\n  a: 1\n  b:\n    - x\n    - {c: true}\n")
        #expect(document.issues.isEmpty)
        let options = try #require(document.root?["options"])
        #expect(options.position == SourcePosition(line: 2, column: 3))
        let a = try #require(options.member(named: "a"))
        #expect(a.keyPosition == SourcePosition(line: 2, column: 3))
        #expect(a.value.position == SourcePosition(line: 2, column: 6))
        let b = try #require(options["b"]?.elements)
        #expect(b[1].position == SourcePosition(line: 5, column: 7))
        #expect(b[1]["c"]?.position == SourcePosition(line: 5, column: 11))
    }

    @Test("columns count code points")
    func unicodeColumns() throws {
        let document = load("options: {ключ: 'ü', x: 1}\n")
        let x = try #require(document.root?["options"]?.member(named: "x"))
        #expect(x.keyPosition == SourcePosition(line: 1, column: 22))
    }

    @Test("quoted and block scalars are always strings")
    func quotedStrings() throws {
        let document = load("a: '42'\nb: \"true\"\nc: |\n  017\nd: >\n  null\ne: 42\n")
        let root = try #require(document.root)
        for key in ["a", "b", "c", "d"] {
            #expect(root[key]?.stringValue != nil, "\(key)")
        }
        guard case .integer(42) = root["e"]?.content else {
            Issue.record("e should be 42")
            return
        }
    }

    @Test("keys that are not strings are errors at the key, at every depth, as serde_yaml reads them into JSON")
    func nonStringKeys() throws {
        let document = load("1: a\ntrue: b\n0x1F: c\n1.5: d\n'2': e\n!!str 3: f\nn:\n  .inf: g\n  !!int 4: h\n")
        #expect(
            document.issues.map { "\($0.position?.line ?? 0):\($0.position?.column ?? 0) \($0.message)" } == [
                "1:1 a mapping key must be a string, found integer 1; quote it to make it a string ('1')",
                "2:1 a mapping key must be a string, found boolean true; quote it to make it a string ('true')",
                "3:1 a mapping key must be a string, found integer 0x1F; quote it to make it a string ('0x1F')",
                "4:1 a mapping key must be a string, found float 1.5; quote it to make it a string ('1.5')",
                "8:3 a mapping key must be a string, found float .inf; quote it to make it a string ('.inf')",
                "9:3 a mapping key must be a string, found integer 4; quote it to make it a string ('4')",
            ])
        // Quoted and !!str keys are strings; the rejected keys are left out of the tree.
        #expect(document.root?.members?.map(\.key) == ["2", "3", "n"])
        #expect(load("yes: a\nno: b\nnull.x: c\n").issues.isEmpty)
        #expect(load("!custom k: a\n").issues.map(\.message) == ["tag '!custom' is not supported in option files"])
    }

    @Test("null and collection keys are errors")
    func badKeys() {
        #expect(messages(load("~: a\n")) == ["a mapping key must be a string, found null"])
        #expect(messages(load("? [a, b]\n: c\n")) == ["a mapping key must be a scalar, not a sequence"])
    }

    @Test("duplicate keys name both positions and keep the first value")
    func duplicates() throws {
        let document = load("options:\n  a: 1\n  b: 2\n  a: 3\n")
        #expect(messages(document) == ["duplicate key 'a' (first defined at 2:3); keys must be unique in a mapping"])
        #expect(document.issues.first?.position == SourcePosition(line: 4, column: 3))
        #expect(document.issues.first?.code == .duplicateKey)
        guard case .integer(1) = document.root?["options"]?["a"]?.content else {
            Issue.record("first value kept")
            return
        }
    }

    @Test("duplicate keys are found in large mappings too")
    func duplicatesInLargeMappings() {
        let lines = (0..<40).map { "k\($0): \($0)" } + ["k7: again"]
        #expect(load(lines.joined(separator: "\n")).issues.count == 1)
    }

    @Test("a repeated top-level options key is an error")
    func repeatedOptions() {
        #expect(load("options:\n  a: 1\noptions:\n  b: 2\n").issues.map(\.code) == [.duplicateKey])
    }

    @Test("anchors, aliases and merge keys are rejected")
    func anchorsAliasesMerge() {
        let document = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
        #expect(
            messages(document) == [
                "anchors are not supported in option files (found '&b')",
                "merge keys ('<<') are not supported in option files",
                "aliases are not supported in option files (found '*b')",
            ])
        #expect(document.placeholders.contains(SourcePosition(line: 3, column: 7)))
    }

    @Test("several documents in one file are rejected")
    func multipleDocuments() {
        let document = load("options: {}\n---\noptions: {}\n")
        #expect(document.issues.map(\.code) == [.yamlUnsupported])
        #expect(document.issues.first?.position?.line == 2)
    }

    @Test("an empty file has no root and no issue of its own")
    func emptyFile() {
        let document = load("")
        #expect(document.root == nil)
        #expect(document.issues.isEmpty)
        #expect(load("# only a comment\n").root == nil)
    }

    @Test("syntax errors carry libyaml's message and position")
    func syntaxError() throws {
        let document = load("options:\n  key: [\n  invalid")
        let issue = try #require(document.issues.first)
        #expect(issue.code == .yamlSyntax)
        #expect(issue.message.hasPrefix("YAML parse error: "))
        #expect(document.root == nil)
    }

    @Test("tab indentation is a syntax error; tabs after a colon are fine")
    func tabs() {
        #expect(load("options:\n\ta: 1\n").issues.first?.code == .yamlSyntax)
        #expect(load("options:\n  a:\t1\n").issues.isEmpty)
    }

    @Test("non-UTF-8 input is rejected with a position; a UTF-8 BOM is fine")
    func encodings() throws {
        let invalid = YAMLLoader.load(Array("options:\n  a: ".utf8) + [0xC3, 0x28] + Array("\n".utf8))
        let issue = try #require(invalid.issues.first)
        #expect(issue.code == .yamlEncoding)
        #expect(issue.position == SourcePosition(line: 2, column: 6))
        let utf16 = YAMLLoader.load([0xFF, 0xFE, 0x6F, 0x00])
        #expect(utf16.issues.first?.message == "file is UTF-16 encoded; values files must be UTF-8")
        let bom = YAMLLoader.load([0xEF, 0xBB, 0xBF] + Array("options: {}\n".utf8))
        #expect(bom.issues.isEmpty)
        #expect(bom.root?["options"] != nil)
    }

    @Test("nesting is bounded")
    func depth() {
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(load(deep).issues.first?.message == "nesting deeper than 64 levels")
        let fine = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect(load(fine).issues.isEmpty)
    }

    @Test("values JSON cannot hold are errors, not silent nulls")
    func unrepresentable() {
        #expect(load("a: .inf\n").issues.map(\.code) == [.yamlValue])
        #expect(load("a: .nan\n").issues.map(\.code) == [.yamlValue])
        #expect(load("a: 18446744073709551616\n").issues.first?.message.contains("outside the 64-bit range") == true)
        #expect(load("a: '.inf'\n").issues.isEmpty)
    }

    @Test("core tags are understood; other tags are rejected")
    func tags() throws {
        let document = load("a: !!str 123\nb: !!int 7\nc: !!float 1\nd: !!float 2.5\ne: !!bool true\nf: !!null ~\n")
        #expect(document.issues.isEmpty)
        #expect(document.root?["a"]?.stringValue == "123")
        guard case .integer(7) = document.root?["b"]?.content else {
            Issue.record("b")
            return
        }
        // !!float 1 is the float 1.0, as in sentry-options; it renders as 1.0.
        guard case .float(1.0) = document.root?["c"]?.content, case .float(2.5) = document.root?["d"]?.content,
            case .bool(true) = document.root?["e"]?.content, case .null = document.root?["f"]?.content
        else {
            Issue.record("c, d, e, f")
            return
        }
        #expect(load("a: !custom x\n").issues.map(\.code) == [.yamlUnsupported])
    }

    @Test("a core tag on a value of another type is an error at the value")
    func mismatchedTags() {
        #expect(
            messages(load("a: !!int 2.5\nb: !!float abc\nc: !!bool 1\nd: !!null 0\ne: !!int 99999999999999999999\n"))
                == [
                    "'2.5' is tagged !!int but is not an integer (drop the tag, or quote the value to make it a string)",
                    "'abc' is tagged !!float but is not a number (drop the tag, or quote the value to make it a string)",
                    "'1' is tagged !!bool but is not true or false (drop the tag, or quote the value to make it a string)",
                    "'0' is tagged !!null but is not null (drop the tag, or quote the value to make it a string)",
                    "integer 99999999999999999999 is outside the 64-bit range (-2^63 to 2^64-1); quote it to make it a "
                        + "string",
                ])
    }
}
