import OptionsSchema
import Testing

@testable import Pipeline

/// The reference's F-CLI schema: string_val, int_val, float_val, bool_val.
let cliSchema = """
    {"version": "1.0", "type": "object", "properties": {
      "string_val": {"type": "string", "default": "", "description": "test"},
      "int_val": {"type": "integer", "default": 0, "description": "test"},
      "float_val": {"type": "number", "default": 0.0, "description": "test"},
      "bool_val": {"type": "boolean", "default": false, "description": "test"}
    }}
    """

/// A tree with F-CLI schemas for `namespaces` and the given values files (paths under option-values/).
func tree(schemas namespaces: [String] = ["test"], values: [String: String], extra: [String: String] = [:])
    -> MemorySource
{
    var files = extra
    for namespace in namespaces { files["schemas/\(namespace)/schema.json"] = cliSchema }
    for (path, text) in values { files["option-values/\(path)"] = text }
    return MemorySource(files)
}

func lint(_ source: MemorySource, namespaces: Set<String>? = nil) async throws -> LintReport {
    try await Linter(source: source).lint(namespaces: namespaces)
}

extension LintReport {
    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
    var lines: [String] {
        diagnostics.map { d in
            "\(d.file ?? "-")\(d.position.map { ":\($0)" } ?? ""): \(d.severity.rawValue): \(d.message) [\(d.code)]"
        }
    }
}

@Suite("Values tree layout and loading (catalogue §6.1)")
struct LinterTests {
    @Test("a linter asked to keep values hands every parsed file to the merge, in path order")
    func retainsValues() async throws {
        let source = tree(
            schemas: ["test", "other"],
            values: [
                "test/default/b.yaml": "options:\n  int_val: 2\n",
                "test/default/a.yaml": "options:\n  string_val: x\n",
                "test/us/a.yaml": "options:\n  int_val: 3\n",
                "other/default/a.yaml": "options: {}\n",
            ])
        let report = try await Linter(source: source, retainsValues: true).lint()
        #expect(report.errors.isEmpty)
        #expect(report.values.keys.sorted() == ["other", "test"])
        #expect(
            report.values["test"]?.map(\.file.path) == [
                "option-values/test/default/a.yaml", "option-values/test/default/b.yaml",
                "option-values/test/us/a.yaml",
            ])
        #expect(report.values["test"]?.first?.options.first?.key == "string_val")
        let plain = try await Linter(source: source).lint()
        #expect(plain.values.isEmpty)
    }

    @Test("a nonexistent schemas directory is an environment error (test_load_nonexistent_directory)")
    func nonexistent() async {
        await #expect(throws: SourceError.notFound("schemas")) {
            try await Linter(source: MemorySource([:])).lint()
        }
    }

    @Test("a missing values directory is an empty tree unless required")
    func missingValuesDirectory() async throws {
        let source = MemorySource(["schemas/test/schema.json": cliSchema])
        #expect(try await lint(source).diagnostics.isEmpty)
        await #expect(throws: SourceError.notFound("option-values")) {
            try await Linter(source: source, requiresValuesDirectory: true).lint()
        }
    }

    @Test("too few directory levels (test_invalid_directory_structure_too_few_levels)")
    func tooFewLevels() async throws {
        let report = try await lint(tree(values: ["options.yaml": "options:\n  key: value\n"]))
        #expect(
            report.lines == [
                "option-values/options.yaml: error: Invalid directory structure in options.yaml: expected namespace/target/file.yaml [invalid-layout]"
            ])
    }

    @Test("too many directory levels (test_invalid_directory_structure_too_many_levels)")
    func tooManyLevels() async throws {
        let report = try await lint(
            tree(values: [
                "test/default/extra_level/level/file.yaml": "options: {}\n", "test/default/ok.yaml": "options: {}\n",
            ]))
        #expect(report.errors.map(\.code) == [.invalidLayout])
        #expect(
            report.errors.first?.message.contains(
                "Invalid directory structure in test/default/extra_level/level/file.yaml") == true)
    }

    @Test(".yml is rejected (test_yml_extension_rejected)")
    func ymlRejected() async throws {
        let report = try await lint(
            tree(values: ["test/default/bad.yml": "options: {}\n", "test/default/ok.yaml": "options: {}\n"]))
        #expect(
            report.lines == [
                "option-values/test/default/bad.yml: error: Invalid file option-values/test/default/bad.yml: expected .yaml, found .yml [invalid-extension]"
            ])
    }

    @Test("non-YAML files are ignored, case variants warn (test_non_yaml_files_ignored)")
    func nonYAMLIgnored() async throws {
        let report = try await lint(
            tree(values: [
                "test/default/README.md": "# hi", "test/default/config.txt": "x",
                "test/default/valid.yaml": "options:\n  string_val: \"value\"\n",
                "test/default/.yaml": "junk: [", "test/default/UPPER.YAML": "junk: [", "README.md": "top",
            ]))
        #expect(report.errors.isEmpty)
        #expect(report.valuesFileCount == 1)
        #expect(
            report.lines == [
                "option-values/test/default/UPPER.YAML: warning: file ignored: only the lower-case '.yaml' extension is read, found '.YAML' [ignored-file]"
            ])
    }

    @Test("an empty file is an error (test_empty_yaml_file)")
    func emptyFile() async throws {
        let report = try await lint(tree(values: ["test/default/empty.yaml": ""]))
        #expect(report.errors.map(\.code) == [.invalidStructure])
        #expect(
            report.errors.first?.message
                == "Invalid YAML structure: file is empty; expected exactly one top level key 'options'")
    }

    @Test("invalid YAML syntax (test_invalid_yaml_syntax)")
    func invalidSyntax() async throws {
        let report = try await lint(tree(values: ["test/default/bad.yaml": "options:\n  key: [\n  invalid"]))
        #expect(report.errors.map(\.code) == [.yamlSyntax])
        #expect(report.errors.first?.message.hasPrefix("YAML parse error") == true)
        #expect(report.errors.first?.position != nil)
    }

    @Test(
        "the top level is exactly one options mapping (catalogue 8–10)",
        arguments: [
            (
                "settings:\n  key: value\n",
                #"Invalid YAML structure: expected top level key 'options', found ["settings"]"#, "1:1"
            ),
            (
                "options:\n  key: value\nextra:\n  other: value\n",
                #"Invalid YAML structure: expected exactly one top level key 'options', found ["options", "extra"]"#,
                "3:1"
            ),
            ("options: 12345\n", "Invalid YAML structure: expected 'options' to be a mapping, found integer", "1:10"),
            ("options:\n", "Invalid YAML structure: expected 'options' to be a mapping, found null", "1:9"),
            ("- a\n", "Invalid YAML structure: expected exactly one top level key 'options', found a array", "1:1"),
            ("{}\n", "Invalid YAML structure: expected exactly one top level key 'options', found []", "1:1"),
        ])
    func structure(text: String, message: String, position: String) async throws {
        let report = try await lint(tree(values: ["test/default/values.yaml": text]))
        #expect(report.errors.map(\.message) == [message])
        #expect(report.errors.first?.position.map(\.description) == position)
    }

    @Test("options: {} is valid")
    func emptyOptions() async throws {
        #expect(try await lint(tree(values: ["test/default/values.yaml": "options: {}\n"])).diagnostics.isEmpty)
    }

    @Test("valid namespaces, targets and files (catalogue 11, 12, 15)")
    func valid() async throws {
        let report = try await lint(
            tree(
                schemas: ["ns1", "ns2"],
                values: [
                    "ns1/default/base.yaml": "options:\n  string_val: \"value1\"\n  int_val: 42\n",
                    "ns2/default/a.yaml": "options:\n  int_val: 42\n",
                    "ns2/default/b.yaml": "options:\n  string_val: x\n",
                    "ns2/s4s/override.yaml":
                        "options:\n  string_val: \"overridden\"\n  float_val: 7.77\n  bool_val: true\n",
                ]))
        #expect(report.diagnostics.isEmpty)
        #expect(report.schemaCount == 2)
        #expect(report.valuesFileCount == 4)
    }

    @Test("files of a target are read in byte order of their paths (test_files_sorted_alphabetically)")
    func filesSorted() throws {
        let source = tree(values: [
            "test/default/z_file.yaml": "options: {}\n", "test/default/a_file.yaml": "options: {}\n",
            "test/default/m_file.yaml": "options: {}\n", "test/default/B_file.yaml": "options: {}\n",
        ])
        let walked = try ValuesWalker(source: source).walk(namespace: "test")
        #expect(
            walked.files.map(\.path) == [
                "option-values/test/default/B_file.yaml", "option-values/test/default/a_file.yaml",
                "option-values/test/default/m_file.yaml", "option-values/test/default/z_file.yaml",
            ])
    }

    @Test("values of every scalar type load as their type (test_various_value_types)")
    func variousTypes() async throws {
        let source = tree(values: [
            "test/default/v.yaml":
                "options:\n  string_val: \"hello\"\n  int_val: 42\n  float_val: 7.77\n  bool_val: true\n"
        ])
        #expect(try await lint(source).diagnostics.isEmpty)
        let document = YAMLLoader.load(
            Array("options:\n  string_val: \"hello\"\n  int_val: 42\n  float_val: 7.77\n  bool_val: true\n".utf8))
        let options = try #require(document.root?["options"])
        #expect(options["string_val"]?.kindName == "string")
        #expect(options["int_val"]?.kindName == "integer")
        #expect(options["float_val"]?.kindName == "number")
        #expect(options["bool_val"]?.kindName == "boolean")
    }

    @Test("the same key in two files of one target (test_duplicate_keys_in_same_target)")
    func duplicateAcrossFiles() async throws {
        let report = try await lint(
            tree(values: [
                "test/default/file1.yaml": "options:\n  string_val: value1\n",
                "test/default/file2.yaml": "options:\n  string_val: value2\n",
            ]))
        #expect(
            report.lines == [
                "option-values/test/default/file2.yaml:2:3: error: Duplicate key 'string_val' found in option-values/test/default/file1.yaml and option-values/test/default/file2.yaml [duplicate-option]"
            ])
        let note = try #require(report.diagnostics.first?.notes.first)
        #expect(note.file == "option-values/test/default/file1.yaml")
        #expect(note.position == SourcePosition(line: 2, column: 3))
    }

    @Test("the same key in default and a target is an override, not a duplicate")
    func overrideIsNotDuplicate() async throws {
        let report = try await lint(
            tree(values: [
                "test/default/v.yaml": "options:\n  int_val: 1\n", "test/us/v.yaml": "options:\n  int_val: 2\n",
            ]))
        #expect(report.diagnostics.isEmpty)
    }

    @Test("a namespace needs a default target (test_namespace_missing_default_target)")
    func missingDefault() async throws {
        let report = try await lint(tree(values: ["test/s4s/base.yaml": "options: {}\n"]))
        #expect(
            report.lines == [
                "option-values/test: error: Namespace 'test' is missing required 'default' target [missing-default-target]"
            ])
    }

    @Test("values for a namespace without schema (test_unknown_namespace_rejected)")
    func unknownNamespace() async throws {
        let report = try await lint(
            tree(
                schemas: [], values: ["unknown_ns/default/base.yaml": "options: {}\n"],
                extra: ["schemas/README.md": "x"]))
        #expect(report.errors.map(\.code) == [.unknownNamespace])
        #expect(
            report.errors.first?.message
                == "Unknown namespace 'unknown_ns' in file option-values/unknown_ns/default/base.yaml. No schema found for this namespace."
        )
    }

    @Test("target names must be DNS labels")
    func targetNames() async throws {
        let report = try await lint(
            tree(values: ["test/default/v.yaml": "options: {}\n", "test/US_East/v.yaml": "options: {}\n"]))
        #expect(
            report.errors.map(\.message) == [
                "Invalid target name 'US_East': character 'U' not allowed. Use lowercase alphanumeric or '-'"
            ])
    }

    @Test("schema namespace directories must be DNS labels; plain files are skipped")
    func schemaNames() async throws {
        let source = MemorySource([
            "schemas/Bad_Name/schema.json": cliSchema, "schemas/notes.txt": "x",
            "schemas/empty/README": "no schema here",
        ])
        let report = try await lint(source)
        #expect(
            report.lines == [
                "schemas/Bad_Name: error: Invalid namespace name 'Bad_Name': character 'B' not allowed. Use lowercase alphanumeric or '-' [invalid-name]",
                "schemas/empty/schema.json: error: Failed to read file: namespace directory 'empty' has no schema.json [missing-schema]",
            ])
    }

    @Test("schema JSON errors point into schema.json")
    func schemaSyntax() async throws {
        let source = MemorySource(["schemas/test/schema.json": "{\"version\": \"1.0\",\n \"type\": \"object\",,}"])
        let report = try await lint(source)
        #expect(
            report.lines == [
                "schemas/test/schema.json:2:19: error: Failed to parse JSON: key must be a string [json-syntax]"
            ])
    }

    @Test("values of a namespace whose schema is broken get YAML checks only, and no unknown-namespace error")
    func brokenSchema() async throws {
        let source = MemorySource([
            "schemas/test/schema.json": #"{"version": "1", "type": "object", "properties": {}}"#,
            "option-values/test/default/v.yaml": "options:\n  anything: 1\n  anything: 2\n",
        ])
        let report = try await lint(source)
        #expect(report.errors.map(\.code) == [.duplicateKey, .invalidSchema])
    }

    @Test("type errors point at the offending value, with the reference's wording")
    func valueLocations() async throws {
        let report = try await lint(
            tree(values: [
                "test/default/values.yaml":
                    "options:\n  string_val: ok\n  int_val: \"fast\"\n  bool_val: yes\n  float_val: 1.5\n"
            ]))
        #expect(
            report.lines == [
                #"option-values/test/default/values.yaml:3:12: error: 'int_val': "fast" is not of type "integer" [type-mismatch]"#,
                #"option-values/test/default/values.yaml:4:13: error: 'bool_val': "yes" is not of type "boolean" [type-mismatch]"#,
            ])
    }

    @Test("unknown options warn with a suggestion, and --strict makes them errors")
    func unknownOptions() async throws {
        let report = try await lint(tree(values: ["test/default/values.yaml": "options:\n  int_vla: 1\n  zzz: 2\n"]))
        #expect(
            report.lines == [
                "option-values/test/default/values.yaml:2:3: warning: Ignoring unknown option 'int_vla': namespace 'test' does not declare it; did you mean 'int_val'? [unknown-option]",
                "option-values/test/default/values.yaml:3:3: warning: Ignoring unknown option 'zzz': namespace 'test' does not declare it (expected during deployments when values are updated before schemas) [unknown-option]",
            ])
        #expect(report.errorCount == 0)
        #expect(report.strict().errorCount == 2)
    }

    @Test("each file is validated on its own; every error in the tree is reported in one run, sorted")
    func everyError() async throws {
        let report = try await lint(
            tree(
                schemas: ["a", "b"],
                values: [
                    "b/default/v.yaml": "options:\n  int_val: x\n",
                    "a/default/v.yaml": "options:\n  bool_val: 1\n  int_val: 1.5\n",
                    "a/us/v.yaml": "options:\n  string_val: 3\n",
                ]))
        #expect(
            report.errors.map { "\($0.file!):\($0.position!)" } == [
                "option-values/a/default/v.yaml:2:13", "option-values/a/default/v.yaml:3:12",
                "option-values/a/us/v.yaml:2:15",
                "option-values/b/default/v.yaml:2:12",
            ])
    }

    @Test("linting some namespaces reads only those")
    func scoped() async throws {
        let source = tree(
            schemas: ["a", "b"],
            values: ["a/default/v.yaml": "options:\n  int_val: x\n", "b/default/v.yaml": "options:\n  int_val: y\n"])
        let report = try await lint(source, namespaces: ["b"])
        #expect(report.errors.map(\.file) == ["option-values/b/default/v.yaml"])
        #expect(report.schemaCount == 1)
        let none = try await lint(source, namespaces: ["c"])
        #expect(none.diagnostics.isEmpty)
    }

    @Test("feature flags in values are checked against the Feature definition")
    func featureValues() async throws {
        let source = MemorySource([
            "schemas/test/schema.json":
                ##"{"version": "1.0", "type": "object", "properties": {"feature.organizations:x": {"$ref": "#/definitions/Feature"}}}"##,
            "option-values/test/default/v.yaml": """
            options:
              feature.organizations:x:
                owner: {team: t}
                created_at: "2024-01-01"
                segments:
                  - name: s
                    rollout: 150
                    conditions: []
            """,
        ])
        let report = try await lint(source)
        #expect(
            report.lines == [
                "option-values/test/default/v.yaml:7:18: error: 'feature.organizations:x/segments/0/rollout': 150 is greater than the maximum of 100 [invalid-value]"
            ])
    }
}

@Suite("Change scope (pre-commit paths)")
struct ChangeScopeTests {
    @Test("maps changed files to namespaces; other files are ignored")
    func namespaces() {
        let scope = ChangeScope.namespaces(
            touchedBy: [
                "option-values/seer/us/values.yaml", "schemas/relay/schema.json", "/repo/README.md", "ci/x",
                "./option-values/../option-values/snuba/default/a.yaml", "/repo/schemas/x.md/../billing/schema.json",
                "schemas/README.md",
            ],
            schemasDirectory: "/repo/schemas", valuesDirectory: "/repo/option-values", currentDirectory: "/repo")
        #expect(scope == ["seer", "relay", "snuba", "billing", "README.md"])
    }

    @Test("normalises paths lexically")
    func absolute() {
        #expect(ChangeScope.absolute("a/./b/../c", from: "/x/y") == "/x/y/a/c")
        #expect(ChangeScope.absolute("/a//b/", from: "/x") == "/a/b")
        #expect(ChangeScope.relative("/x/y/z", to: "/x") == "y/z")
        #expect(ChangeScope.relative("/q/z", to: "/x") == "/q/z")
    }
}
