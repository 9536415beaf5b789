import OptionsSchema
import Testing

@testable import Pipeline

@Suite("Diagnostic output formats")
struct DiagnosticRendererTests {
    let diagnostics = [
        Diagnostic(
            .error, .duplicateOption, "Duplicate key 'a' found in x.yaml and y, z.yaml",
            file: "option-values/n/default/y, z.yaml",
            at: SourcePosition(line: 2, column: 3),
            notes: [
                Diagnostic.Note(
                    "'a' is first set here", file: "option-values/n/default/x.yaml",
                    at: SourcePosition(line: 4, column: 3))
            ]),
        Diagnostic(
            .warning, .unknownOption, "100% sure:\nline two", file: "f.yaml", at: SourcePosition(line: 1, column: 1)),
        Diagnostic(
            .error, .missingDefaultTarget, "Namespace 'n' is missing required 'default' target", file: "option-values/n"
        ),
    ]
    let renderer = DiagnosticRenderer(toolVersion: "9.9.9")

    @Test("text is gcc style with notes, uncoloured unless asked, a newline in a message escaped")
    func text() {
        #expect(
            renderer.render(diagnostics, as: .text) == """
                option-values/n/default/y, z.yaml:2:3: error: Duplicate key 'a' found in x.yaml and y, z.yaml [duplicate-option]
                option-values/n/default/x.yaml:4:3: note: 'a' is first set here
                f.yaml:1:1: warning: 100% sure:\\u{a}line two [unknown-option]
                option-values/n: error: Namespace 'n' is missing required 'default' target [missing-default-target]

                """)
        let coloured = DiagnosticRenderer(toolVersion: "1", usesColor: true).render(diagnostics, as: .text)
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"))
    }

    @Test("github annotations escape data and properties")
    func github() {
        let lines = renderer.render(diagnostics, as: .github).split(separator: "\n").map(String.init)
        #expect(
            lines == [
                "::error file=option-values/n/default/y%2C z.yaml,line=2,col=3,title=optionsctl [duplicate-option]::Duplicate key 'a' found in x.yaml and y, z.yaml%0Anote: option-values/n/default/x.yaml:4:3: 'a' is first set here",
                "::warning file=f.yaml,line=1,col=1,title=optionsctl [unknown-option]::100%25 sure:%0Aline two",
                "::error file=option-values/n,title=optionsctl [missing-default-target]::Namespace 'n' is missing required 'default' target",
            ])
    }

    @Test("json is one parseable document with a summary")
    func json() throws {
        let root = try JSONReader.parse(Array(renderer.render(diagnostics, as: .json).utf8))
        let items = try #require(root["diagnostics"]?.elements)
        #expect(items.count == 3)
        #expect(items[0]["code"]?.stringValue == "duplicate-option")
        #expect(items[0]["file"]?.stringValue == "option-values/n/default/y, z.yaml")
        guard case .integer(2) = items[0]["line"]?.content, case .integer(3) = items[0]["column"]?.content else {
            Issue.record("line and column")
            return
        }
        #expect(items[0]["notes"]?.elements?.first?["file"]?.stringValue == "option-values/n/default/x.yaml")
        #expect(items[2]["line"] == nil)
        guard case .integer(2) = root["summary"]?["errors"]?.content,
            case .integer(1) = root["summary"]?["warnings"]?.content
        else {
            Issue.record("summary")
            return
        }
    }

    @Test("sarif has rules, levels, locations and related locations")
    func sarif() throws {
        let root = try JSONReader.parse(Array(renderer.render(diagnostics, as: .sarif).utf8))
        #expect(root["version"]?.stringValue == "2.1.0")
        let run = try #require(root["runs"]?.elements?.first)
        #expect(run["tool"]?["driver"]?["version"]?.stringValue == "9.9.9")
        let rules = try #require(run["tool"]?["driver"]?["rules"]?.elements)
        #expect(rules.count == allIssueCodes.count)
        let results = try #require(run["results"]?.elements)
        #expect(results.map { $0["level"]?.stringValue } == ["error", "warning", "error"])
        let location = try #require(results[0]["locations"]?.elements?.first?["physicalLocation"])
        #expect(location["artifactLocation"]?["uri"]?.stringValue == "option-values/n/default/y%2C%20z.yaml")
        guard case .integer(2) = location["region"]?["startLine"]?.content else {
            Issue.record("startLine")
            return
        }
        #expect(results[0]["relatedLocations"]?.elements?.count == 1)
        guard case .integer(let index) = results[0]["ruleIndex"]?.content else {
            Issue.record("ruleIndex")
            return
        }
        #expect(rules[Int(index)]["id"]?.stringValue == "duplicate-option")
        #expect(results[2]["locations"]?.elements?.first?["physicalLocation"]?["region"] == nil)
    }
}

@Suite("RepositoryPaths: displayed paths to repository-relative ones")
struct RepositoryPathsTests {
    @Test(
        "each kind of display root",
        arguments: [
            (".", "", "option-values/a/us/values.yaml", "option-values/a/us/values.yaml"),
            (".", "config", "schemas/a/schema.json", "config/schemas/a/schema.json"),
            ("../..", "", "../../option-values/a/us/v.yaml", "option-values/a/us/v.yaml"),
            ("/abs/repo/config/", "config", "/abs/repo/config/schemas/x", "config/schemas/x"),
            ("sub", "sub", "elsewhere/x", "elsewhere/x"),
            (".", "", "/etc/passwd", "/etc/passwd"),
            (".", "", "../outside", "../outside"),
        ])
    func relative(_ root: String, _ inRepository: String, _ displayed: String, _ expected: String) {
        #expect(RepositoryPaths(displayRoot: root, rootInRepository: inRepository).relative(displayed) == expected)
    }
}
