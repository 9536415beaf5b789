import Foundation
import Testing

/// Cases where optionsctl's verdict once differed from sentry-options' (issue 17): each now matches the reference.
@Suite("verdicts as sentry-options gives them")
struct ReferenceVerdictTests {
    @Test("an option key that YAML reads as a number or boolean is an error at the key, at the top and nested")
    func nonStringKeys() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("option-values/relay/us/keys.yaml")
        try "options:\n  1: x\n  true: y\n  ingest.category_quotas:\n    0x1F: 2\n".write(
            to: file, atomically: true, encoding: .utf8)
        let result = try run(["lint"], in: root)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains(
                "option-values/relay/us/keys.yaml:2:3: error: a mapping key must be a string, found integer 1; quote it to make it a string ('1') [yaml-unsupported]"
            ))
        #expect(
            lines.contains(
                "option-values/relay/us/keys.yaml:3:3: error: a mapping key must be a string, found boolean true; quote it to make it a string ('true') [yaml-unsupported]"
            ))
        #expect(
            lines.contains(
                "option-values/relay/us/keys.yaml:5:5: error: a mapping key must be a string, found integer 0x1F; quote it to make it a string ('0x1F') [yaml-unsupported]"
            ))
    }

    @Test("!!float 1 is written as the float 1.0")
    func taggedFloat() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try replace(
            "autofix.trace_sample_rate: 0.05", with: "autofix.trace_sample_rate: !!float 1",
            in: root.appendingPathComponent("option-values/seer/default/autofix.yaml"))
        let out = root.appendingPathComponent("out")
        let result = try run(
            ["write", "--target", "us", "--namespace", "seer", "--format", "json", "--out", out.path], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let payload = try String(contentsOf: out.appendingPathComponent("sentry-options-seer-us.json"), encoding: .utf8)
        #expect(payload.contains(#""autofix.trace_sample_rate":1.0"#))
    }

    @Test("a feature flag's created_at may carry a UTC offset (sentry-options 1.2.17), not Z")
    func createdAtOffsets() throws {
        for (createdAt, status) in [
            ("2024-01-01T00:00:00+02:00", 0), ("2024-01-01T00:00:00-0530", 0), ("2024-01-01T00:00:00Z", 1),
        ] {
            let root = try exampleCopy()
            defer { try? FileManager.default.removeItem(at: root) }
            try replace(
                #"created_at: "2024-01-01""#, with: "created_at: \"\(createdAt)\"",
                in: root.appendingPathComponent("option-values/seer/default/autofix.yaml"))
            let result = try run(["lint"], in: root)
            #expect(result.status == Int32(status), "\(createdAt): \(result.stdout)")
        }
    }
}
