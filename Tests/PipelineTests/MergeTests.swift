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
        #expect(merged["string_val"]?.value?.stringValue == "overridden")
        #expect(
            merged["string_val"]?.provenance
                == .target(file: "option-values/test/s4s/override.yaml", position: SourcePosition(line: 2, column: 3)))
        #expect(
            merged["string_val"]?.overrides
                == .defaultTarget(
                    file: "option-values/test/default/base.yaml", position: SourcePosition(line: 2, column: 3)))
        guard case .integer(100) = merged["int_val"]?.value?.content else {
            Issue.record("int_val inherited")
            return
        }
        #expect(merged["int_val"]?.overrides == nil)
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
        #expect(merged["cfg"].map { JSONWriter.compact($0.value!) } == #"{"host":"b","port":2}"#)
        #expect(merged["list"].map { JSONWriter.compact($0.value!) } == "[3]")
    }

    @Test("several default files, a key only in the target, and --target default")
    func shapes() throws {
        let defaults = [
            try loaded("option-values/test/default/a.yaml", "options:\n  a: 1\n"),
            try loaded("option-values/test/default/b.yaml", "options:\n  b: 2\n"),
        ]
        let target = [try loaded("option-values/test/us/x.yaml", "options:\n  c: 3\n  a: 9\n")]
        let us = EffectiveConfiguration(namespace: "test", target: "us", defaultFiles: defaults, targetFiles: target)
        #expect(us.keys == ["a", "b", "c"])
        #expect(us["c"]?.overrides == nil)
        let base = EffectiveConfiguration(
            namespace: "test", target: "default", defaultFiles: defaults, targetFiles: target)
        #expect(base.keys == ["a", "b"])
    }

    @Test("options are sorted by UTF-8 bytes; of a key set twice the later file wins; lookups find every key")
    func orderAndLookup() throws {
        let defaults = [
            try loaded("option-values/test/default/a.yaml", "options:\n  b: 1\n  Z: 1\n  é: 1\n  dup: first\n"),
            try loaded("option-values/test/default/b.yaml", "options:\n  dup: second\n  a: 1\n"),
        ]
        let target = [try loaded("option-values/test/us/x.yaml", "options:\n  zz: 1\n  a: 2\n  A: 3\n")]
        let us = EffectiveConfiguration(namespace: "test", target: "us", defaultFiles: defaults, targetFiles: target)
        #expect(us.keys == ["A", "Z", "a", "b", "dup", "zz", "é"])
        #expect(us["dup"]?.value?.stringValue == "second")
        #expect(
            us["dup"]?.provenance
                == .defaultTarget(
                    file: "option-values/test/default/b.yaml", position: SourcePosition(line: 2, column: 3)))
        #expect(
            us["a"]?.overrides
                == .defaultTarget(
                    file: "option-values/test/default/b.yaml", position: SourcePosition(line: 3, column: 3)))
        #expect(us["A"]?.overrides == nil)
        for key in us.keys { #expect(us[key]?.key == key) }
        #expect(us["missing"] == nil && us[""] == nil && us["zzz"] == nil)
        let payload = String(decoding: PayloadRenderer.render(us, generatedAt: "t"), as: UTF8.self)
        #expect(payload == #"{"generated_at":"t","options":{"A":3,"Z":1,"a":2,"b":1,"dup":"second","zz":1,"é":1}}"#)
    }

    @Test(
        "payloads rendered layer by layer equal the payload of each target's merged configuration",
        arguments: [
            // Target overrides, inherits, adds; a key repeated in default and in the target; non-ASCII order.
            [
                "default/a.yaml": "options:\n  b: 1\n  Z: 1\n  é: {x: [1, 2.5]}\n  dup: first\n",
                "default/b.yaml": "options:\n  dup: second\n  a: 1\n",
                "us/x.yaml": "options:\n  zz: 1\n  a: 2\n  A: \"q\\u0001\"\n  dup: t1\n",
                "us/y.yaml": "options:\n  dup: t2\n  é: null\n",
            ],
            // A target with every key before, or after, every default key; an empty options mapping.
            [
                "default/a.yaml": "options:\n  m: 1\n  n: 2\n", "us/x.yaml": "options:\n  a: 1\n  b: 2\n",
                "de/x.yaml": "options:\n  y: 1\n  z: 2\n", "s4s/x.yaml": "options: {}\n",
            ],
            // No default files at all.
            ["us/x.yaml": "options:\n  k: [true, false]\n  j: -3\n"],
        ])
    func layeredPayloads(_ tree: [String: String]) throws {
        let files = try tree.keys.sorted().map { try loaded("option-values/test/" + $0, tree[$0]!) }
        let targets = Set(files.map(\.file.target)).union(["default", "absent"]).sorted()
        let payloads = PayloadRenderer.payloads(files: files, targets: targets, generatedAt: "t")
        let configurations = NamespaceValues.configurations(of: "test", files: files, targets: targets)
        #expect(payloads.count == targets.count)
        for (payload, configuration) in zip(payloads, configurations) {
            let expected = PayloadRenderer.render(configuration, generatedAt: "t")
            #expect(
                String(decoding: payload, as: UTF8.self) == String(decoding: expected, as: UTF8.self),
                "target \(configuration.target)")
        }
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
            .json(merged.options, namespace: "test", target: "us")
        #expect(
            text
                == #"{"namespace":"test","options":[{"column":3,"declared":true,"file":"option-values/test/us/a.yaml","key":"a","line":2,"overrides":{"column":3,"file":"option-values/test/default/a.yaml","line":2,"source":"default"},"source":"target","value":2}],"origin":"working tree","target":"us"}"#
                + "\n")
    }
}
