import OptionsSchema
import Testing

@testable import Pipeline

func loaded(_ path: String, _ yaml: String) throws -> LoadedValuesFile {
    let parts = path.split(separator: "/").map(String.init)
    let document = YAMLLoader.load(Array(yaml.utf8))
    let options = try #require(document.root?["options"]?.members)
    return LoadedValuesFile(
        file: ValuesFile(path: path, namespace: parts[1], target: parts[2]), displayPath: path, options: options)
}

@Suite("Merge by target, with provenance (reference §3)")
struct MergeTests {
    @Test("the target replaces default option by option; keys only in default are inherited (test_target_override)")
    func override() throws {
        let merged = EffectiveConfiguration(
            namespace: "test", target: "s4s",
            defaultFiles: [
                try loaded(
                    "option-values/test/default/base.yaml", "options:\n  string_val: default_value\n  int_val: 100\n")
            ],
            targetFiles: [try loaded("option-values/test/s4s/override.yaml", "options:\n  string_val: overridden\n")])
        #expect(merged.set["string_val"]?.value?.stringValue == "overridden")
        #expect(
            merged.set["string_val"]?.provenance
                == .target(file: "option-values/test/s4s/override.yaml", position: SourcePosition(line: 2, column: 3)))
        #expect(
            merged.set["string_val"]?.overrides
                == .defaultTarget(
                    file: "option-values/test/default/base.yaml", position: SourcePosition(line: 2, column: 3)))
        guard case .integer(100) = merged.set["int_val"]?.value?.content else {
            Issue.record("int_val inherited")
            return
        }
        #expect(merged.set["int_val"]?.overrides == nil)
    }

    @Test("structs are replaced whole, not deep-merged; arrays are replaced, not appended")
    func shallow() throws {
        let merged = EffectiveConfiguration(
            namespace: "test", target: "us",
            defaultFiles: [
                try loaded("option-values/test/default/a.yaml", "options:\n  cfg: {host: a, port: 1}\n  list: [1, 2]\n")
            ],
            targetFiles: [
                try loaded("option-values/test/us/a.yaml", "options:\n  cfg: {host: b, port: 2}\n  list: [3]\n")
            ])
        #expect(merged.set["cfg"].map { JSONWriter.compact($0.value!) } == #"{"host":"b","port":2}"#)
        #expect(merged.set["list"].map { JSONWriter.compact($0.value!) } == "[3]")
    }

    @Test("several default files, a key only in the target, and --target default")
    func shapes() throws {
        let defaults = [
            try loaded("option-values/test/default/a.yaml", "options:\n  a: 1\n"),
            try loaded("option-values/test/default/b.yaml", "options:\n  b: 2\n"),
        ]
        let target = [try loaded("option-values/test/us/x.yaml", "options:\n  c: 3\n  a: 9\n")]
        let us = EffectiveConfiguration(namespace: "test", target: "us", defaultFiles: defaults, targetFiles: target)
        #expect(us.set.keys.sorted() == ["a", "b", "c"])
        #expect(us.set["c"]?.overrides == nil)
        let base = EffectiveConfiguration(
            namespace: "test", target: "default", defaultFiles: defaults, targetFiles: target)
        #expect(base.set.keys.sorted() == ["a", "b"])
    }

    @Test("resolving against the schema adds schema defaults, unset flags, and undeclared keys last")
    func resolved() throws {
        let schema = try #require(
            try SchemaParser.parse(
                json: Array(
                    ##"{"version": "1.0", "type": "object", "properties": {"a": {"type": "integer", "default": 5, "description": ""}, "b": {"type": "integer", "default": 6, "description": ""}, "feature.x": {"$ref": "#/definitions/Feature"}}}"##
                        .utf8), namespace: "test"
            ).schema)
        let merged = EffectiveConfiguration(
            namespace: "test", target: "us",
            defaultFiles: [try loaded("option-values/test/default/a.yaml", "options:\n  a: 1\n  zz: typo\n")],
            targetFiles: [])
        let options = merged.resolved(with: schema)
        #expect(options.map(\.key) == ["a", "b", "feature.x", "zz"])
        #expect(
            options.map(\.provenance) == [
                .defaultTarget(file: "option-values/test/default/a.yaml", position: SourcePosition(line: 2, column: 3)),
                .schemaDefault, .unset,
                .defaultTarget(file: "option-values/test/default/a.yaml", position: SourcePosition(line: 3, column: 3)),
            ])
        guard case .integer(6) = options[1].value?.content else {
            Issue.record("schema default of b")
            return
        }
        #expect(options.map(\.isDeclared) == [true, true, true, false])
    }

    @Test("JSON output has a stable documented shape")
    func json() throws {
        let merged = EffectiveConfiguration(
            namespace: "test", target: "us",
            defaultFiles: [try loaded("option-values/test/default/a.yaml", "options:\n  a: 1\n")],
            targetFiles: [try loaded("option-values/test/us/a.yaml", "options:\n  a: 2\n")])
        let text = EffectiveRenderer(namespacePrefix: "option-values/test/", origin: "working tree")
            .json(Array(merged.set.values), namespace: "test", target: "us")
        #expect(
            text
                == #"{"namespace":"test","options":[{"column":3,"declared":true,"file":"option-values/test/us/a.yaml","key":"a","line":2,"overrides":{"column":3,"file":"option-values/test/default/a.yaml","line":2,"source":"default"},"source":"target","value":2}],"origin":"working tree","target":"us"}"#
                + "\n")
    }
}
