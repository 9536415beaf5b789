import Foundation
import Testing

@Suite("lint --pedantic: configuration that changes nothing")
struct PedanticLintTests {
    /// The example with one redundant override, one schema default restated, and a namespace for default only.
    func deadConfiguration() throws -> URL {
        let root = try exampleCopy(
            settingRateLimitLine:
                "autofix.rate_limit: 200\n  autofix.prompt_version: \"2.10\"\n  autofix.max_concurrent_runs: 4")
        let schema = root.appendingPathComponent("schemas/extra")
        try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: true)
        try
            #"{"version": "1.0", "type": "object", "properties": {"a": {"type": "integer", "default": 1, "description": "d"}}}"#
            .write(to: schema.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
        let values = root.appendingPathComponent("option-values/extra/default")
        try FileManager.default.createDirectory(at: values, withIntermediateDirectories: true)
        try "options:\n  a: 2\n".write(
            to: values.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        return root
    }

    @Test("each finding at its place, with its own code; off without --pedantic")
    func findings() throws {
        let root = try deadConfiguration()
        defer { try? FileManager.default.removeItem(at: root) }
        let plain = try run(["lint"], in: root)
        #expect(plain.status == 0)
        #expect(plain.stdout.isEmpty)
        let pedantic = try run(["lint", "--pedantic"], in: root)
        #expect(pedantic.status == 0)
        let lines = pedantic.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "option-values/extra: warning: namespace 'extra' has values for default only: no region deploys it")
                    && $0.hasSuffix("[default-only-namespace]")
            })
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "option-values/seer/us/values.yaml:4:3: warning: 'autofix.prompt_version' is set to the value default already gives it (option-values/seer/default/autofix.yaml:"
                ) && $0.hasSuffix("[redundant-override]")
            })
        #expect(
            lines.contains {
                $0.hasPrefix(
                    "option-values/seer/us/values.yaml:5:3: warning: 'autofix.max_concurrent_runs' is set to its schema default"
                ) && $0.hasSuffix("[redundant-schema-default]")
            })
    }

    @Test("--strict leaves the advice as warnings (exit 0) while it escalates every other warning")
    func strictKeepsAdvice() throws {
        let root = try deadConfiguration()
        defer { try? FileManager.default.removeItem(at: root) }
        let strict = try run(["lint", "--strict", "--pedantic"], in: root)
        #expect(strict.status == 0, "\(strict.stdout)")
        #expect(strict.stdout.split(separator: "\n").allSatisfy { $0.contains(": warning: ") })
        try replace(
            "autofix.max_concurrent_runs: 4", with: "autofix.not_declared: 4",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let unknown = try run(["lint", "--strict", "--pedantic"], in: root)
        #expect(unknown.status == 1)
        #expect(unknown.stdout.contains("error: Ignoring unknown option 'autofix.not_declared'"))
        #expect(
            unknown.stdout.contains("warning: 'autofix.prompt_version' is set to the value default already gives it"))
    }
}
