import Foundation
import Testing

@Suite("optionsctl schema export: JSON Schemas of the values files, and the editor wiring")
struct SchemaExportTests {
    func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }

    @Test("one schema per namespace: types, closed structs, dicts, feature flags; unknown keys rejected")
    func export() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["schema", "export", "--out", "editor/schemas"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("wrote 3 JSON Schema(s) and editor-settings.json to editor/schemas"))
        let seer = try json(root.appendingPathComponent("editor/schemas/seer.schema.json"))
        #expect(seer["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(seer["required"] as? [String] == ["options"])
        let options = (seer["properties"] as! [String: Any])["options"] as! [String: Any]
        #expect(options["additionalProperties"] as? Bool == false)
        let properties = options["properties"] as! [String: [String: Any]]
        #expect(properties["autofix.rate_limit"]?["type"] as? String == "integer")
        #expect(properties["autofix.rate_limit"]?["default"] as? Int == 50)
        #expect(
            properties["autofix.rate_limit"]?["description"] as? String
                == "Maximum number of Autofix runs per organization per hour.")
        let retry = properties["autofix.retry_policy"]!
        #expect(retry["additionalProperties"] as? Bool == false)
        #expect(retry["required"] as? [String] == ["max_attempts", "backoff_seconds"])
        #expect(properties["feature.organizations:autofix-on-issue-create"]?["$ref"] as? String == "#/$defs/Feature")
        let definitions = seer["$defs"] as! [String: Any]
        #expect(Set(definitions.keys) == ["Feature", "Owner", "Segment", "Condition"])
        let snuba = try json(root.appendingPathComponent("editor/schemas/snuba.schema.json"))
        let snubaOptions =
            ((snuba["properties"] as! [String: Any])["options"] as! [String: Any])["properties"]
            as! [String: [String: Any]]
        let dict = snubaOptions["clickhouse.settings_by_referrer"]!
        #expect((dict["additionalProperties"] as? [String: Any])?["type"] as? String == "object")
        let settings = try json(root.appendingPathComponent("editor/schemas/editor-settings.json"))
        let mapping = settings["yaml.schemas"] as! [String: [String]]
        #expect(mapping["editor/schemas/seer.schema.json"] == ["option-values/seer/**/*.yaml"])
        #expect(mapping.count == 3)
    }

    @Test("--lenient allows unknown keys; --namespace narrows; invalid schemas write nothing")
    func variants() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let lenient = try run(["schema", "export", "--out", "out", "--lenient", "--namespace", "relay"], in: root)
        #expect(lenient.status == 0, "\(lenient.stderr)")
        let relay = try json(root.appendingPathComponent("out/relay.schema.json"))
        let options = (relay["properties"] as! [String: Any])["options"] as! [String: Any]
        #expect(options["additionalProperties"] == nil)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/seer.schema.json").path))
        let typo = try run(["schema", "export", "--out", "out2", "--namespace", "relya"], in: root)
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("did you mean 'relay'?"))
        try replace(
            #""description": "Maximum number of Autofix runs per organization per hour.""#, with: #""title": "x""#,
            in: root.appendingPathComponent("schemas/seer/schema.json"))
        let invalid = try run(["schema", "export", "--out", "out3"], in: root)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains(#""description" is a required property"#))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out3").path))
    }
}
