import Testing

@testable import OptionsSchema

let structDefinition = option(
    "object", #"{"host": "localhost", "port": 8080}"#,
    extra:
        #""properties": {"host": {"type": "string"}, "port": {"type": "integer"}, "debug": {"type": "boolean", "optional": true}}"#
)
let endpointsDefinition = option(
    "array", "[]",
    extra:
        #""items": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer", "optional": true}}}"#
)

@Suite("Value validation (reference §2.8, catalogue §6.7)")
struct ValueValidatorTests {
    @Test(
        "type semantics of JSON Schema 2020-12",
        arguments: [
            ("integer", "3", true), ("integer", "3.0", true), ("integer", "1e2", true), ("integer", "3.5", false),
            ("integer", "true", false), ("integer", #""3""#, false), ("integer", "18446744073709551615", true),
            ("number", "3", true), ("number", "0.75", true), ("number", "false", false),
            ("boolean", "true", true), ("boolean", "0", false), ("boolean", #""true""#, false),
            ("string", #""""#, true), ("string", "1", false),
            ("string", "null", false), ("integer", "null", false), ("boolean", "null", false),
        ])
    func scalarTypes(type: String, value: String, isValid: Bool) throws {
        let defaultValue = ["integer": "0", "number": "0.0", "boolean": "false", "string": #""""#][type]!
        let issues = try validate(value, against: option(type, defaultValue))
        #expect(issues.isEmpty == isValid, "\(value) as \(type): \(issues.map(\.message))")
    }

    @Test("a type mismatch uses the reference's wording and points at the value")
    func typeMismatchMessage() throws {
        let issues = try validate(#""not a number""#, against: option("integer", "0"), key: "count")
        #expect(issues.map(\.message) == [#"'count': "not a number" is not of type "integer""#])
        #expect(issues.first?.code == .typeMismatch)
        #expect(issues.first?.position == SourcePosition(line: 1, column: 1))
    }

    @Test("arrays: every element must match items (test_load_values_valid, _not_an_array, _mismatch)")
    func arrays() throws {
        let definition = option("array", "[1, 2, 3]", extra: #""items": {"type": "integer"}"#)
        #expect(try validate("[4, 5, 6]", against: definition).isEmpty)
        #expect(try validate("[]", against: definition).isEmpty)
        #expect(try validate(#""[]""#, against: definition).map(\.message) == [#"'opt': "[]" is not of type "array""#])
        #expect(
            try validate(#"["a", "b", "c"]"#, against: definition).map(\.message) == [
                #"'opt/0': "a" is not of type "integer""#, #"'opt/1': "b" is not of type "integer""#,
                #"'opt/2': "c" is not of type "integer""#,
            ])
    }

    @Test("structs: complete, no extra fields, optional fields may be left out")
    func structs() throws {
        #expect(try validate(#"{"host": "example.com", "port": 9090}"#, against: structDefinition).isEmpty)
        #expect(
            try validate(#"{"host": "example.com", "port": 9090, "debug": true}"#, against: structDefinition).isEmpty)
        let wrongField = try validate(#"{"host": "example.com", "port": "not-a-number"}"#, against: structDefinition)
        #expect(wrongField.map(\.message) == [#"'opt/port': "not-a-number" is not of type "integer""#])
        let extra = try validate(#"{"host": "example.com", "port": 1, "extra": "field"}"#, against: structDefinition)
        #expect(extra.map(\.message) == ["'opt': Additional properties are not allowed ('extra' was unexpected)"])
        #expect(extra.first?.code == .unexpectedField)
        #expect(extra.first?.position == SourcePosition(line: 1, column: 36), "points at the extra key")
        let missing = try validate(#"{"host": "example.com"}"#, against: structDefinition)
        #expect(missing.map(\.message) == [#"'opt': "port" is a required property"#])
        #expect(missing.first?.code == .missingField)
        #expect(try validate(#"{"host": "h", "port": 1, "debug": "yes"}"#, against: structDefinition).count == 1)
    }

    @Test("a struct with properties: {} only accepts {}")
    func emptyStruct() throws {
        let definition = option("object", "{}", extra: #""properties": {}"#)
        #expect(try validate("{}", against: definition).isEmpty)
        #expect(try validate(#"{"a": 1}"#, against: definition).count == 1)
    }

    @Test("dicts: free keys, each value checked (test_object_with_additional_properties)")
    func dicts() throws {
        let definition = option("object", "{}", extra: #""additionalProperties": {"type": "string"}"#)
        #expect(try validate("{}", against: definition).isEmpty)
        #expect(try validate(#"{"read": "true", "write": "false", "": "empty key"}"#, against: definition).isEmpty)
        #expect(
            try validate(#"{"read": 42}"#, against: definition).map(\.message) == [
                #"'opt/read': 42 is not of type "string""#
            ])
    }

    @Test("a struct with additionalProperties still requires its fields")
    func structWithExtras() throws {
        let definition = option(
            "object", #"{"name": "default"}"#,
            extra: #""properties": {"name": {"type": "string"}}, "additionalProperties": {"type": "string"}"#)
        #expect(try validate(#"{"name": "x", "extra": "y"}"#, against: definition).isEmpty)
        #expect(
            try validate(#"{"extra": "y"}"#, against: definition).map(\.message) == [
                #"'opt': "name" is a required property"#
            ])
        #expect(try validate(#"{"name": "x", "extra": 1}"#, against: definition).count == 1)
    }

    @Test("arrays of structs (catalogue 85–88, 95)")
    func arraysOfStructs() throws {
        #expect(try validate(#"[{"url": "a"}, {"url": "b", "weight": 2}]"#, against: endpointsDefinition).isEmpty)
        #expect(
            try validate(#"[{"url": "a", "weight": "not-a-number"}]"#, against: endpointsDefinition).map(\.message) == [
                #"'opt/0/weight': "not-a-number" is not of type "integer""#
            ])
        #expect(
            try validate(#"[{"url": "a", "extra": 1}]"#, against: endpointsDefinition).map(\.code) == [.unexpectedField]
        )
        #expect(
            try validate(#"[{"weight": 1}]"#, against: endpointsDefinition).map(\.message) == [
                #"'opt/0': "url" is a required property"#
            ])
    }

    @Test("nested types at depth (catalogue 96–100)")
    func nested() throws {
        let mapOfMaps = option(
            "object", "{}",
            extra: #""additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}"#)
        #expect(try validate(#"{"1": {"max_candidates": 20}}"#, against: mapOfMaps).isEmpty)
        #expect(try validate("{}", against: mapOfMaps).isEmpty)
        #expect(
            try validate(#"{"1": {"max_candidates": "x"}}"#, against: mapOfMaps).map(\.message) == [
                #"'opt/1/max_candidates': "x" is not of type "integer""#
            ])
        #expect(try validate(#"{"1": 20}"#, against: mapOfMaps).count == 1)

        let mapOfArrays = option(
            "object", "{}", extra: #""additionalProperties": {"type": "array", "items": {"type": "string"}}"#)
        #expect(try validate(#"{"a": [], "b": ["x", "y"]}"#, against: mapOfArrays).isEmpty)
        #expect(try validate(#"{"a": [1]}"#, against: mapOfArrays).count == 1)
        #expect(try validate(#"{"a": "x"}"#, against: mapOfArrays).count == 1)

        let quotas = option(
            "object", "{}",
            extra:
                #""additionalProperties": {"type": "object", "properties": {"limit": {"type": "integer"}, "window": {"type": "integer"}}}"#
        )
        #expect(try validate(#"{"o": {"limit": 1, "window": 2}}"#, against: quotas).isEmpty)
        #expect(
            try validate(#"{"o": {"limit": 1}}"#, against: quotas).map(\.message) == [
                #"'opt/o': "window" is a required property"#
            ])
        #expect(try validate(#"{"o": {"limit": 1, "window": 2, "x": 3}}"#, against: quotas).count == 1)

        let optionalDeep = option(
            "object", "{}",
            extra:
                #""additionalProperties": {"type": "object", "properties": {"url": {"type": "string"}, "weight": {"type": "integer", "optional": true}}}"#
        )
        #expect(try validate(#"{"a": {"url": "x"}}"#, against: optionalDeep).isEmpty)
        #expect(try validate(#"{"a": {"weight": 1}}"#, against: optionalDeep).count == 1)

        let deep = option(
            "object", "{}",
            extra:
                #""additionalProperties": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "integer"}}}"#
        )
        #expect(try validate(#"{"a": [{"x": 1}, {"y": 2}]}"#, against: deep).isEmpty)
        #expect(
            try validate(#"{"a": [{"x": "no"}]}"#, against: deep).map(\.message) == [
                #"'opt/a/0/x': "no" is not of type "integer""#
            ])
    }

    @Test("reports every problem in a value, not just the first")
    func allProblems() throws {
        let issues = try validate(#"{"port": "x", "extra": 1}"#, against: structDefinition)
        #expect(issues.count == 3)
    }
}

@Suite("Feature-flag values (reference §2.9)")
struct FeatureFlagValidatorTests {
    let minimal = #"{"owner": {"team": "hybrid-cloud"}, "segments": [], "created_at": "2024-01-01"}"#

    @Test("accepts the reference's valid flags (catalogue 39, 42, 43, 48, 50, 52)")
    func valid() throws {
        #expect(try validateFeature(minimal).isEmpty)
        let full = """
            {"name": "fury", "enabled": true, "description": "d", "owner": {"team": "t", "email": "a@b.c"},
             "created_at": "2024-01-01T00:00:00", "experiment_mode": "simple",
             "segments": [
               {"name": "internal orgs", "rollout": 50, "conditions": [{"property": "organization_slug", "operator": "in", "value": ["sentry-test", "sentry"]}]},
               {"name": "free accounts", "conditions": [{"property": "subscription_is_free", "operator": "equals", "value": true}]},
               {"name": "all", "rollout": 100, "conditions": []}
             ]}
            """
        #expect(try validateFeature(full).isEmpty)
        #expect(
            try validateFeature(
                #"{"owner": {"team": "t", "email": null}, "segments": [], "created_at": "2024-01-01T10:20:30.123", "experiment_mode": null}"#
            ).isEmpty)
    }

    @Test(
        "rejects malformed flags with a precise message",
        arguments: [
            (#"{"segments": [], "created_at": "2024-01-01"}"#, #""owner" is a required property"#),
            (
                #"{"owner": {"email": "test@example.com"}, "segments": [], "created_at": "2024-01-01"}"#,
                #""team" is a required property"#
            ),
            (
                #"{"owner": {"team": ""}, "segments": [], "created_at": "2024-01-01"}"#,
                #""" is shorter than 1 character"#
            ),
            (#"{"owner": {"team": "t"}, "segments": [], "created_at": "2024-01-01T00:00:00Z"}"#, "does not match"),
            (
                #"{"owner": {"team": "t"}, "segments": [], "created_at": "2024-01-01", "experiment_mode": "not-a-real-mode"}"#,
                #""not-a-real-mode" is not one of "simple" or null"#
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [], "created_at": "2024-01-01", "color": "red"}"#,
                "Additional properties are not allowed ('color' was unexpected)"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "rollout": 101, "conditions": []}], "created_at": "2024-01-01"}"#,
                "101 is greater than the maximum of 100"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "rollout": -1, "conditions": []}], "created_at": "2024-01-01"}"#,
                "-1 is less than the minimum of 0"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "rollout": 50.5, "conditions": []}], "created_at": "2024-01-01"}"#,
                #"50.5 is not of type "integer""#
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "", "conditions": []}], "created_at": "2024-01-01"}"#,
                "shorter than 1 character"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "conditions": [{"property": "p", "operator": "invalid_operator", "value": 1}]}], "created_at": "2024-01-01"}"#,
                #""invalid_operator" is not one of "in""#
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "conditions": [{"property": "p", "operator": "in", "value": [1, "a"]}]}], "created_at": "2024-01-01"}"#,
                "operator 'in' expects an array of numbers or an array of strings"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "conditions": [{"property": "p", "operator": "contains", "value": true}]}], "created_at": "2024-01-01"}"#,
                "operator 'contains' expects a string or a number"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "conditions": [{"property": "p", "operator": "matches", "value": "a*"}]}], "created_at": "2024-01-01"}"#,
                "operator 'matches' expects an array of strings"
            ),
            (
                #"{"owner": {"team": "t"}, "segments": [{"name": "s", "conditions": [{"operator": "in", "value": []}]}], "created_at": "2024-01-01"}"#,
                #""property" is a required property"#
            ),
            ("true", #"true is not of type "object""#),
        ])
    func invalid(value: String, fragment: String) throws {
        let issues = try validateFeature(value)
        #expect(issues.count == 1, "\(issues.map(\.message))")
        #expect(issues.first?.message.contains(fragment) == true, "\(issues.map(\.message))")
    }

    @Test(
        "condition values by operator",
        arguments: [
            ("in", "[123, 456]", true), ("in", "[1, 2.5]", true), ("in", #"["a"]"#, true), ("in", "[]", true),
            ("in", "1", false),
            ("not_in", "[true]", false), ("contains", "1", true), ("contains", #""x""#, true),
            ("contains", "[1]", false),
            ("equals", "true", true), ("equals", "[1, 2]", true), ("equals", #"{"a": 1}"#, false),
            ("not_equals", "null", false),
            ("matches", #"["a*", "b"]"#, true), ("not_matches", "[1]", false),
        ])
    func conditionValues(operatorName: String, value: String, isValid: Bool) throws {
        let flag =
            #"{"owner": {"team": "t"}, "created_at": "2024-01-01", "segments": [{"name": "s", "conditions": [{"property": "p", "operator": "\#(operatorName)", "value": \#(value)}]}]}"#
        #expect(try validateFeature(flag).isEmpty == isValid)
    }

    @Test(
        "created_at accepts a date or date-time with an optional UTC offset, as sentry-options 1.2.17 does (not Z)",
        arguments: [
            ("2024-01-01", true), ("2024-01-01T00:00:00", true), ("2024-01-01T00:00:00.5", true),
            ("2024-01-01T00:00:00+02:00", true), ("2024-01-01T00:00:00-0530", true),
            ("2024-01-01T00:00:00.123+00:00", true), ("2024-01-01+02:00", true),
            ("2024-01-01T00:00:00Z", false), ("2024-01-01T00:00", false), ("2024-1-01", false),
            ("2024-01-01T00:00:00.", false), ("2024-01-01T00:00:00+2:00", false),
            ("2024-01-01T00:00:00+02:0", false), ("2024-01-01T00:00:00+02::00", false),
            ("2024-01-01T00:00:00+02:00Z", false), ("2024-01-01T00:00:00 +02:00", false),
        ])
    func createdAt(text: String, isValid: Bool) throws {
        let flag = #"{"owner": {"team": "t"}, "segments": [], "created_at": "\#(text)"}"#
        #expect(try validateFeature(flag).isEmpty == isValid)
    }
}
