import Foundation
import OptionsSchema
import Reader
import Testing

/// The reference's F-TESTING fixture (§6.0): a few options of each type and four feature flags.
func testingStore() throws -> (OptionsStore, OptionsDirectory) {
    let directory = try OptionsDirectory()
    try directory.schema(
        "sentry-options-testing",
        #"""
        "float-option": {"type": "number", "default": 0.0, "description": "x"},
        "int-option": {"type": "integer", "default": 0, "description": "x"},
        "bool-option": {"type": "boolean", "default": false, "description": "x"},
        "string-option": {"type": "string", "default": "default", "description": "x"},
        "object-option": {"type": "object", "properties": {"host": {"type": "string"}, "port": {"type": "integer"}},
                          "default": {"host": "localhost", "port": 8080}, "description": "x"},
        "feature.organizations:enabled-feature": {"$ref": "#/definitions/Feature"},
        "feature.organizations:disabled-feature": {"$ref": "#/definitions/Feature"}
        """#)
    let owner = #""owner": {"team": "test-team"}, "created_at": "2024-01-01""#
    try directory.write(
        "values/sentry-options-testing/values.json",
        #"{"options": {"float-option": 1.2, "int-option": 123, "bool-option": false, "#
            + #""feature.organizations:enabled-feature": {"# + owner
            + #", "segments": [{"name": "s", "rollout": 100, "conditions": [{"property": "organization_id", "operator": "in", "value": [123, 456]}]}]}, "#
            + #""feature.organizations:disabled-feature": {"# + owner
            + #", "enabled": false, "segments": [{"name": "s", "rollout": 100, "conditions": [{"property": "organization_id", "operator": "in", "value": [123]}]}]}"#
            + "}}")
    return (try OptionsStore(directory: directory.path), directory)
}

let testing = "sentry-options-testing"

@Suite("Reader: test overrides (reference §5.10, catalogue §6.10–6.11)")
struct OverrideTests {
    @Test("an override is read in its scope and restored after it (test_override_options_restores_on_drop)")
    func scoped() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        let options = try store.namespace(testing)
        #expect(try options.int("int-option") == 123)
        try store.withOverrides([testing: ["int-option": .integer(999)]]) { () throws in
            #expect(try options.int("int-option") == 999)
            #expect(try options.isSet("bool-option") == true, "isSet does not see overrides")
        }
        #expect(try options.int("int-option") == 123)
    }

    @Test(
        "nested scopes add to the outer one and unwind in order (test_nested_overrides, test_override_options_nested_guards)"
    )
    func nested() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        let options = try store.namespace(testing)
        try store.withOverrides([testing: ["int-option": .integer(200), "string-option": .string("outer")]]) {
            () throws in
            try store.withOverrides([testing: ["int-option": .integer(300)]]) { () throws in
                #expect(try options.int("int-option") == 300)
                #expect(try options.string("string-option") == "outer")
            }
            #expect(try options.int("int-option") == 200)
        }
        #expect(try options.int("int-option") == 123)
        #expect(try options.string("string-option") == "default")
    }

    @Test("several overrides at once; valid values of each type are accepted (catalogue §6.11 #7, #8)")
    func multiple() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        let options = try store.namespace(testing)
        try store.withOverrides([
            testing: [
                "bool-option": .bool(true), "int-option": .integer(1000), "float-option": .double(0.9),
                "string-option": .string("test-name"),
                "object-option": .object(["host": .string("h"), "port": .integer(1)]),
            ]
        ]) { () throws in
            #expect(try options.bool("bool-option") == true)
            #expect(try options.int("int-option") == 1000)
            #expect(try options.double("float-option") == 0.9)
            #expect(try options.string("string-option") == "test-name")
        }
        #expect(try options.bool("bool-option") == false)
        #expect(try options.double("float-option") == 1.2)
    }

    @Test(
        "bad overrides are rejected before any applies (catalogue §6.11 #3–6, #9)",
        arguments: [
            (["unknown_namespace": ["key": JSONValue.bool(true)]], OptionsError.unknownNamespace("unknown_namespace")),
            (
                [testing: ["nonexistent-key": .bool(true)]],
                OptionsError.unknownOption(namespace: testing, key: "nonexistent-key")
            ),
            (
                [testing: ["bool-option": .bool(true), "int-option": .string("invalid")]],
                OptionsError.schema(
                    #"Value error for sentry-options-testing: 'int-option': "invalid" is not of type "integer""#)
            ),
        ])
    func rejected(_ overrides: [String: [String: JSONValue]], _ expected: OptionsError) throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        var ran = false
        #expect(throws: expected) { try store.withOverrides(overrides) { () throws in ran = true } }
        #expect(!ran)
        #expect(try store.namespace(testing).bool("bool-option") == false, "nothing applied")
    }

    @Test("3.0 is an integer, 3.5 and true are not; 2 is a number (observed in the reference)")
    func numericTypes() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        try store.withOverrides([testing: ["int-option": .double(3.0), "float-option": .integer(2)]]) { () throws in }
        for bad in [JSONValue.double(3.5), .bool(true)] {
            #expect(throws: OptionsError.self) {
                try store.withOverrides([testing: ["int-option": bad]]) { () throws in }
            }
        }
        #expect(throws: OptionsError.self) {
            try store.withOverrides([testing: ["object-option": .object(["host": .string("h")])]]) { () throws in }
        }
    }

    @Test("an error thrown inside the scope still restores the values (test_override_exception_cleanup)")
    func restoredOnError() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try store.withOverrides([testing: ["bool-option": .bool(true)]]) { () throws in
                #expect(try store.namespace(testing).bool("bool-option") == true)
                throw Failure()
            }
        }
        #expect(try store.namespace(testing).bool("bool-option") == false)
    }

    @Test("other tasks do not see a task's overrides; child tasks do")
    func taskScoped() async throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        let options = try store.namespace(testing)
        let (ready, go) = AsyncStream.makeStream(of: Void.self)
        let outsider = Task.detached { () -> Int in
            for await _ in ready { break }
            return try options.int("int-option")
        }
        try await store.withOverrides([testing: ["int-option": .integer(7)]]) { () async throws in
            let child = await withTaskGroup(of: Int.self) { group in
                group.addTask { (try? options.int("int-option")) ?? -1 }
                return await group.next() ?? -1
            }
            #expect(child == 7)
            go.yield()
            #expect(try await outsider.value == 123)
            #expect(try options.int("int-option") == 7)
        }
    }

    @Test("flags: always_on turns a flag on, always_off off, then both restore (catalogue §6.10 #5, #6)")
    func flags() throws {
        let (store, directory) = try testingStore()
        defer { directory.remove() }
        let features = store.features(testing)
        let outside = FeatureContext(["organization_id": .integer(1)], identityFields: ["organization_id"])
        let inside = FeatureContext(["organization_id": .integer(123)], identityFields: ["organization_id"])
        #expect(!features.isEnabled("organizations:enabled-feature", context: outside))
        #expect(features.isEnabled("organizations:enabled-feature", context: inside))
        try store.withOverrides([testing: ["feature.organizations:enabled-feature": FeatureFlag.alwaysOn]]) {
            () throws in
            #expect(features.isEnabled("organizations:enabled-feature", context: outside))
        }
        try store.withOverrides([testing: ["feature.organizations:enabled-feature": FeatureFlag.alwaysOff]]) {
            () throws in
            #expect(!features.isEnabled("organizations:enabled-feature", context: inside))
        }
        #expect(features.isEnabled("organizations:enabled-feature", context: inside))
        #expect(throws: OptionsError.self) {
            try store.withOverrides([
                testing: ["feature.organizations:enabled-feature": .object(["segments": .array([])])]
            ]) { () throws in }
        }
        #expect(throws: OptionsError.unknownOption(namespace: testing, key: "feature.unknown")) {
            try store.withOverrides([testing: ["feature.unknown": FeatureFlag.alwaysOn]]) { () throws in }
        }
    }
}
