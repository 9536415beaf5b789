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

    @Test("a Markdown report fits a GitHub comment: huge values cut, changes and problems past the budget counted")
    func markdownBudget() throws {
        let huge = String(repeating: "x", count: 1_000_000)
        let big = ValueChange(
            key: "prompt", before: try option("prompt", "\"a\""), after: try option("prompt", "\"\(huge)\""))
        let one = renderer.markdown(report([big]))
        #expect(one.utf8.count < 10_000)
        #expect(one.contains("(1000002 characters)") || one.contains("(1000000 characters)"))
        #expect(one.contains("… (cut; `optionsctl diff` prints it whole)"))

        let many = try (0..<10_000).map { index in
            ValueChange(
                key: "key\(index)", before: try option("key\(index)", "1"), after: try option("key\(index)", "2"))
        }
        let warnings = (0..<10_000).map { index in
            Diagnostic(.warning, .unknownOption, "unknown \(index)", file: "option-values/ns/us/values.yaml", at: nil)
        }
        var crowded = report(many)
        crowded.diagnostics = warnings
        let markdown = renderer.markdown(crowded)
        #expect(markdown.utf8.count <= DiffRenderer.markdownBudget)
        #expect(markdown.contains("**10000 warnings:**"))
        #expect(markdown.contains("more (`optionsctl diff` lists every one)"))
        #expect(markdown.contains("| us | ns | 10000 |"), "the summary counts every change")
        #expect(markdown.contains("more changes in this region not shown"))
        #expect(markdown.hasSuffix("</details>\n\n"))
    }
}
