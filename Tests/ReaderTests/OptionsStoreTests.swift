import Foundation
import OptionsSchema
import Reader
import Testing

/// A scratch options directory: `schemas/<ns>/schema.json` and `values/<ns>/values.json` files.
struct OptionsDirectory {
    let url: URL
    var path: String { url.path }

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-reader-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func write(_ relative: String, _ text: String) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }

    func schema(_ namespace: String, _ properties: String) throws {
        try write(
            "schemas/\(namespace)/schema.json",
            #"{"version": "1.0", "type": "object", "properties": {"# + properties + "}}")
    }

    func values(_ namespace: String, _ options: String) throws {
        try write(
            "values/\(namespace)/values.json",
            #"{"generated_at": "2026-01-14T00:00:00+00:00", "options": "# + options + "}")
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

let boolSchema = #""enabled": {"type": "boolean", "default": false, "description": "x"}"#

@Suite("Reader: building a store and reading (reference §5.1–5.4, catalogue §6.8)")
struct OptionsStoreTests {
    @Test("a set value; a default when unset (test_get_value, test_get_default)")
    func values() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test", boolSchema + #", "timeout": {"type": "integer", "default": 30, "description": "x"}"#)
        try directory.values("test", #"{"enabled": true}"#)
        let test = try OptionsStore(directory: directory.path).namespace("test")
        #expect(try test.bool("enabled") == true)
        #expect(try test.int("timeout") == 30)
        #expect(try test.value("timeout") == .integer(30))
        #expect(try test.generatedAt == "2026-01-14T00:00:00+00:00")
    }

    @Test("values(): every option, set or default, and the flags set; a key repeated in values.json: the last wins")
    func allValues() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test",
            boolSchema + #", "timeout": {"type": "integer", "default": 30, "description": "x"}, "#
                + ##""feature.on": {"$ref": "#/definitions/Feature"}, "feature.off": {"$ref": "#/definitions/Feature"}"##
        )
        let flag = #"{"owner": {"team": "t"}, "created_at": "2024-01-01", "enabled": true, "segments": []}"#
        try directory.values("test", #"{"timeout": 5, "feature.on": \#(flag), "timeout": 7}"#)
        let test = try OptionsStore(directory: directory.path).namespace("test")
        let values = try test.values()
        #expect(Set(values.keys) == ["enabled", "timeout", "feature.on"])
        #expect(values["enabled"] == .bool(false) && values["timeout"] == .integer(7))
        #expect(try test.int("timeout") == 7 && test.isSet("timeout") && !test.isSet("enabled"))
        #expect(try test.isSet("feature.on") && !test.isSet("feature.off"))
        #expect(try test.value("feature.on") == values["feature.on"])
        guard case .object(let on) = try test.value("feature.on") else {
            Issue.record("a flag's value is an object")
            return
        }
        #expect(on["enabled"] == .bool(true))
    }

    @Test("unknown namespace and unknown option are distinct errors with the reference's messages")
    func unknown() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", boolSchema)
        let store = try OptionsStore(directory: directory.path)
        #expect(throws: OptionsError.unknownNamespace("unknown")) { try store.namespace("unknown") }
        #expect(OptionsError.unknownNamespace("unknown").description == "Unknown namespace: unknown")
        let test = try store.namespace("test")
        #expect(throws: OptionsError.unknownOption(namespace: "test", key: "key")) { try test.value("key") }
        #expect(
            OptionsError.unknownOption(namespace: "test", key: "key").description
                == "Unknown option 'key' in namespace 'test'")
    }

    @Test("no values directory at all: defaults (test_missing_values_dir)")
    func missingValues() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", #""name": {"type": "string", "default": "default_val", "description": "x"}"#)
        #expect(try OptionsStore(directory: directory.path).namespace("test").string("name") == "default_val")
    }

    @Test(
        "isSet: set, default in use, undeclared, and a feature flag without value (isset_with_defined_and_undefined_keys)"
    )
    func isSet() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test",
            ##""has-value": {"type": "string", "default": "", "description": "x"}, "defined-with-default": {"type": "string", "default": "d", "description": "x"}, "feature.organizations:my-flag": {"$ref": "#/definitions/Feature"}"##
        )
        try directory.values("test", #"{"has-value": "yes"}"#)
        let test = try OptionsStore(directory: directory.path).namespace("test")
        #expect(throws: OptionsError.unknownOption(namespace: "test", key: "not-defined")) {
            try test.isSet("not-defined")
        }
        #expect(try test.isSet("defined-with-default") == false)
        #expect(try test.isSet("has-value") == true)
        #expect(try test.isSet("feature.organizations:my-flag") == false)
        #expect(throws: OptionsError.unknownOption(namespace: "test", key: "feature.organizations:my-flag")) {
            try test.value("feature.organizations:my-flag")
        }
    }

    @Test("schemas in memory add to the disk; a namespace on both is an error (test_with_additional_schemas_*)")
    func additionalSchemas() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("disk", boolSchema)
        try directory.values("disk", #"{"enabled": true}"#)
        try directory.values("mem", #"{"enabled": true}"#)
        let schemaText = #"{"version": "1.0", "type": "object", "properties": {"# + boolSchema + "}}"
        let store = try OptionsStore(directory: directory.path, additionalSchemas: ["mem": schemaText])
        #expect(try store.namespace("disk").bool("enabled"))
        #expect(try store.namespace("mem").bool("enabled"))
        #expect(store.namespaceNames == ["disk", "mem"])
        #expect(throws: OptionsError.schema("Schema error in <embedded>: Duplicate namespace 'disk'")) {
            try OptionsStore(directory: directory.path, additionalSchemas: ["disk": schemaText])
        }
        #expect(throws: OptionsError.self) {
            try OptionsStore(directory: directory.path, additionalSchemas: ["bad": "not valid json"])
        }
    }

    @Test("an invalid values file fails construction with the reference's wording")
    func invalidValues() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", boolSchema)
        try directory.write("values/test/values.json", #"{"generated_at": "x"}"#)
        #expect(throws: OptionsError.schema("Value error for test: values.json must have an 'options' key")) {
            try OptionsStore(directory: directory.path)
        }
        try directory.write("values/test/values.json", #"{"options": []}"#)
        #expect(throws: OptionsError.schema("Value error for test: \n\t [] is not of type \"object\"")) {
            try OptionsStore(directory: directory.path)
        }
        try directory.write("values/test/values.json", #"{"options": {"enabled": "yes"}}"#)
        do {
            _ = try OptionsStore(directory: directory.path)
            Issue.record("a string for a boolean must fail")
        } catch {
            #expect(error.description.hasPrefix("Value error for test: "))
            #expect(error.description.contains("values/test/values.json:1:25"))
        }
        // The first bad value in document order is reported, with its path inside the option.
        try directory.schema(
            "test",
            boolSchema + #", "tags": {"type": "array", "items": {"type": "string"}, "default": [], "description": "x"}"#
        )
        try directory.write(
            "values/test/values.json", #"{"options": {"enabled": true, "tags": ["a", 2, 3], "enabled": 0}}"#)
        #expect(
            throws: OptionsError.schema(
                #"Value error for test: 'tags/1': 2 is not of type "string" (\#(directory.path)/values/test/values.json:1:45)"#
            )
        ) { try OptionsStore(directory: directory.path) }
        // A key written with escapes is the same key.
        try directory.write("values/test/values.json", #"{"options": {"en\u0061bled": true, "t\u0061gs": ["x"]}}"#)
        let escaped = try OptionsStore(directory: directory.path).namespace("test")
        #expect(try escaped.bool("enabled") && escaped.strings("tags") == ["x"])
        try directory.write("values/test/values.json", #"{"options": {"enabled": true, "stale": 1}}"#)
        #expect(try OptionsStore(directory: directory.path).namespace("test").bool("enabled"), "unknown keys dropped")
        try directory.write("values/test/values.json", "{not json")
        #expect(throws: OptionsError.self) { try OptionsStore(directory: directory.path) }
    }

    @Test("typed reads of another type say what was found")
    func typed() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test",
            #""n": {"type": "number", "default": 1, "description": "x"}, "tags": {"type": "array", "items": {"type": "string"}, "default": ["a", "b"], "description": "x"}, "ids": {"type": "array", "items": {"type": "integer"}, "default": [1, 2], "description": "x"}"#
        )
        let test = try OptionsStore(directory: directory.path).namespace("test")
        #expect(try test.double("n") == 1.0)
        #expect(try test.strings("tags") == ["a", "b"])
        #expect(try test.ints("ids") == [1, 2])
        #expect(throws: OptionsError.typeMismatch(namespace: "test", key: "tags", expected: "string", found: "array")) {
            try test.string("tags")
        }
        #expect(
            OptionsError.typeMismatch(namespace: "test", key: "tags", expected: "string", found: "array").description
                == "Option 'tags' in namespace 'test' is an array, not a string")
    }

    @Test("the directory comes from SENTRY_OPTIONS_DIR when set, even empty (§5.1)")
    func resolution() throws {
        setenv("SENTRY_OPTIONS_DIR", "/some/where", 1)
        #expect(OptionsStore.resolvedDirectory() == "/some/where")
        setenv("SENTRY_OPTIONS_DIR", "", 1)
        #expect(OptionsStore.resolvedDirectory() == "")
        unsetenv("SENTRY_OPTIONS_DIR")
        #expect(
            OptionsStore.resolvedDirectory()
                == (access("/etc/sentry-options", F_OK) == 0 ? "/etc/sentry-options" : "sentry-options"))
    }
}

@Suite("Reader: Decodable options")
struct DecodingTests {
    struct Endpoint: Decodable, Equatable {
        var url: String
        var weight: Int
        var enabled: Bool?
    }

    @Test("structs, arrays of structs and dicts decode; a mismatch names the part")
    func decode() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test",
            #""endpoints": {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}, "enabled": {"type": "boolean", "optional": true}}}, "default": [], "description": "x"}, "limits": {"type": "object", "additionalProperties": {"type": "integer"}, "default": {"a": 1}, "description": "x"}, "ratio": {"type": "number", "default": 0.5, "description": "x"}"#
        )
        try directory.values(
            "test",
            #"{"endpoints": [{"url": "http://a", "weight": 90, "enabled": true}, {"url": "http://b", "weight": 10}]}"#)
        let test = try OptionsStore(directory: directory.path).namespace("test")
        #expect(
            try test.decode([Endpoint].self, "endpoints") == [
                Endpoint(url: "http://a", weight: 90, enabled: true),
                Endpoint(url: "http://b", weight: 10, enabled: nil),
            ])
        #expect(try test.decode([String: Int].self, "limits") == ["a": 1])
        #expect(try test.decode(Double.self, "ratio") == 0.5)
        do {
            _ = try test.decode([String: String].self, "limits")
            Issue.record("integers are not strings")
        } catch {
            #expect(
                error.description
                    == "Option 'limits.a' in namespace 'test' cannot be read as Dictionary<String, String>: expected a string, found integer"
            )
        }
    }
}

@Suite("Reader: lazy loading")
struct LazyLoadingTests {
    @Test("a bad namespace fails construction when eager, and only its own first read when lazy")
    func badNamespace() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("good", boolSchema)
        try directory.values("good", #"{"enabled": true}"#)
        try directory.schema("bad", boolSchema)
        try directory.values("bad", #"{"enabled": "yes"}"#)
        #expect(throws: OptionsError.self) { try OptionsStore(directory: directory.path) }
        let store = try OptionsStore(directory: directory.path, loading: .lazy)
        #expect(store.namespaceNames == ["bad", "good"])
        #expect(try store.namespace("good").bool("enabled"))
        #expect(throws: OptionsError.self) { try store.namespace("bad") }
        #expect(throws: OptionsError.unknownNamespace("none")) { try store.namespace("none") }
    }

    @Test("many tasks reading a lazy namespace at once all see the same values")
    func concurrentFirstUse() async throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        for index in 0..<20 {
            try directory.schema(
                "ns\(index)", boolSchema + #", "n": {"type": "integer", "default": 0, "description": "x"}"#)
            try directory.values("ns\(index)", #"{"n": \#(index)}"#)
        }
        let store = try OptionsStore(directory: directory.path, loading: .lazy)
        let sums = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    var sum = 0
                    for index in 0..<20 { sum += (try? store.namespace("ns\(index)").int("n")) ?? -1000 }
                    return sum
                }
            }
            var all: [Int] = []
            for await sum in group { all.append(sum) }
            return all
        }
        #expect(sums == Array(repeating: 190, count: 16))
    }
}

@Suite("Reader: a directory exactly as sentry-options lays it out")
struct ReferenceLayoutTests {
    @Test("the byte-exact payload of sentry-options-cli write (§1.3), mounted as the kubelet mounts a ConfigMap")
    func referencePayload() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        // The F-CLI schema (§6.0), as the CLI's tests write it.
        try directory.write(
            "schemas/myns/schema.json",
            #"{"version":"1.0","type":"object","properties":{"string_val":{"type":"string","default":"","description":"test"},"int_val":{"type":"integer","default":0,"description":"test"},"float_val":{"type":"number","default":0.0,"description":"test"},"bool_val":{"type":"boolean","default":false,"description":"test"}}}"#
        )
        // Compact, sorted, no trailing newline: the reference's own example payload, in a `..data` directory.
        try directory.write(
            "values/myns/..2026_01_21_00_00_00.123/values.json",
            #"{"generated_at":"2026-01-21T00:00:00Z","options":{"bool_val":true,"int_val":1,"string_val":"z"}}"#)
        let mount = directory.url.appendingPathComponent("values/myns")
        try FileManager.default.createSymbolicLink(
            atPath: mount.appendingPathComponent("..data").path, withDestinationPath: "..2026_01_21_00_00_00.123")
        try FileManager.default.createSymbolicLink(
            atPath: mount.appendingPathComponent("values.json").path, withDestinationPath: "..data/values.json")
        let options = try OptionsStore(directory: directory.path).namespace("myns")
        #expect(try options.bool("bool_val") == true)
        #expect(try options.int("int_val") == 1)
        #expect(try options.string("string_val") == "z")
        #expect(try options.value("float_val") == .double(0.0))
        #expect(try options.isSet("float_val") == false && options.isSet("int_val") == true)
        #expect(try options.generatedAt == "2026-01-21T00:00:00Z")
    }
}
