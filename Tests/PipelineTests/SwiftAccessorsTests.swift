import OptionsSchema
import Testing

@testable import Pipeline

@Suite("SwiftAccessors: names and literals")
struct SwiftAccessorsTests {
    @Test(
        "keys become camel-cased identifiers",
        arguments: [
            ("autofix.rate_limit", false, "autofixRateLimit"),
            ("organizations:new-billing", false, "organizationsNewBilling"),
            ("autofix.retry_policy", true, "AutofixRetryPolicy"), ("2fa.enabled", false, "_2faEnabled"),
            ("...", false, "value"),
            ("HTTP.timeout", false, "hTTPTimeout"),
        ])
    func identifiers(key: String, upper: Bool, expected: String) {
        #expect(SwiftAccessors.identifier(key, upper: upper) == expected)
    }

    @Test("keywords get backticks; repeated names get numbers; literals escape quotes and controls")
    func escaping() {
        #expect(SwiftAccessors.escaped("default") == "`default`")
        #expect(SwiftAccessors.escaped("limit") == "limit")
        var used: Set<String> = ["a"]
        #expect(SwiftAccessors.unique("a", in: &used) == "a2")
        #expect(SwiftAccessors.unique("a", in: &used) == "a3")
        #expect(SwiftAccessors.literal("say \"hi\"\n\u{202E}") == #""say \"hi\"\n\u{202e}""#)
    }

    @Test("keys that map to one name, and a key that is a keyword, still compile-safe names")
    func collisions() throws {
        let schema = NamespaceSchema(
            name: "test", version: "1.0",
            options: OptionTable([
                OptionSchema(
                    key: "a.b", type: .integer, defaultValue: Node(.integer(1)), description: "x",
                    position: SourcePosition(line: 1, column: 1)),
                OptionSchema(
                    key: "a_b", type: .integer, defaultValue: Node(.integer(1)), description: "",
                    position: SourcePosition(line: 1, column: 1)),
                OptionSchema(
                    key: "default", type: .string, defaultValue: Node(.string("")), description: "",
                    position: SourcePosition(line: 1, column: 1)),
            ]), featureFlags: [:])
        let source = SwiftAccessors.source(for: schema)
        #expect(source.contains("public var aB: Int {"))
        #expect(source.contains("public var aB2: Int {"))
        #expect(source.contains("public var `default`: String {"))
        #expect(source.contains("public struct TestOptions: Sendable {"))
    }
}
