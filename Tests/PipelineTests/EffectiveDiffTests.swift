import OptionsSchema
import Testing

@testable import Pipeline

/// A side of namespace `test` with the F-CLI schema and the given files (path under option-values/test/ → YAML).
func side(_ files: [String: String], schema: Bool = true) throws -> EffectiveDiff.Side {
    let parsed = try SchemaParser.parse(json: Array(cliSchema.utf8), namespace: "test").schema
    return EffectiveDiff.Side(
        schema: schema ? parsed : nil,
        files: try files.keys.sorted().map { try loaded("option-values/test/" + $0, files[$0]!) })
}

extension [TargetDiff] {
    /// `target: key before→after` lines, values as compact JSON, `-` for absent.
    var summary: [String] {
        flatMap { diff in
            diff.changes.map { change in
                let before = change.before?.value.map(JSONWriter.compact) ?? "-"
                let after = change.after?.value.map(JSONWriter.compact) ?? "-"
                return "\(diff.target)[\(diff.status.rawValue)]: \(change.key) \(before)→\(after)"
            }
        }
    }
}

@Suite("Effective diff by target")
struct EffectiveDiffTests {
    @Test(
        "with the schema unchanged, comparing only the keys files set finds exactly what resolving every key finds",
        arguments: [
            // Values changed, removed (falls back to the schema default), added; an undeclared key comes and goes.
            (
                [
                    "default/values.yaml": "options:\n  int_val: 1\n  typo_key: 1\n",
                    "us/values.yaml": "options:\n  int_val: 5\n  string_val: a\n",
                    "de/values.yaml": "options:\n  bool_val: true\n",
                ],
                [
                    "default/values.yaml": "options:\n  int_val: 1\n  float_val: 2.5\n",
                    "us/values.yaml": "options:\n  string_val: b\n  other_typo: x\n",
                    "de/values.yaml": "options:\n  bool_val: false\n",
                ]
            ),
            // A value set to its schema default: set on one side, default on the other, no change.
            (
                ["default/values.yaml": "options:\n  int_val: 0\n"],
                ["default/values.yaml": "options:\n  string_val: \"\"\n"]
            ),
            // `default` unchanged: one target changes, one is the same, one moves a key to a second file with the
            // same value, one only in the base, one only in the head (targets left unmerged must change nothing).
            (
                [
                    "default/values.yaml": "options:\n  int_val: 1\n",
                    "us/values.yaml": "options:\n  int_val: 5\n",
                    "de/values.yaml": "options:\n  bool_val: true\n",
                    "fr/a.yaml": "options:\n  int_val: 7\n  string_val: s\n",
                    "ca/values.yaml": "options:\n  float_val: 1.5\n",
                ],
                [
                    "default/values.yaml": "options:\n  int_val: 1\n",
                    "us/values.yaml": "options:\n  int_val: 6\n",
                    "de/values.yaml": "options:\n  bool_val: true\n",
                    "fr/a.yaml": "options:\n  int_val: 7\n", "fr/b.yaml": "options:\n  string_val: s\n",
                    "jp/values.yaml": "options:\n  string_val: j\n",
                ]
            ),
            // `default` unchanged, a value changes only in type (1 is not 1.0), and one only in position.
            (
                [
                    "default/values.yaml": "options:\n  int_val: 1\n",
                    "us/values.yaml": "options:\n  float_val: 1\n  bool_val: true\n",
                    "de/values.yaml": "options:\n  bool_val: true\n",
                ],
                [
                    "default/values.yaml": "options:\n  int_val: 1\n",
                    "us/values.yaml": "options:\n  float_val: 1.0\n  bool_val: true\n",
                    "de/values.yaml": "options:\n\n  bool_val: true\n",
                ]
            ),
        ])
    func setKeysOnly(_ base: [String: String], _ head: [String: String]) throws {
        let (baseSide, headSide) = (try side(base), try side(head))
        let full = EffectiveDiff.compare(namespace: "test", base: baseSide, head: headSide)
        let fast = EffectiveDiff.compare(namespace: "test", base: baseSide, head: headSide, schemaUnchanged: true)
        #expect(fast.summary == full.summary)
        #expect(
            fast.flatMap { $0.changes.map { "\($0.before?.provenance as Any) \($0.after?.isDeclared as Any)" } }
                == full.flatMap { $0.changes.map { "\($0.before?.provenance as Any) \($0.after?.isDeclared as Any)" } })
        #expect(!full.isEmpty || base["default/values.yaml"]?.contains("int_val: 0") == true)
    }

    @Test("a default change fans out to every target that inherits it and to none that overrides it")
    func fanOut() throws {
        let base = try side([
            "default/values.yaml": "options:\n  int_val: 1\n", "us/values.yaml": "options:\n  int_val: 5\n",
            "de/values.yaml": "options:\n  string_val: x\n",
        ])
        let head = try side([
            "default/values.yaml": "options:\n  int_val: 2\n", "us/values.yaml": "options:\n  int_val: 5\n",
            "de/values.yaml": "options:\n  string_val: x\n",
        ])
        let diff = EffectiveDiff.compare(namespace: "test", base: base, head: head)
        #expect(diff.summary == ["de[modified]: int_val 1→2", "default[modified]: int_val 1→2"])
        let de = try #require(diff.first?.changes.first)
        #expect(
            de.after?.provenance
                == .defaultTarget(
                    file: "option-values/test/default/values.yaml", position: SourcePosition(line: 2, column: 3)))
    }

    @Test("a value removed falls back to the schema default, and says so")
    func fallBack() throws {
        let base = try side(["default/values.yaml": "options:\n  int_val: 1\n  bool_val: true\n"])
        let head = try side(["default/values.yaml": "options:\n  bool_val: true\n"])
        let diff = EffectiveDiff.compare(namespace: "test", base: base, head: head)
        #expect(diff.summary == ["default[modified]: int_val 1→0"])
        #expect(diff.first?.changes.first?.fallsBackToSchemaDefault == true)
    }

    @Test("targets added and removed are called out; unchanged targets and values produce nothing")
    func targets() throws {
        let base = try side([
            "default/values.yaml": "options:\n  int_val: 1\n", "s4s/values.yaml": "options:\n  int_val: 3\n",
            "us/values.yaml": "options:\n  int_val: 9\n",
        ])
        let head = try side([
            "default/values.yaml": "options:\n  int_val: 1\n", "de/values.yaml": "options:\n  int_val: 4\n",
            "us/values.yaml": "options:\n  int_val: 9\n",
        ])
        let diff = EffectiveDiff.compare(namespace: "test", base: base, head: head)
        #expect(diff.map(\.target) == ["de", "s4s"])
        #expect(diff.map(\.status) == [.added, .removed])
        #expect(EffectiveDiff.compare(namespace: "test", base: base, head: base).isEmpty)
    }

    @Test("the same value moved from a target into default is no effective change")
    func moved() throws {
        let base = try side(["default/values.yaml": "options: {}\n", "us/values.yaml": "options:\n  int_val: 7\n"])
        let head = try side(["default/values.yaml": "options:\n  int_val: 7\n", "us/values.yaml": "options: {}\n"])
        let diff = EffectiveDiff.compare(namespace: "test", base: base, head: head)
        #expect(diff.summary == ["default[modified]: int_val 0→7"], "us reads 7 on both sides")
    }

    @Test("42 and 42.0 differ, as in the payload")
    func integerVersusFloat() throws {
        let base = try side(["default/values.yaml": "options:\n  float_val: 42\n"])
        let head = try side(["default/values.yaml": "options:\n  float_val: 42.0\n"])
        #expect(
            EffectiveDiff.compare(namespace: "test", base: base, head: head).summary == [
                "default[modified]: float_val 42→42.0"
            ])
    }
}

@Suite("Differ: two trees, namespace by namespace")
struct DifferTests {
    @Test("a default change, a forbidden schema change, a removed option still in use, an invalid head")
    func report() async throws {
        let base = tree(
            schemas: ["test", "other"],
            values: [
                "test/default/values.yaml": "options:\n  int_val: 1\n  string_val: a\n",
                "test/us/values.yaml": "options:\n  int_val: 5\n",
                "other/default/values.yaml": "options:\n  bool_val: true\n",
            ])
        var files = base.files
        files["option-values/test/default/values.yaml"] = Array("options:\n  int_val: 2\n  string_val: a\n".utf8)
        files["schemas/other/schema.json"] = Array(
            cliSchema.replacingOccurrences(of: #""default": false"#, with: #""default": true"#)
                .replacingOccurrences(
                    of: #""string_val": {"type": "string", "default": "", "description": "test"},"#, with: ""
                )
                .utf8)
        files["option-values/other/default/values.yaml"] = Array("options:\n  bool_val: true\n  string_val: x\n".utf8)
        let head = MemorySource(bytes: files)
        let report = try await Differ(base: base, head: head).diff()
        #expect(report.namespaces == ["other", "test"])
        // us overrides int_val; other/default now passes the undeclared string_val through.
        #expect(report.targets.map { "\($0.namespace)/\($0.target)" } == ["other/default", "test/default"])
        #expect(report.schemaChanges.map(\.kind) == [.optionRemoved, .defaultChanged])
        let lines = report.diagnostics.map {
            "\($0.file ?? "-"):\($0.position.map(String.init(describing:)) ?? "-") \($0.code)"
        }
        #expect(
            lines.contains { $0.hasPrefix("schemas/other/schema.json:") && $0.hasSuffix("forbidden-schema-change") })
        #expect(lines.contains("option-values/other/default/values.yaml:3:3 removed-option-in-use"))
        #expect(
            !lines.contains("option-values/other/default/values.yaml:3:3 unknown-option"),
            "one warning for the place, the one that says why")
        let removed = try #require(report.diagnostics.first { $0.code == .removedOptionInUse })
        #expect(removed.message.hasSuffix("; set in target default"))
        #expect(report.errorCount == 1, "the forbidden change; the now unknown string_val is a warning")
        let forbidden = try #require(report.diagnostics.first { $0.code == .forbiddenSchemaChange })
        #expect(
            forbidden.message
                == "Option 'other.bool_val' default value changed from false to true; to change what services read, "
                + "keep the schema default and set the new value in 'option-values/other/default/' instead (or, if "
                + "every service reading it is ready, pass --allow-forbidden other:bool_val)")
        let limited = try await Differ(base: base, head: head).diff(namespaces: ["test"])
        #expect(limited.namespaces == ["test"] && limited.schemaChanges.isEmpty)
        // A deliberate change: still listed, marked, and no longer an error.
        var differ = Differ(base: base, head: head)
        differ.allowedForbidden = ["other:bool_val"]
        let allowed = try await differ.diff()
        #expect(allowed.errorCount == 0)
        #expect(allowed.schemaChanges.map(\.isAllowedByOverride) == [false, true])
        let renderer = DiffRenderer(baseLabel: "a", headLabel: "b", valuesPrefix: "option-values/")
        #expect(renderer.text(allowed).contains("FORBIDDEN, allowed by --allow-forbidden other:bool_val\n"))
        #expect(
            renderer.markdown(allowed).contains("allowed by <code>--allow-forbidden other&#58;bool&#95;val</code>"),
            "markdown characters are entities, even in code")
        #expect(renderer.json(allowed).contains(#""allowed":true"#))
        let markdown = renderer.markdown(report)
        #expect(markdown.contains("**1 warning:**"))
        #expect(markdown.contains("(<code>removed-option-in-use</code>)"))
        #expect(markdown.contains("way forward: to change what services read"))
    }

    @Test("a schema broken in the head is reported by lint, not as a removed namespace")
    func brokenHeadSchema() async throws {
        let base = tree(values: ["test/default/values.yaml": "options:\n  int_val: 1\n"])
        var files = base.files
        files["schemas/test/schema.json"] = Array(#"{"version": "1.0"}"#.utf8)
        let report = try await Differ(base: base, head: MemorySource(bytes: files)).diff()
        #expect(report.schemaChanges.isEmpty)
        #expect(report.errorCount > 0)
        #expect(report.targets.isEmpty, "values compared as set, without schema defaults: nothing changed")
    }

    @Test("changed paths map to the namespaces they touch")
    func touched() {
        let differ = Differ(base: MemorySource([:]), head: MemorySource([:]))
        #expect(
            differ.touchedNamespaces([
                "schemas/a/schema.json", "option-values/b/us/values.yaml", "README.md", "schemas/README",
                "option-values/c",
            ]) == ["a", "b"])
    }
}
