import Foundation
import Testing

@Suite("optionsctl docs: a Markdown reference per namespace")
struct DocsCommandTests {
    @Test("pages per namespace and an index, with values per region and flags' segments; --check")
    func pages() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["docs", "--out", "docs/options"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let directory = root.appendingPathComponent("docs/options")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasPrefix(".") }
        #expect(names.sorted() == ["README.md", "relay.md", "seer.md", "snuba.md"])
        let index = try String(contentsOf: directory.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(index.contains("| [seer](seer.md) | 11 | 1 | default, de, s4s, us |"))
        let seer = try String(contentsOf: directory.appendingPathComponent("seer.md"), encoding: .utf8)
        #expect(
            seer.contains(
                "### `autofix.rate_limit`\n\nMaximum number of Autofix runs per organization per hour.\n\n- Type: `integer`\n- Schema default: `50`\n"
            ))
        #expect(seer.contains("| us | `200` | `us/values.yaml` |"))
        #expect(seer.contains("| default | `4` | schema default |"))
        #expect(seer.contains("- Owner: seer (seer-team@example.com)"))
        #expect(seer.contains("| s4s | yes | everyone in s4s (100%) | `s4s/values.yaml` |"))
        #expect(
            seer.contains(
                "| us | yes | internal orgs (100%: organization_slug in [\"sentry\",\"sentry-test\"]); early adopters (25%: "
            ))
        // Stable: a second run writes the same bytes, and --check agrees until a value changes.
        let again = try run(["docs", "--out", "docs/options", "--check"], in: root)
        #expect(again.status == 0, "\(again.stderr)")
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 250",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let stale = try run(["docs", "--out", "docs/options", "--check"], in: root)
        #expect(stale.status == 3)
        #expect(stale.stdout == "seer.md\n")
        let rewritten = try run(["docs", "--out", "docs/options"], in: root)
        #expect(rewritten.status == 0)
        #expect(
            try String(contentsOf: directory.appendingPathComponent("seer.md"), encoding: .utf8).contains(
                "| us | `250` |"))
    }

    @Test("an invalid tree writes nothing")
    func invalid() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["docs", "--out", "reference"], in: root)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("reference").path))
    }
}
