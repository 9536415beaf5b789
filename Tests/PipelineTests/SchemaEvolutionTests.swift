import OptionsSchema
import Testing

@testable import Pipeline

/// A schema for `namespace` whose `properties` are `properties` (JSON text).
func evolutionSchema(_ properties: String, namespace: String = "test") throws -> NamespaceSchema {
    let text = #"{"version": "1.0", "type": "object", "properties": {"# + properties + "}}"
    let result = try SchemaParser.parse(json: Array(text.utf8), namespace: namespace)
    #expect(result.issues.isEmpty, "\(result.issues.map(\.message))")
    return try #require(result.schema)
}

/// The forbidden messages of the change from `old` to `new` (namespace `test`, properties JSON text).
func violations(_ old: String, _ new: String) throws -> [String] {
    try changes(old, new).filter(\.isForbidden).map(\.message)
}

func changes(_ old: String, _ new: String) throws -> [SchemaChange] {
    SchemaEvolution.compare(base: ["test": try evolutionSchema(old)], head: ["test": try evolutionSchema(new)])
}

let key1String = #""key1": {"type": "string", "default": "test", "description": "d"}"#

@Suite("Schema evolution (reference §4, catalogue §6.3)")
struct SchemaEvolutionTests {
    @Test("identical schemas pass (test_identical_schemas_pass, test_multiple_namespaces)")
    func identical() throws {
        #expect(try changes(key1String, key1String).isEmpty)
        let a = try evolutionSchema(key1String, namespace: "test-ns1")
        let b = try evolutionSchema(
            #""key2": {"type": "boolean", "default": true, "description": "d"}"#, namespace: "test-ns2")
        #expect(
            SchemaEvolution.compare(base: ["test-ns1": a, "test-ns2": b], head: ["test-ns1": a, "test-ns2": b]).isEmpty)
    }

    @Test("a removed namespace is forbidden (test_removed_namespace_fails)")
    func removedNamespace() throws {
        let result = SchemaEvolution.compare(base: ["test": try evolutionSchema(key1String)], head: [:])
        #expect(result.filter(\.isForbidden).map(\.message) == ["Namespace 'test' was removed"])
        #expect(result.map(\.logLine) == ["- Namespace:\t test"])
    }

    @Test("a removed option is allowed and reported (test_removed_option_passes)")
    func removedOption() throws {
        let result = try changes(
            key1String + #", "key2": {"type": "integer", "default": 42, "description": "d"}"#, key1String)
        #expect(result.map(\.kind) == [.optionRemoved])
        #expect(result.allSatisfy { !$0.isForbidden })
        #expect(result.first?.isInBase == true && result.first?.position?.line == 1)
    }

    @Test("a type change is forbidden and changes the default too: 2 errors (test_type_change_fails)")
    func typeChange() throws {
        let found = try violations(key1String, #""key1": {"type": "integer", "default": 42, "description": "d"}"#)
        #expect(
            found == [
                "Option 'test.key1' type changed from 'string' to 'integer'",
                "Option 'test.key1' default value changed from \"test\" to 42",
            ])
    }

    @Test(
        "integer to number is a type change, and 42 → 42.0 a default change (test_integer_to_number_type_change_fails)")
    func integerToNumber() throws {
        let found = try violations(
            #""key1": {"type": "integer", "default": 42, "description": "d"}"#,
            #""key1": {"type": "number", "default": 42.0, "description": "d"}"#)
        #expect(
            found == [
                "Option 'test.key1' type changed from 'integer' to 'number'",
                "Option 'test.key1' default value changed from 42 to 42.0",
            ])
    }

    @Test("array items type change is forbidden (test_array_items_type_change_fails)")
    func itemsType() throws {
        let found = try violations(
            #""array-key": {"type": "array", "items": {"type": "integer"}, "default": [1, 2, 3], "description": "d"}"#,
            #""array-key": {"type": "array", "items": {"type": "string"}, "default": ["a", "b", "c"], "description": "d"}"#
        )
        #expect(found.contains("Option 'test.array-key' array items type changed from 'integer' to 'string'"))
    }

    @Test("object shape changes are forbidden; the same shape passes (test_object_shape_change_fails, …_identical_…)")
    func objectShape() throws {
        let before =
            #""config": {"type": "object", "properties": {"host": {"type": "string"}, "port": {"type": "integer"}}, "default": {"host": "localhost", "port": 8080}, "description": "d"}"#
        let after =
            #""config": {"type": "object", "properties": {"host": {"type": "string"}, "port": {"type": "string"}}, "default": {"host": "localhost", "port": "8080"}, "description": "d"}"#
        let found = try violations(before, after)
        #expect(found.contains { $0.contains("object shape was modified") && $0.contains("'port'") })
        #expect(try changes(before, before).isEmpty)
    }

    @Test("array-of-object shape change is forbidden (test_array_of_objects_shape_change_fails)")
    func arrayOfObjects() throws {
        let before =
            #""endpoints": {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}}}, "default": [], "description": "d"}"#
        let after =
            #""endpoints": {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer"}, "enabled": {"type": "boolean"}}}, "default": [], "description": "d"}"#
        let found = try violations(before, after)
        #expect(found.contains { $0.contains("array item object shape was modified") })
    }

    @Test("a default change is forbidden, with both values (test_default_value_change_fails)")
    func defaultChange() throws {
        let found = try violations(
            #""key1": {"type": "string", "default": "old-value", "description": "d"}"#,
            #""key1": {"type": "string", "default": "new-value", "description": "d"}"#)
        #expect(found == [#"Option 'test.key1' default value changed from "old-value" to "new-value""#])
    }

    @Test("added namespaces and options pass (test_added_namespace_passes, test_added_option_passes)")
    func additions() throws {
        let added = try changes(
            key1String, key1String + #", "key2": {"type": "integer", "default": 42, "description": "d"}"#)
        #expect(added.map(\.kind) == [.optionAdded] && added.allSatisfy { !$0.isForbidden })
        let test = try evolutionSchema(key1String)
        let new = try evolutionSchema(key1String, namespace: "test-new")
        let result = SchemaEvolution.compare(base: ["test": test], head: ["test": test, "test-new": new])
        #expect(result.map(\.logLine) == ["+ Namespace:\t test-new", "+ Option:\t test-new.key1"])
        #expect(result.allSatisfy { !$0.isForbidden })
    }

    @Test(
        "namespace names must be the repository or start with it and a dash (test_namespace_prefix_*)",
        arguments: [("myrepo", true), ("myrepo-testing", true), ("other-testing", false), ("testing", false)])
    func prefix(name: String, valid: Bool) throws {
        let schema = try evolutionSchema(key1String, namespace: name)
        let result = SchemaEvolution.compare(base: [:], head: [name: schema], repository: "myrepo")
        let errors = result.filter(\.isForbidden).map(\.message)
        #expect(errors.isEmpty == valid)
        if !valid { #expect(errors.first?.contains("is invalid. Expected either 'myrepo' or 'myrepo-*'") == true) }
    }

    @Test("blind spot closed: a dict's value type change is forbidden")
    func dictValueType() throws {
        let found = try violations(
            #""limits": {"type": "object", "additionalProperties": {"type": "integer"}, "default": {}, "description": "d"}"#,
            #""limits": {"type": "object", "additionalProperties": {"type": "string"}, "default": {}, "description": "d"}"#
        )
        #expect(found == ["Option 'test.limits' dict value type changed from 'integer' to 'string'"])
    }

    @Test("blind spot closed: changes below items (arrays of arrays, arrays of dicts) are forbidden")
    func belowItems() throws {
        let nested = try violations(
            #""grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}, "default": [], "description": "d"}"#,
            #""grid": {"type": "array", "items": {"type": "array", "items": {"type": "string"}}, "default": [], "description": "d"}"#
        )
        #expect(nested == ["Option 'test.grid' array items type changed from 'array<integer>' to 'array<string>'"])
        let dicts = try violations(
            #""rows": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "integer"}}, "default": [], "description": "d"}"#,
            #""rows": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "boolean"}}, "default": [], "description": "d"}"#
        )
        #expect(dicts.count == 1 && dicts[0].contains("array item object shape was modified"))
    }

    @Test(
        "deliberately looser: an added optional struct field is allowed; a required one, a removed one or a flipped flag is not"
    )
    func optionalField() throws {
        let base =
            #""cfg": {"type": "object", "properties": {"host": {"type": "string"}}, "default": {"host": "h"}, "description": "d"}"#
        let optional =
            #""cfg": {"type": "object", "properties": {"host": {"type": "string"}, "tls": {"type": "boolean", "optional": true}}, "default": {"host": "h"}, "description": "d"}"#
        let allowed = try changes(base, optional)
        #expect(allowed.map(\.kind) == [.optionalFieldAdded] && allowed.allSatisfy { !$0.isForbidden })
        #expect(allowed.first?.message == "Option 'test.cfg' gained optional field 'tls'")
        let required =
            #""cfg": {"type": "object", "properties": {"host": {"type": "string"}, "tls": {"type": "boolean"}}, "default": {"host": "h", "tls": true}, "description": "d"}"#
        #expect(try violations(base, required).contains { $0.contains("required field 'tls' added") })
        #expect(try violations(optional, base).contains { $0.contains("field 'tls' removed") })
        let flipped =
            #""cfg": {"type": "object", "properties": {"host": {"type": "string", "optional": true}}, "default": {"host": "h"}, "description": "d"}"#
        #expect(try violations(base, flipped).contains { $0.contains("field 'host' became optional") })
    }

    @Test("feature flags added and removed are reported and allowed")
    func featureFlags() throws {
        let flag = ##""feature.organizations:new": {"$ref": "#/definitions/Feature"}"##
        let added = try changes(key1String, key1String + ", " + flag)
        #expect(added.map(\.kind) == [.featureFlagAdded] && !added[0].isForbidden)
        let removed = try changes(key1String + ", " + flag, key1String)
        #expect(removed.map(\.kind) == [.featureFlagRemoved] && removed[0].isInBase)
    }

    @Test("descriptions and versions may change freely")
    func descriptions() throws {
        #expect(
            try changes(key1String, #""key1": {"type": "string", "default": "test", "description": "better words"}"#)
                .isEmpty)
    }
}
