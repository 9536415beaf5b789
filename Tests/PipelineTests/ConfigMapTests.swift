import OptionsSchema
import Testing

@testable import Pipeline

@Suite("ConfigMaps through libyaml's emitter (reference §1.3, catalogue §6.2)")
struct ConfigMapTests {
    @Test("the structure is exact and every value reads back as a string (test_generate_configmap)")
    func structure() throws {
        let payload = Array(
            #"{"generated_at":"2026-01-14T00:00:00Z","options":{"int_val":42,"string_val":"hello"}}"#.utf8)
        let bytes = try ConfigMapRenderer.render(
            name: "sentry-options-myns", payload: payload, generatedAt: "2026-01-14T00:00:00Z", commitSHA: "abc123",
            commitTimestamp: "1705180800")
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(
            text.hasPrefix("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sentry-options-myns\n  labels:\n"))
        #expect(text.contains("    commit_timestamp: '1705180800'\n"))
        // YAML 1.1 readers (kubectl's, PyYAML) would take an unquoted timestamp for a date.
        #expect(text.contains("    generated_at: '2026-01-14T00:00:00Z'\n"))
        let document = YAMLLoader.load(bytes)
        #expect(document.issues.isEmpty)
        let root = try #require(document.root)
        #expect(root.members?.map(\.key) == ["apiVersion", "kind", "metadata", "data"])
        #expect(root["metadata"]?["labels"]?.members?.map(\.key) == ["app.kubernetes.io/managed-by"])
        #expect(root["metadata"]?["labels"]?["app.kubernetes.io/managed-by"]?.stringValue == "sentry-options")
        let annotations = try #require(root["metadata"]?["annotations"])
        #expect(annotations.members?.map(\.key) == ["commit_sha", "commit_timestamp", "generated_at"])
        #expect(annotations["commit_timestamp"]?.stringValue == "1705180800")
        #expect(annotations["generated_at"]?.stringValue == "2026-01-14T00:00:00Z")
        #expect(root["data"]?["values.json"]?.stringValue == String(decoding: payload, as: UTF8.self))
        #expect(root["metadata"]?["namespace"] == nil)
    }

    @Test("annotations are left out when unknown, generated_at is always there")
    func optionalAnnotations() throws {
        let bytes = try ConfigMapRenderer.render(
            name: "sentry-options-x", payload: Array("{}".utf8), generatedAt: "t", commitSHA: nil, commitTimestamp: nil)
        let root = try #require(YAMLLoader.load(bytes).root)
        #expect(root["metadata"]?["annotations"]?.members?.map(\.key) == ["generated_at"])
    }

    @Test(
        "names: a suffix is appended; bad suffixes and dotted namespaces are rejected (catalogue 6.2 #4–6)",
        arguments: [
            ("getsentry", "control", "sentry-options-getsentry-control"), ("myns", nil, "sentry-options-myns"),
        ] as [(String, String?, String)])
    func names(namespace: String, suffix: String?, expected: String) throws {
        #expect(try ConfigMapRenderer.name(namespace: namespace, suffix: suffix) == expected)
    }

    @Test(
        "rejected names",
        arguments: [
            ("getsentry", "Control"), ("getsentry", "control_silo"), ("getsentry", "control-"), ("getsentry", ""),
            ("my.ns", nil),
        ] as [(String, String?)])
    func rejected(namespace: String, suffix: String?) {
        #expect(throws: ConfigMapRenderer.Failure.self) {
            try ConfigMapRenderer.name(namespace: namespace, suffix: suffix)
        }
    }

    @Test("a ConfigMap over 1 MiB - 1000 B is refused with the reference's message (test_configmap_exceeds_size_limit)")
    func sizeLimit() {
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: 1024 * 1024 + 1)
        do {
            _ = try ConfigMapRenderer.render(
                name: "test-large", payload: payload, generatedAt: "t", commitSHA: nil, commitTimestamp: nil)
            Issue.record("expected a size error")
        } catch {
            #expect(error.description.contains("exceeds Kubernetes (1MiB - 1000B margin) limit"))
            #expect(error.description.contains("test-large"))
        }
    }

    @Test("strings YAML 1.1 would read as something else are quoted; safe words stay plain")
    func quoting() {
        for text in ["2026-01-14T00:00:00Z", "1:30", "On", "0777", "1_000", "abc def", "0975c393", "yes", "NULL", ""] {
            #expect(!YAMLEmitter.mayBePlain(text), "\(text)")
        }
        for text in ["v1", "ConfigMap", "sentry-options-seer", "app.kubernetes.io/managed-by", "values.json", "abc123"]
        {
            #expect(YAMLEmitter.mayBePlain(text), "\(text)")
        }
    }

    @Test("tricky strings survive the emitter unchanged")
    func roundTrip() throws {
        let strings = [
            "1705180800", "true", "null", "~", "2.0", "", " leading", "trailing ", "a: b", "# no", "'quoted'",
            "\"double\"", "line\nbreak", "tab\there", "ünïcødé 😀", "- dash", "{json: 1}", "0x1F", "017", "yes",
            "2026-01-14T00:00:00Z", "1:30", "On", "0777", "1_000",
        ]
        let bytes = try YAMLEmitter.render([
            .mapping(strings.enumerated().map { ("k\($0.offset)", .string($0.element)) })
        ])
        let root = try #require(YAMLLoader.load(bytes).root)
        for (index, string) in strings.enumerated() {
            #expect(root["k\(index)"]?.stringValue == string, "\(string)")
        }
    }
}
