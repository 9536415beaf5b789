import Foundation
import Testing

@Suite("optionsctl flags: owners, ages, states per region, and stale flags")
struct FlagsCommandTests {
    /// A tree with one namespace, `flagged`, whose four flags cover each state.
    func flaggedTree() throws -> URL {
        let root = try scratchDirectory("flags")
        let schema = root.appendingPathComponent("schemas/flagged")
        try FileManager.default.createDirectory(at: schema, withIntermediateDirectories: true)
        let reference = ##"{"$ref": "#/definitions/Feature"}"##
        try """
        {"version": "1.0", "type": "object", "properties": {
          "feature.a": \(reference), "feature.b": \(reference), "feature.c": \(reference), "feature.d": \(reference)}}
        """.write(to: schema.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
        func flag(_ created: String, enabled: Bool = true, segments: String) -> String {
            #"{"owner": {"team": "t", "email": "t@example.com"}, "created_at": "\#(created)", "enabled": \#(enabled), "segments": \#(segments)}"#
        }
        let all = #"[{"name": "all", "rollout": 100, "conditions": []}]"#
        let some = #"[{"name": "some", "rollout": 50, "conditions": []}]"#
        let files = [
            "default": [
                "feature.a": flag("2024-01-01", segments: all),
                "feature.b": flag("2024-01-01", enabled: false, segments: all),
                "feature.c": flag("2024-05-20", segments: all), "feature.d": flag("2023-06-01", segments: some),
            ],
            "us": [
                "feature.b": flag("2024-01-01", segments: some),
                "feature.d": flag("2023-06-01", enabled: false, segments: some),
            ],
            "de": ["feature.d": flag("2023-06-01", segments: "[]")],
        ]
        for (target, flags) in files {
            let directory = root.appendingPathComponent("option-values/flagged/\(target)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let text = "options:\n" + flags.keys.sorted().map { "  \($0): \(flags[$0]!)\n" }.joined()
            try text.write(to: directory.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test("every flag with its owner, age and state in each region")
    func listing() throws {
        let root = try flaggedTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["flags", "--as-of", "2024-06-01", "--format", "json"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let flags = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(flags.map { $0["key"] as? String } == ["feature.a", "feature.b", "feature.c", "feature.d"])
        #expect(flags[0]["states"] as? [String: String] == ["de": "on for all", "us": "on for all"])
        #expect(flags[1]["states"] as? [String: String] == ["de": "off", "us": "1 segment"])
        #expect(flags[3]["states"] as? [String: String] == ["de": "off", "us": "off"])
        #expect(flags[0]["ageDays"] as? Int == 152)
        #expect(flags[0]["team"] as? String == "t")
        #expect(flags[0]["email"] as? String == "t@example.com")
        #expect(flags[1]["removable"] is NSNull)
    }

    @Test("--stale keeps old flags that are on for all or off in every region; --older-than moves the line")
    func stale() throws {
        let root = try flaggedTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["flags", "--stale", "--as-of", "2024-06-01"], in: root)
        #expect(result.status == 0)
        #expect(
            result.stdout.contains(
                "flagged feature.a\n  owner    t <t@example.com>\n  created  2024-01-01 (152 days old)\n"))
        #expect(result.stdout.contains("  stale    on for all in every region: remove its checks, then the flag\n"))
        #expect(result.stdout.contains("flagged feature.d\n"))
        #expect(result.stdout.contains("  stale    off in every region"))
        #expect(!result.stdout.contains("feature.b"))
        #expect(!result.stdout.contains("feature.c"))
        #expect(result.stdout.hasSuffix("2 flags can be removed\n"))
        let recent = try run(["flags", "--stale", "--older-than", "1w", "--as-of", "2024-06-01"], in: root)
        #expect(recent.stdout.contains("flagged feature.c\n"))
        let none = try run(["flags", "--stale", "--older-than", "1000d", "--as-of", "2024-06-01"], in: root)
        #expect(none.stdout == "no stale flags (older than 1000 days, on for all or off everywhere)\n")
        let bad = try run(["flags", "--as-of", "June"], in: root)
        #expect(bad.status == 2)
    }
}
