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
