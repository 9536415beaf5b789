import Foundation
import OptionsSchema
import Testing

@testable import Pipeline

@Suite("Diff rendering: field changes, nothing cut, counts that add up")
struct DiffRendererTests {
    let renderer = DiffRenderer(baseLabel: "HEAD~1 (abc)", headLabel: "HEAD (def)", valuesPrefix: "option-values/")

    func option(_ key: String, _ json: String, line: Int = 3) throws -> EffectiveOption {
        EffectiveOption(
            key: key, value: try JSONReader.parse(Array(json.utf8)),
            provenance: .target(
                file: "option-values/ns/us/values.yaml", position: SourcePosition(line: line, column: 3)),
            overrides: nil, isDeclared: true)
    }

    func report(_ changes: [ValueChange], status: TargetDiff.Status = .modified) -> DiffReport {
        DiffReport(
            namespaces: ["ns"], diagnostics: [], schemaChanges: [],
            targets: [TargetDiff(namespace: "ns", target: "us", status: status, changes: changes)])
    }

    @Test("a long value is wrapped in text, never cut, and no line is wider than the limit")
    func longValues() throws {
        let long = (0..<60).map { "\"host-\($0).example.com\"" }.joined(separator: ",")
        let change = ValueChange(
            key: "upstream.hosts", before: try option("upstream.hosts", #"{"a":[\#(long)]}"#),
            after: try option("upstream.hosts", #"{"a":"x"}"#))
        let text = renderer.text(report([change]))
        for line in text.split(separator: "\n") { #expect(line.count <= DiffRenderer.lineWidth, "\(line)") }
        let joined = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        #expect(joined.contains(long.replacingOccurrences(of: " ", with: "")), "every host is there")
        #expect(
            text.contains("    upstream.hosts (ns/us/values.yaml:3:3)\n      a:\n        - [\"host-0.example.com\""))
        #expect(text.contains("        + \"x\"\n"))
        let markdown = renderer.markdown(report([change]))
        #expect(markdown.contains("<details><summary><code>"))
        #expect(markdown.contains("host-59.example.com"))
        let json = renderer.json(report([change]))
        #expect(json.contains(#""fields":[{"after":"x","before":[\#(long)],"kind":"changed","path":".a"}]"#))
    }

    @Test("one arrow style, single spaces, and a summary that counts the values of new targets")
    func summary() throws {
        let added = ValueChange(key: "k", before: nil, after: try option("k", "5"))
        let text = renderer.text(report([added], status: .added))
        #expect(text.contains("  ns: new target, 1 option set\n    k: (absent) → 5 (ns/us/values.yaml:3:3)\n"))
        #expect(text.hasSuffix("\n1 value change in 1 region (1 in 1 new target); 0 schema changes\n"))
        #expect(!text.contains("  →") && !text.contains("→  ") && !text.contains("->"))
    }

    @Test("a head side with errors is never 'no effective change'")
    func headErrors() {
        let broken = DiffReport(
            namespaces: ["ns"],
            diagnostics: [Diagnostic(.error, .yamlSyntax, "bad", file: "option-values/ns/us/values.yaml", at: nil)],
            schemaChanges: [], targets: [])
        let text = renderer.text(broken)
        #expect(!text.contains("no effective change:"))
        #expect(text.contains("no effective change found, but the head side has 1 error"))
        #expect(renderer.markdown(broken).contains("the head side has 1 error"))
    }
}
