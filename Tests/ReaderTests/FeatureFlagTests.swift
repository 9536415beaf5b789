import OptionsSchema
import Reader
import Testing

// Feature flags: the reference's evaluation (§5.9) and its test catalogue (§6.9, F-FEAT), case by case.

/// The JSON value of `text`.
private func json(_ text: String) throws -> JSONValue {
    JSONValue(try JSONReader.parse(Array(text.utf8)))
}

extension JSONValue {
    fileprivate var objectMembers: [String: JSONValue]? {
        if case .object(let members) = self { members } else { nil }
    }
}

/// A context from JSON object text.
private func makeContext(_ text: String, identity: [String] = []) throws -> FeatureContext {
    let values = try #require(try json(text).objectMembers, "not a JSON object: \(text)")
    return FeatureContext(values, identityFields: identity)
}

/// F-FEAT's `feature_json(E, R, C)`: one segment `test-segment` holding the condition `C` (JSON text).
private func featureJSON(enabled: Bool = true, rollout: Int = 100, condition: String) -> String {
    #"{"name":"test-feature","enabled":\#(enabled),"owner":{"team":"test-team"},"created_at":"2024-01-01","segments":[{"name":"test-segment","rollout":\#(rollout),"conditions":[\#(condition)]}]}"#
}

/// A condition's JSON text.
private func condition(_ property: String, _ operator: String, _ value: String) -> String {
    #"{"property":"\#(property)","operator":"\#(`operator`)","value":\#(value)}"#
}

/// F-FEAT's `in_condition(p, vals)`.
private func inCondition(_ property: String, _ values: String) -> String {
    condition(property, "in", "[\(values)]")
}

/// A flag of `featureJSON` with one condition.
private func makeFlag(enabled: Bool = true, rollout: Int = 100, _ condition: String) throws -> FeatureFlag {
    FeatureFlag(try json(featureJSON(enabled: enabled, rollout: rollout, condition: condition)))
}

/// F-FEAT's `check(name, ctx)`: whether the flag is on for the context.
private func check(_ flag: FeatureFlag, _ context: FeatureContext) -> Bool {
    flag.evaluate(context).isEnabled
}

/// The reference's `has(name, ctx)`: the store's checker for the namespace.
private func has(_ features: FeatureChecker, _ name: String, _ context: FeatureContext) -> Bool {
    features.isEnabled(name, context: context)
}

/// Whether one condition holds for a context (the flag's single segment has rollout 100).
private func holds(_ condition: String, _ contextJSON: String) throws -> Bool {
    check(try makeFlag(condition), try makeContext(contextJSON))
}

// MARK: - Context and identity

/// A row of the §5.9 test-vector table (and a few more of ours, checked with Python's hashlib).
struct IdentityVector: Sendable, CustomTestStringConvertible {
    var data: String
    var identity: [String]
    var hashed: String
    var id: UInt64?
    var bucket: Int
    var testDescription: String { "\(data) identity \(identity) → \"\(hashed)\"" }
}

@Suite("Reader: feature-flag context and identity hash (reference §5.9, catalogue §6.9 #1–5)")
struct FeatureFlagContextTests {
    static let vectors: [IdentityVector] = [
        IdentityVector(data: "{}", identity: [], hashed: "", id: 882_391_305, bucket: 5),
        IdentityVector(
            data: #"{"foo":"bar","baz":"barfoo"}"#, identity: ["foo"], hashed: "foo:bar", id: 269_143_262, bucket: 62),
        IdentityVector(
            data: #"{"foo":"bar","baz":"barfoo"}"#, identity: ["foo", "whoops"], hashed: "foo:bar", bucket: 62),
        IdentityVector(
            data: #"{"foo":"bar","baz":"barfoo"}"#, identity: ["foo", "baz"], hashed: "baz:barfoo:foo:bar",
            id: 251_083_301, bucket: 1),
        IdentityVector(
            data: #"{"foo":"bar","baz":"barfoo"}"#, identity: ["whoops", "nope"], hashed: "baz:barfoo:foo:bar",
            bucket: 1),
        IdentityVector(
            data: #"{"organization_id":123}"#, identity: ["organization_id"], hashed: "organization_id:123",
            id: 22_390_356, bucket: 56),
        IdentityVector(
            data: #"{"organization_id":456}"#, identity: [], hashed: "organization_id:456", id: 651_598_037, bucket: 37),
        IdentityVector(
            data: #"{"user_id":123,"is_trial":true}"#, identity: ["user_id"], hashed: "user_id:123", id: 335_911_921,
            bucket: 21),
        IdentityVector(
            data: #"{"user_id":456,"is_trial":true}"#, identity: ["user_id"], hashed: "user_id:456", id: 171_811_295,
            bucket: 95),
        IdentityVector(
            data: #"{"user_id":42,"organization_id":123}"#, identity: ["user_id"], hashed: "user_id:42",
            id: 798_625_764, bucket: 64),
        IdentityVector(data: #"{"org_id":1}"#, identity: [], hashed: "org_id:1", id: 356_060_317, bucket: 17),
        IdentityVector(data: #"{"is_trial":true}"#, identity: [], hashed: "is_trial:True", id: 427_109_802, bucket: 2),
        IdentityVector(data: #"{"x":1.0}"#, identity: [], hashed: "x:1.0", id: 806_156_661, bucket: 61),
        IdentityVector(data: #"{"x":[1,"a"]}"#, identity: [], hashed: "x:[1, a]", id: 726_026_862, bucket: 62),
        // Ours: a repeated identity field repeats; floats without exponent; a u64 above i64::MAX as a float.
        IdentityVector(
            data: #"{"foo":"bar","baz":"barfoo"}"#, identity: ["foo", "foo"], hashed: "foo:bar:foo:bar",
            id: 658_983_829, bucket: 29),
        IdentityVector(
            data: #"{"x":1e20}"#, identity: [], hashed: "x:100000000000000000000.0", id: 425_550_601, bucket: 1),
        IdentityVector(data: #"{"x":1e-7}"#, identity: [], hashed: "x:0.0000001", id: 946_717_821, bucket: 21),
        IdentityVector(
            data: #"{"x":18446744073709551615}"#, identity: [], hashed: "x:18446744073709551616.0", id: 615_238_157,
            bucket: 57),
    ]

    @Test("identity string, id and bucket match the reference's test vectors", arguments: vectors)
    func identityVectors(_ vector: IdentityVector) throws {
        let context = try makeContext(vector.data, identity: vector.identity)
        #expect(context.identityString == vector.hashed)
        if let id = vector.id { #expect(context.id == id) }
        #expect(context.bucket == vector.bucket)
        #expect(Int(context.id % 100) == vector.bucket)
    }

    @Test("values are read back by key, absent keys are nil (test_feature_context_insert_and_get)")
    func insertAndGet() {
        var context = FeatureContext()
        context["org_id"] = .integer(123)
        context["name"] = .string("sentry")
        context["active"] = .bool(true)
        #expect(context["org_id"] == .integer(123))
        #expect(context["name"] == .string("sentry"))
        #expect(context["active"] == .bool(true))
        #expect(context["missing"] == nil)
        #expect(context.values.count == 3)
        context["name"] = nil
        #expect(context["name"] == nil)
    }

    @Test("the id is stable across reads (test_feature_context_id_is_cached)")
    func idIsCached() {
        let context = FeatureContext(["user_id": .integer(42)], identityFields: ["user_id"])
        let first = context.id
        #expect(context.id == first)
        #expect(first == 798_625_764)
        #expect(context.bucket == 64)
    }

    @Test(
        "changing identity fields or values resets the id; copies keep theirs (test_feature_context_id_resets_on_identity_change)"
    )
    func idResets() {
        var context = FeatureContext(["user_id": .integer(1), "org_id": .integer(2)], identityFields: ["user_id"])
        let byUser = context.id
        #expect(context.identityString == "user_id:1")
        let copy = context
        context.identityFields = ["org_id"]
        let byOrg = context.id
        #expect(byUser != byOrg)
        #expect(context.identityString == "org_id:2")
        #expect(byOrg == FeatureContext(["org_id": .integer(2)]).id)
        #expect(copy.id == byUser)

        context["org_id"] = .integer(3)
        #expect(context.id == FeatureContext(["org_id": .integer(3)]).id)
        context.values = ["org_id": .integer(2)]
        #expect(context.id == byOrg)
        #expect(copy.id == byUser)
    }

    @Test("equal data and identity give equal ids; other data another id (test_feature_context_id_deterministic)")
    func idDeterministic() {
        let data: [String: JSONValue] = ["user_id": .integer(456), "org_id": .integer(123)]
        let first = FeatureContext(data, identityFields: ["user_id", "org_id"])
        let second = FeatureContext(data, identityFields: ["user_id", "org_id"])
        #expect(first.id == second.id)
        #expect(first.identityString == "org_id:123:user_id:456")
        let other = FeatureContext(
            ["user_id": .integer(789), "org_id": .integer(123)], identityFields: ["user_id", "org_id"])
        #expect(other.id != first.id)
    }

    @Test("buckets agree with flagpole's Python (test_feature_context_id_value_align_with_python)")
    func alignWithPython() {
        #expect(FeatureContext().id % 100 == 5)
        let data: [String: JSONValue] = ["foo": .string("bar"), "baz": .string("barfoo")]
        #expect(FeatureContext(data, identityFields: ["foo"]).id % 100 == 62)
        #expect(FeatureContext(data, identityFields: ["foo", "whoops"]).id % 100 == 62)
        #expect(FeatureContext(data, identityFields: ["foo", "baz"]).id % 100 == 1)
        #expect(FeatureContext(data, identityFields: ["whoops", "nope"]).id % 100 == 1)
    }

    @Test("identity keys sort by UTF-8 bytes, not by Unicode canonical order")
    func keysSortByBytes() {
        // "e" + U+0301 starts with byte 0x65, "é" (U+00E9) with 0xC3; canonically "é" < "éx".
        let context = FeatureContext(["\u{E9}": .integer(2), "e\u{301}x": .integer(1)])
        #expect(context.identityString == "e\u{301}x:1:\u{E9}:2")
        #expect(context.id == 611_580_548)
    }

    static let identityTexts: [(JSONValue, String)] = [
        // test_id_string_is_stable (§6.9 #60)
        (.string("sentry"), "sentry"),
        (.integer(123), "123"),
        (.integer(-7), "-7"),
        (.bool(true), "True"),
        (.bool(false), "False"),
        (.null, "None"),
        (.double(1.0), "1.0"),
        (.double(1.5), "1.5"),
        (.array([.string("a"), .string("b")]), "[a, b]"),
        (.array([.integer(1), .integer(2)]), "[1, 2]"),
        (.array([]), "[]"),
        // Rust's f64 Display: integral as {:.1} (exact digits), others shortest, never an exponent.
        (.double(1e20), "100000000000000000000.0"),
        (.double(1e23), "99999999999999991611392.0"),
        (.double(0x1p70), "1180591620717411303424.0"),
        (
            .double(.greatestFiniteMagnitude),
            "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.0"
        ),
        (.double(-0.0), "-0.0"),
        (.double(-3.0), "-3.0"),
        (.double(1e-7), "0.0000001"),
        (.double(2.5e-10), "0.00000000025"),
        (.double(1.2345e-5), "0.000012345"),
        (.double(0.1), "0.1"),
        (.double(-1.5), "-1.5"),
        (.double(123_456_789.125), "123456789.125"),
        (.double(4_503_599_627_370_495.5), "4503599627370495.5"),
        (.double(.leastNonzeroMagnitude), "0." + String(repeating: "0", count: 323) + "5"),
        (.double(.infinity), "inf"),
        (.double(.nan), "NaN"),
        // A u64 above i64::MAX goes through the float path.
        (.unsignedInteger(18_446_744_073_709_551_615), "18446744073709551616.0"),
        (.unsignedInteger(9_223_372_036_854_775_808), "9223372036854775808.0"),
        (.integer(.min), "-9223372036854775808"),
        // Nested arrays, objects as compact JSON with sorted keys.
        (.array([.double(1.5), .array([.bool(true), .null])]), "[1.5, [True, None]]"),
        (.object(["b": .integer(1), "a": .string("x")]), #"{"a":"x","b":1}"#),
        (.array([.object(["k": .array([])])]), #"[{"k":[]}]"#),
    ]

    @Test("identity text of each value type (test_id_string_is_stable and float/u64 cases)", arguments: identityTexts)
    func identityText(_ value: JSONValue, _ expected: String) {
        #expect(FeatureContext(["x": value]).identityString == "x:" + expected)
    }
}

// MARK: - Evaluation

@Suite("Reader: feature-flag evaluation (reference §5.9, catalogue §6.9 #6–37)")
struct FeatureFlagEvaluationTests {
    @Test("the store's value under 'feature.' + name is what is evaluated (test_feature_prefix_is_added)")
    func prefixIsAdded() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", ##""feature.organizations:test-feature": {"$ref": "#/definitions/Feature"}"##)
        try directory.values(
            "test",
            #"{"feature.organizations:test-feature": "# + featureJSON(condition: inCondition("organization_id", "123"))
                + "}")
        let test = try OptionsStore(directory: directory.path).features("test")
        let context = try makeContext(#"{"organization_id":123}"#)
        #expect(has(test, "organizations:test-feature", context))
        #expect(!has(test, "feature.organizations:test-feature", context))
    }

    @Test("a flag with no value is off (test_undefined_feature_returns_false)")
    func undefinedFeature() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", ##""feature.organizations:test-feature": {"$ref": "#/definitions/Feature"}"##)
        try directory.values(
            "test",
            #"{"feature.organizations:test-feature": "# + featureJSON(condition: inCondition("organization_id", "123"))
                + "}")
        let store = try OptionsStore(directory: directory.path)
        let test = store.features("test")
        #expect(!has(test, "nonexistent", try makeContext(#"{"organization_id":123}"#)))
        #expect(!has(store.features("unknown-namespace"), "organizations:test-feature", try makeContext("{}")))
        #expect(has(test, "organizations:test-feature", try makeContext(#"{"organization_id":123}"#)))
    }

    @Test("a context without the property does not match 'in' (test_missing_context_field_returns_false)")
    func missingField() throws {
        #expect(try !holds(inCondition("organization_id", "123"), "{}"))
    }

    @Test(
        "a matching context is on, another is off (test_matching_context_returns_true, test_non_matching_context_returns_false)"
    )
    func matching() throws {
        let flag = try makeFlag(inCondition("organization_id", "123,456"))
        #expect(check(flag, try makeContext(#"{"organization_id":123}"#)))
        #expect(check(flag, try makeContext(#"{"organization_id":456}"#)))
        #expect(!check(flag, try makeContext(#"{"organization_id":999}"#)))
    }

    @Test("a disabled flag is off and names no segment (test_disabled_feature_returns_false)")
    func disabled() throws {
        let flag = try makeFlag(enabled: false, inCondition("organization_id", "123"))
        #expect(!flag.isEnabled)
        #expect(flag.evaluate(try makeContext(#"{"organization_id":123}"#)) == FeatureVerdict(isEnabled: false))
    }

    @Test(
        "rollout 0 is off, rollout 100 is on, and neither hashes (test_rollout_zero_returns_false, test_rollout_100_returns_true)"
    )
    func rolloutZeroAndHundred() throws {
        let context = try makeContext(#"{"organization_id":123}"#)
        #expect(
            try makeFlag(rollout: 0, inCondition("organization_id", "123")).evaluate(context)
                == FeatureVerdict(isEnabled: false, segment: "test-segment"))
        #expect(
            try makeFlag(rollout: 100, inCondition("organization_id", "123")).evaluate(context)
                == FeatureVerdict(isEnabled: true, segment: "test-segment"))
    }

    @Test("rollout = bucket + 1 includes the context (test_rollout_is_deterministic)")
    func rolloutDeterministic() throws {
        let context = try makeContext(#"{"user_id":42,"organization_id":123}"#, identity: ["user_id"])
        #expect(context.bucket == 64)
        let verdict = try makeFlag(rollout: 65, inCondition("organization_id", "123")).evaluate(context)
        #expect(verdict == FeatureVerdict(isEnabled: true, bucket: 64, segment: "test-segment"))
        #expect(try check(makeFlag(rollout: 64, inCondition("organization_id", "123")), context))
        #expect(try !check(makeFlag(rollout: 63, inCondition("organization_id", "123")), context))
    }

    @Test(
        "the rollout boundary: bucket <= rollout (observed for org 123, bucket 56, and the empty context, bucket 5)",
        arguments: [(55, false), (56, true), (57, true), (0, false), (100, true), (1, false), (99, true)])
    func rolloutBoundary(_ rollout: Int, _ expected: Bool) throws {
        let context = try makeContext(#"{"organization_id":123}"#, identity: ["organization_id"])
        #expect(try check(makeFlag(rollout: rollout, inCondition("organization_id", "123")), context) == expected)
    }

    @Test("the rollout boundary of the empty context (bucket 5): rollout 5 is on, 4 is off; a missing rollout is 100")
    func rolloutBoundaryEmpty() throws {
        let empty = FeatureContext()
        func segment(_ rollout: String) throws -> FeatureFlag {
            FeatureFlag(try json(#"{"segments":[{"name":"s",\#(rollout)"conditions":[]}]}"#))
        }
        #expect(
            try segment(#""rollout":5,"#).evaluate(empty) == FeatureVerdict(isEnabled: true, bucket: 5, segment: "s"))
        #expect(
            try segment(#""rollout":4,"#).evaluate(empty) == FeatureVerdict(isEnabled: false, bucket: 5, segment: "s"))
        #expect(try segment("").evaluate(empty) == FeatureVerdict(isEnabled: true, segment: "s"))
        let org = try makeContext(#"{"organization_id":123}"#, identity: ["organization_id"])
        #expect(try segment("").evaluate(org).isEnabled)
    }

    @Test("'in' compares strings case-insensitively (test_condition_in_string_case_insensitive)")
    func inCaseInsensitive() throws {
        #expect(try holds(inCondition("slug", #""Sentry","ACME""#), #"{"slug":"sentry"}"#))
        #expect(try holds(inCondition("slug", #""Sentry","ACME""#), #"{"slug":"acme"}"#))
        #expect(try !holds(inCondition("slug", #""Sentry","ACME""#), #"{"slug":"sentry2"}"#))
    }

    @Test("'not_in' is the negation for a scalar (test_condition_not_in)")
    func notIn() throws {
        let notIn = condition("organization_id", "not_in", "[999]")
        #expect(try holds(notIn, #"{"organization_id":123}"#))
        #expect(try !holds(notIn, #"{"organization_id":999}"#))
    }

    @Test("'in' on an array property is true on any overlap (test_condition_in_list_property_matches_on_overlap)")
    func inListOverlap() throws {
        let inBusiness = inCondition("plan_family", #""business""#)
        #expect(try holds(inBusiness, #"{"plan_family":["enterprise business","Business"]}"#))
        #expect(try !holds(inBusiness, #"{"plan_family":["team"]}"#))
        #expect(try !holds(inBusiness, #"{"plan_family":[]}"#))
    }

    @Test("'not_in' on an array property requires no overlap (test_condition_not_in_list_property_requires_no_overlap)")
    func notInListNoOverlap() throws {
        let notInBusiness = condition("plan_family", "not_in", #"["business"]"#)
        #expect(try !holds(notInBusiness, #"{"plan_family":["enterprise business","business"]}"#))
        #expect(try holds(notInBusiness, #"{"plan_family":["team"]}"#))
    }

    @Test("'in' on an array property does not coerce types (test_condition_in_list_property_no_type_coercion)")
    func inListNoCoercion() throws {
        #expect(try !holds(inCondition("org_id", #""123""#), #"{"org_id":[123]}"#))
        #expect(try holds(inCondition("org_id", "123"), #"{"org_id":[123]}"#))
    }

    @Test("'in' matches an integer and an equal float (test_condition_in_matches_across_int_and_float)")
    func inIntAndFloat() throws {
        let inFloat = inCondition("org_id", "123.0")
        #expect(try holds(inFloat, #"{"org_id":123}"#))
        #expect(try holds(inFloat, #"{"org_id":[123]}"#))
        #expect(try !holds(inFloat, #"{"org_id":124}"#))
        #expect(try holds(inCondition("org_id", "123"), #"{"org_id":123.0}"#))
    }

    @Test("'in' compares large integers exactly, u64 included (test_condition_in_large_ints_compare_exactly)")
    func inLargeInts() throws {
        let above53 = inCondition("id", "9007199254740993")
        #expect(try !holds(above53, #"{"id":9007199254740992}"#))
        #expect(try holds(above53, #"{"id":9007199254740993}"#))
        let maxU64 = inCondition("id", "18446744073709551615")
        #expect(try !holds(maxU64, #"{"id":18446744073709551614}"#))
        #expect(try holds(maxU64, #"{"id":18446744073709551615}"#))
        #expect(try !holds(maxU64, #"{"id":-1}"#))
        // An integer against a float compares as f64, where 2^53 + 1 rounds to 2^53.
        #expect(try holds(inCondition("id", "9007199254740992.0"), #"{"id":9007199254740993}"#))
    }

    @Test("'contains' finds the value in an array property (test_condition_contains)")
    func contains() throws {
        let containsBeta = condition("tags", "contains", #""beta""#)
        #expect(try holds(containsBeta, #"{"tags":["alpha","beta"]}"#))
        #expect(try holds(containsBeta, #"{"tags":["alpha","BETA"]}"#))
        #expect(try !holds(containsBeta, #"{"tags":["alpha"]}"#))
    }

    @Test(
        "'contains' matches an integer and an equal float both ways (test_condition_contains_matches_across_int_and_float)",
        arguments: ["123", "123.0"], [#"{"ids":[123]}"#, #"{"ids":[123.0]}"#])
    func containsIntAndFloat(_ value: String, _ contextJSON: String) throws {
        #expect(try holds(condition("ids", "contains", value), contextJSON))
        #expect(try !holds(condition("ids", "contains", value), #"{"ids":[124]}"#))
    }

    @Test("'equals' compares strings case-insensitively (test_condition_equals)")
    func equals() throws {
        let enterprise = condition("plan", "equals", #""enterprise""#)
        #expect(try holds(enterprise, #"{"plan":"Enterprise"}"#))
        #expect(try !holds(enterprise, #"{"plan":"free"}"#))
    }

    @Test("'equals' compares u64 exactly (test_condition_equals_large_ints_compare_exactly)")
    func equalsLargeInts() throws {
        let maxU64 = condition("id", "equals", "18446744073709551615")
        #expect(try !holds(maxU64, #"{"id":18446744073709551614}"#))
        #expect(try holds(maxU64, #"{"id":18446744073709551615}"#))
    }

    @Test("'equals' compares booleans (test_condition_equals_bool)")
    func equalsBool() throws {
        let isFree = condition("is_free", "equals", "true")
        #expect(try holds(isFree, #"{"is_free":true}"#))
        #expect(try !holds(isFree, #"{"is_free":false}"#))
        #expect(try !holds(isFree, #"{"is_free":"true"}"#))
        #expect(try !holds(isFree, #"{"is_free":1}"#))
    }

    @Test("a segment with no conditions matches any context (test_segment_with_no_conditions_always_matches)")
    func noConditions() throws {
        let flag = FeatureFlag(
            try json(
                #"{"owner":{"team":"t"},"created_at":"2024-01-01","segments":[{"name":"all","rollout":100,"conditions":[]}]}"#
            ))
        #expect(flag.evaluate(FeatureContext()) == FeatureVerdict(isEnabled: true, segment: "all"))
    }

    @Test("a missing 'enabled' is true and a missing rollout is 100 (test_feature_enabled_and_rollout_default_values)")
    func defaults() throws {
        let flag = FeatureFlag(
            try json(
                #"{"owner":{"team":"t"},"created_at":"2024-01-01","segments":[{"name":"s","conditions":[{"property":"org_id","operator":"in","value":[1]}]}]}"#
            ))
        #expect(flag.isEnabled)
        #expect(flag.segments.map(\.rollout) == [100])
        #expect(check(flag, try makeContext(#"{"org_id":1}"#, identity: ["org_id"])))
    }

    @Test("a flag without segments is off (test_feature_with_no_segments_returns_false)")
    func noSegments() throws {
        let flag = FeatureFlag(try json(#"{"owner":{"team":"t"},"created_at":"2024-01-01","segments":[]}"#))
        #expect(flag.evaluate(FeatureContext()) == FeatureVerdict(isEnabled: false))
    }

    @Test("segments are alternatives (test_multiple_segments_or_logic)")
    func segmentsOr() throws {
        let flag = FeatureFlag(
            try json(
                #"{"segments":[{"name":"segment-a","rollout":100,"conditions":[\#(inCondition("org_id", "1"))]},{"name":"segment-b","rollout":100,"conditions":[\#(inCondition("org_id", "2"))]}]}"#
            ))
        #expect(
            flag.evaluate(try makeContext(#"{"org_id":1}"#)) == FeatureVerdict(isEnabled: true, segment: "segment-a"))
        #expect(
            flag.evaluate(try makeContext(#"{"org_id":2}"#)) == FeatureVerdict(isEnabled: true, segment: "segment-b"))
        #expect(flag.evaluate(try makeContext(#"{"org_id":3}"#)) == FeatureVerdict(isEnabled: false))
    }

    @Test("conditions of a segment must all hold (test_multiple_conditions_and_logic)")
    func conditionsAnd() throws {
        let both = inCondition("org_id", "123") + "," + inCondition("user_email", #""admin@example.com""#)
        #expect(try holds(both, #"{"org_id":123,"user_email":"admin@example.com"}"#))
        #expect(try !holds(both, #"{"org_id":123,"user_email":"other@example.com"}"#))
        #expect(try !holds(both, #"{"org_id":124,"user_email":"admin@example.com"}"#))
    }

    @Test("the first matching segment decides, even when its rollout excludes the context (§5.9 step 4, §6.14)")
    func firstMatchDecides() throws {
        let flag = FeatureFlag(
            try json(
                #"{"segments":[{"name":"zero","rollout":0,"conditions":[]},{"name":"all","rollout":100,"conditions":[]}]}"#
            ))
        #expect(flag.evaluate(FeatureContext()) == FeatureVerdict(isEnabled: false, segment: "zero"))
        let excluded = FeatureFlag(
            try json(
                #"{"segments":[{"name":"few","rollout":4,"conditions":[]},{"name":"all","rollout":100,"conditions":[]}]}"#
            ))
        #expect(excluded.evaluate(FeatureContext()) == FeatureVerdict(isEnabled: false, bucket: 5, segment: "few"))
    }

    /// A condition on one context, with the expected outcome of the positive operator and of its negation.
    struct ConditionCase: Sendable, CustomTestStringConvertible {
        var reference: String
        var property: String
        var `operator`: String
        var value: String
        var context: String
        var expected: Bool
        var testDescription: String { "\(reference): \(property) \(`operator`) \(value) on \(context) → \(expected)" }
    }

    static let typeCases: [ConditionCase] = [
        ConditionCase(
            reference: "test_in_int_context_against_string_list_returns_false", property: "org_id", operator: "in",
            value: #"["123","456"]"#, context: #"{"org_id":123}"#, expected: false),
        ConditionCase(
            reference: "test_in_string_context_against_int_list_returns_false", property: "slug", operator: "in",
            value: "[123,456]", context: #"{"slug":"123"}"#, expected: false),
        ConditionCase(
            reference: "test_in_bool_context_against_string_list_returns_false", property: "active", operator: "in",
            value: #"["true","false"]"#, context: #"{"active":true}"#, expected: false),
        ConditionCase(
            reference: "test_in_float_context_against_string_list_returns_false", property: "score", operator: "in",
            value: #"["0.5","1.0"]"#, context: #"{"score":0.5}"#, expected: false),
        ConditionCase(
            reference: "test_not_in_int_context_against_string_list_returns_true", property: "org_id",
            operator: "not_in", value: #"["123","456"]"#, context: #"{"org_id":123}"#, expected: true),
        ConditionCase(
            reference: "test_not_in_string_context_against_int_list_returns_true", property: "slug", operator: "not_in",
            value: "[123,456]", context: #"{"slug":"123"}"#, expected: true),
        // Ours: no other coercion either.
        ConditionCase(
            reference: "a bool is not the integer 1", property: "active", operator: "in", value: "[1]",
            context: #"{"active":true}"#, expected: false),
        ConditionCase(
            reference: "a null property is in nothing", property: "p", operator: "in", value: "[1]",
            context: #"{"p":null}"#, expected: false),
        ConditionCase(
            reference: "a null property is not in anything", property: "p", operator: "not_in", value: "[1]",
            context: #"{"p":null}"#, expected: true),
        ConditionCase(
            reference: "'in' accepts true among booleans", property: "active", operator: "in", value: "[false,true]",
            context: #"{"active":true}"#, expected: true),
    ]

    @Test(
        "no coercion between strings, numbers and booleans (test_in_*_against_*, test_not_in_*_against_*)",
        arguments: typeCases)
    func noCoercion(_ testCase: ConditionCase) throws {
        let text = condition(testCase.property, testCase.operator, testCase.value)
        #expect(try holds(text, testCase.context) == testCase.expected)
    }
}

// MARK: - Glob, missing and unusable properties

/// A `matches` case: patterns, the context value, and the outcomes of `matches` and `not_matches`.
struct GlobCase: Sendable, CustomTestStringConvertible {
    var reference: String
    var patterns: String
    var value: String
    var matches: Bool
    var notMatches: Bool
    var testDescription: String { "\(reference): \(value) against \(patterns)" }

    /// A string value, where `not_matches` is the negation.
    init(_ reference: String, _ patterns: String, _ text: String, _ matches: Bool) {
        self.reference = reference
        self.patterns = patterns
        self.value = "\"\(text)\""
        self.matches = matches
        self.notMatches = !matches
    }

    init(_ reference: String, _ patterns: String, value: String, matches: Bool, notMatches: Bool) {
        self.reference = reference
        self.patterns = patterns
        self.value = value
        self.matches = matches
        self.notMatches = notMatches
    }
}

@Suite("Reader: feature-flag glob, missing and unusable properties (catalogue §6.9 #38–62)")
struct FeatureFlagConditionTests {
    static let onboarding = #"["jay.goss+onboarding*@sentry.io"]"#
    static let three = #"["jayonb*","dangoldonb*","value-disc-*"]"#

    static let globCases: [GlobCase] = [
        // 38 / 49
        GlobCase("test_condition_[not_]matches_literal", #"["sentry"]"#, "sentry", true),
        GlobCase("test_condition_[not_]matches_literal", #"["sentry"]"#, "getsentry", false),
        // 39 / 50
        GlobCase("test_condition_[not_]matches_prefix_wildcard", #"["jayonb*"]"#, "jayonb73", true),
        GlobCase("test_condition_[not_]matches_prefix_wildcard", #"["jayonb*"]"#, "jayonb", true),
        GlobCase("test_condition_[not_]matches_prefix_wildcard", #"["jayonb*"]"#, "dangoldonb1", false),
        // 40 / 51
        GlobCase(
            "test_condition_[not_]matches_prefix_and_suffix_wildcard", onboarding, "jay.goss+onboarding70@sentry.io",
            true),
        GlobCase(
            "test_condition_[not_]matches_prefix_and_suffix_wildcard", onboarding, "jay.goss+onboarding@sentry.io", true
        ),
        GlobCase(
            "test_condition_[not_]matches_prefix_and_suffix_wildcard", onboarding, "jay.goss+onboarding70@example.com",
            false),
        // 41 / 52
        GlobCase("test_condition_[not_]matches_suffix_wildcard", #"["*@sentry.io"]"#, "user@sentry.io", true),
        GlobCase("test_condition_[not_]matches_suffix_wildcard", #"["*@sentry.io"]"#, "user@example.com", false),
        // 42 / 53
        GlobCase("test_condition_[not_]matches_multi_segment_wildcard", #"["a*b*c"]"#, "abc", true),
        GlobCase("test_condition_[not_]matches_multi_segment_wildcard", #"["a*b*c"]"#, "aXbYc", true),
        GlobCase("test_condition_[not_]matches_multi_segment_wildcard", #"["a*b*c"]"#, "aXXbYYc", true),
        GlobCase("test_condition_[not_]matches_multi_segment_wildcard", #"["a*b*c"]"#, "aXXc", false),
        // 43 / 54
        GlobCase("test_condition_[not_]matches_star_only_pattern", #"["*"]"#, "anything", true),
        GlobCase("test_condition_[not_]matches_star_only_pattern", #"["*"]"#, "", true),
        // 44 / 55
        GlobCase("test_condition_[not_]matches_case_insensitive", #"["JAYONB*"]"#, "jayonb73", true),
        GlobCase("test_condition_[not_]matches_case_insensitive", #"["jayonb*"]"#, "JAYONB73", true),
        // 45 / 56
        GlobCase("test_condition_[not_]matches_no_match", #"["jayonb*"]"#, "dangoldonb1", false),
        // 46 / 57
        GlobCase("test_condition_[not_]matches_multiple_patterns", three, "jayonb73", true),
        GlobCase("test_condition_[not_]matches_multiple_patterns", three, "dangoldonb3", true),
        GlobCase("test_condition_[not_]matches_multiple_patterns", three, "value-disc-7", true),
        GlobCase("test_condition_[not_]matches_multiple_patterns", three, "other-org", false),
        // 47 / 58
        GlobCase("test_condition_[not_]matches_overlapping_prefix_suffix_anchors", #"["a*a"]"#, "a", false),
        GlobCase("test_condition_[not_]matches_overlapping_prefix_suffix_anchors", #"["a*a"]"#, "aa", true),
        GlobCase("test_condition_matches_overlapping_prefix_suffix_anchors", #"["ab*ab"]"#, "ab", false),
        GlobCase("test_condition_matches_overlapping_prefix_suffix_anchors", #"["ab*ab"]"#, "abab", true),
        GlobCase("test_condition_matches_overlapping_prefix_suffix_anchors", #"["ab*ab"]"#, "abXab", true),
        // 48 / 59: a non-string scalar matches no pattern, so not_matches holds.
        GlobCase(
            "test_condition_[not_]matches_non_string_context", #"["123*"]"#, value: "123", matches: false,
            notMatches: true),
        // Ours: only `*` is a wildcard, the match is anchored, patterns and text lowercase in Unicode.
        GlobCase("'?' is literal", #"["a?c"]"#, "abc", false),
        GlobCase("'?' is literal", #"["a?c"]"#, "a?c", true),
        GlobCase("'[' is literal", #"["[ab]*"]"#, "ax", false),
        GlobCase("'[' is literal", #"["[ab]*"]"#, "[AB]x", true),
        GlobCase("anchored at the start", #"["b*"]"#, "ab", false),
        GlobCase("anchored at the end", #"["*a"]"#, "ab", false),
        GlobCase("a literal pattern is equality", #"["sentry"]"#, "SENTRY", true),
        GlobCase("a double star is one star", #"["a**b"]"#, "ab", true),
        GlobCase("middle parts in order", #"["*b*a*"]"#, "ab", false),
        GlobCase("middle parts do not reuse the suffix", #"["a*bc*c"]"#, "abc", false),
        GlobCase("Unicode case folding", #"["ÉCOLE-*"]"#, "école-1", true),
        GlobCase("Unicode case folding of the text", #"["straße*"]"#, "STRAßE-1", true),
        GlobCase("no patterns", "[]", "x", false),
        GlobCase("non-string patterns never match", #"[1,"x*"]"#, "xy", true),
        GlobCase(
            "null matches no pattern", #"["*"]"#, value: "null", matches: false, notMatches: true),
        GlobCase(
            "a bool matches no pattern", #"["*"]"#, value: "true", matches: false, notMatches: true),
    ]

    @Test("'matches' and 'not_matches' (test_condition_matches_*, test_condition_not_matches_*)", arguments: globCases)
    func globs(_ testCase: GlobCase) throws {
        let contextJSON = #"{"slug":\#(testCase.value)}"#
        #expect(try holds(condition("slug", "matches", testCase.patterns), contextJSON) == testCase.matches)
        #expect(try holds(condition("slug", "not_matches", testCase.patterns), contextJSON) == testCase.notMatches)
    }

    @Test(
        "a missing property satisfies only in/equals/matches negations (test_missing_property_matches_only_negated_conditions)",
        arguments: [
            ("in", "[1]", false), ("not_in", "[1]", true), ("equals", "1", false), ("not_equals", "1", true),
            ("matches", #"["a"]"#, false), ("not_matches", #"["a"]"#, true), ("contains", #""a""#, false),
            ("not_contains", #""a""#, false),
        ])
    func missingProperty(_ operator: String, _ value: String, _ expected: Bool) throws {
        #expect(try holds(condition("prop", `operator`, value), "{}") == expected)
    }

    @Test("a comparison that cannot be made fails both ways (test_unusable_property_type_matches_neither_form)")
    func unusable() throws {
        let object = #"{"prop":{"k":"v"}}"#
        #expect(try !holds(condition("prop", "in", "[1]"), object))
        #expect(try !holds(condition("prop", "not_in", "[1]"), object))
        let scalar = #"{"prop":"a"}"#
        #expect(try !holds(condition("prop", "contains", #""a""#), scalar))
        #expect(try !holds(condition("prop", "not_contains", #""a""#), scalar))
        let list = #"{"prop":["b"]}"#
        #expect(try !holds(condition("prop", "matches", #"["b"]"#), list))
        #expect(try !holds(condition("prop", "not_matches", #"["b"]"#), list))
        #expect(try holds(condition("prop", "not_contains", #""a""#), list))
        #expect(try !holds(condition("prop", "not_contains", #""b""#), list))
    }

    static let tableCases: [FeatureFlagEvaluationTests.ConditionCase] = [
        // The §5.9 condition table beyond the catalogue.
        .init(
            reference: "matches on an object", property: "p", operator: "matches", value: #"["*"]"#,
            context: #"{"p":{}}"#, expected: false),
        .init(
            reference: "not_matches on an object", property: "p", operator: "not_matches", value: #"["*"]"#,
            context: #"{"p":{}}"#, expected: false),
        .init(
            reference: "contains on an object", property: "p", operator: "contains", value: "1",
            context: #"{"p":{"a":1}}"#, expected: false),
        .init(
            reference: "not_contains on an object", property: "p", operator: "not_contains", value: "1",
            context: #"{"p":{"a":1}}"#, expected: false),
        .init(
            reference: "contains a boolean", property: "p", operator: "contains", value: "true",
            context: #"{"p":[false,true]}"#, expected: true),
        .init(
            reference: "contains does not coerce", property: "p", operator: "contains", value: #""1""#,
            context: #"{"p":[1]}"#, expected: false),
        .init(
            reference: "an array value is not something to contain", property: "p", operator: "contains",
            value: #"["a"]"#, context: #"{"p":["a"]}"#, expected: false),
        .init(
            reference: "nor is null", property: "p", operator: "not_contains", value: "null",
            context: #"{"p":["a"]}"#, expected: false),
        .init(
            reference: "equals on an object is false", property: "p", operator: "equals", value: #"{"a":1}"#,
            context: #"{"p":{"a":1}}"#, expected: false),
        .init(
            reference: "not_equals on an object is true", property: "p", operator: "not_equals",
            value: #"{"a":1}"#, context: #"{"p":{"a":1}}"#, expected: true),
        .init(
            reference: "null never equals null", property: "p", operator: "equals", value: "null",
            context: #"{"p":null}"#, expected: false),
        .init(
            reference: "not_equals null on null", property: "p", operator: "not_equals", value: "null",
            context: #"{"p":null}"#, expected: true),
        .init(
            reference: "arrays equal element by element, case-insensitively", property: "p", operator: "equals",
            value: #"["a","B",1]"#, context: #"{"p":["A","b",1.0]}"#, expected: true),
        .init(
            reference: "array order matters", property: "p", operator: "equals", value: #"["a","b"]"#,
            context: #"{"p":["b","a"]}"#, expected: false),
        .init(
            reference: "array length matters", property: "p", operator: "equals", value: #"["a"]"#,
            context: #"{"p":["a","a"]}"#, expected: false),
        .init(
            reference: "a scalar never equals an array", property: "p", operator: "equals", value: #"["a"]"#,
            context: #"{"p":"a"}"#, expected: false),
        .init(
            reference: "not_equals for an array", property: "p", operator: "not_equals", value: #"["a"]"#,
            context: #"{"p":["b"]}"#, expected: true),
        .init(
            reference: "equals an integer and a float", property: "p", operator: "equals", value: "2",
            context: #"{"p":2.0}"#, expected: true),
        .init(
            reference: "equals 2^53 + 1 exactly", property: "p", operator: "equals", value: "9007199254740993",
            context: #"{"p":9007199254740992}"#, expected: false),
        .init(
            reference: "'in' with a value that is not an array cannot be made", property: "p", operator: "in",
            value: "1", context: #"{"p":1}"#, expected: false),
        .init(
            reference: "nor its negation", property: "p", operator: "not_in", value: "1", context: #"{"p":1}"#,
            expected: false),
        .init(
            reference: "'matches' with a value that is not an array cannot be made", property: "p",
            operator: "not_matches", value: #""x""#, context: #"{"p":"y"}"#, expected: false),
        .init(
            reference: "'in' for an array of arrays finds no scalar", property: "p", operator: "in",
            value: #"["a"]"#, context: #"{"p":[["a"]]}"#, expected: false),
        .init(
            reference: "'in' with a JSON null value cannot be made", property: "p", operator: "not_in",
            value: "null", context: #"{"p":1}"#, expected: false),
        .init(
            reference: "a missing property satisfies not_in even with an unusable value", property: "q",
            operator: "not_in", value: "1", context: #"{"p":1}"#, expected: true),
    ]

    @Test("the condition table of §5.9: objects, null, arrays, unusable values", arguments: tableCases)
    func conditionTable(_ testCase: FeatureFlagEvaluationTests.ConditionCase) throws {
        let text = condition(testCase.property, testCase.operator, testCase.value)
        #expect(try holds(text, testCase.context) == testCase.expected)
    }

    @Test(
        "strings compare as Rust's to_lowercase and UTF-8 bytes: final sigma, Kelvin sign, no canonical equivalence",
        arguments: [
            ("ΟΔΟΣ", "οδος", true),
            ("ΟΔΟΣ", "οδοσ", false),
            ("ΣΑ", "σα", true),
            ("Σ", "σ", true),
            ("kelvin", "\u{212A}ELVIN", true),
            ("école", "ÉCOLE", true),
            ("\u{E9}", "e\u{301}", false),
            ("İ", "i\u{307}", true),
            ("straße", "STRASSE", false),
        ])
    func unicodeCase(_ value: String, _ actual: String, _ expected: Bool) throws {
        let context = FeatureContext(["p": .string(actual)])
        let equals = FeatureFlag.Condition(property: "p", operator: .equals, value: .string(value))
        let isIn = FeatureFlag.Condition(property: "p", operator: .in, value: .array([.string(value)]))
        let matches = FeatureFlag.Condition(property: "p", operator: .matches, value: .array([.string(value)]))
        #expect(equals.holds(for: context) == expected)
        #expect(isIn.holds(for: context) == expected)
        #expect(matches.holds(for: context) == expected)
    }
}

// MARK: - Lenient parsing and the testing values

@Suite("Reader: feature-flag parsing and always_on/always_off (reference §5.9 step 2, §5.10)")
struct FeatureFlagParsingTests {
    @Test("'enabled' that is not a boolean reads as true; 'segments' that is not an array gives an off flag")
    func enabledAndSegments() throws {
        let stringEnabled = FeatureFlag(try json(#"{"enabled":"false","segments":[{"name":"s","conditions":[]}]}"#))
        #expect(stringEnabled.isEnabled)
        #expect(check(stringEnabled, FeatureContext()))
        let objectSegments = FeatureFlag(try json(#"{"segments":{"name":"s","conditions":[]}}"#))
        #expect(objectSegments.segments.isEmpty)
        #expect(!check(objectSegments, FeatureContext()))
        for value in [JSONValue.null, .string("on"), .array([]), .bool(true)] {
            #expect(!check(FeatureFlag(value), FeatureContext()))
        }
    }

    @Test(
        "a rollout that is not a non-negative integer reads as 100",
        arguments: [
            (#""rollout":-1,"#, 100 as UInt64), (#""rollout":50.0,"#, 100), (#""rollout":"50","#, 100),
            (#""rollout":null,"#, 100), ("", 100), (#""rollout":101,"#, 101), (#""rollout":0,"#, 0),
            (#""rollout":18446744073709551615,"#, UInt64.max),
        ])
    func rollout(_ field: String, _ expected: UInt64) throws {
        let flag = FeatureFlag(try json(#"{"segments":[{"name":"s",\#(field)"conditions":[]}]}"#))
        #expect(flag.segments.map(\.rollout) == [expected])
        #expect(check(flag, FeatureContext()) == (expected != 0))
    }

    @Test("unreadable conditions are dropped; a present null value is kept")
    func droppedConditions() throws {
        let dropped = [
            #"{"operator":"in","value":[1]}"#,
            #"{"property":1,"operator":"in","value":[1]}"#,
            #"{"property":"p","operator":"IN","value":[1]}"#,
            #"{"property":"p","operator":"greater_than","value":1}"#,
            #"{"property":"p","value":[1]}"#,
            #"{"property":"p","operator":"in"}"#,
            #""in""#,
        ]
        for text in dropped {
            let flag = try makeFlag(text)
            #expect(flag.segments.first?.conditions.isEmpty == true, "\(text)")
            #expect(check(flag, FeatureContext()), "\(text)")
        }
        let nullValue = try makeFlag(#"{"property":"p","operator":"equals","value":null}"#)
        #expect(nullValue.segments.first?.conditions.map(\.operator) == [.equals])
        #expect(nullValue.segments.first?.conditions.first?.value == .null)
        #expect(!check(nullValue, FeatureContext(["p": .null])))
    }

    @Test("segments and conditions are read with their names, rollouts, properties, operators and values")
    func parts() throws {
        let flag = FeatureFlag(
            try json(
                #"{"enabled":true,"segments":[{"name":"beta","rollout":25,"conditions":[{"name":"c","property":"plan","operator":"not_matches","value":["free*"]}]},{"rollout":5,"conditions":"x"},7]}"#
            ))
        #expect(flag.segments.map(\.name) == ["beta", "", ""])
        #expect(flag.segments.map(\.rollout) == [25, 5, 100])
        #expect(flag.segments.map(\.conditions.count) == [1, 0, 0])
        let condition = try #require(flag.segments.first?.conditions.first)
        #expect(condition.property == "plan")
        #expect(condition.operator == .notMatches)
        #expect(condition.value == .array([.string("free*")]))
        #expect(FeatureFlag.Condition.Operator.allCases.map(\.rawValue) == FeatureFlagValidator.operators)
        #expect(FeatureFlag.Condition.Operator.allCases.filter(\.isNegated).count == 4)
    }

    @Test("a flag built from parts evaluates like a parsed one")
    func builtFromParts() {
        let flag = FeatureFlag(segments: [
            .init(
                name: "orgs", rollout: 56,
                conditions: [.init(property: "organization_id", operator: .in, value: .array([.integer(123)]))])
        ])
        let context = FeatureContext(["organization_id": .integer(123)])
        #expect(flag.evaluate(context) == FeatureVerdict(isEnabled: true, bucket: 56, segment: "orgs"))
        var disabled = flag
        disabled.isEnabled = false
        #expect(disabled.evaluate(context) == FeatureVerdict(isEnabled: false))
    }

    @Test("always_on and always_off are the reference's values, valid, and on and off for any context")
    func alwaysOnOff() throws {
        #expect(
            FeatureFlag.alwaysOn.jsonText
                == #"{"created_at":"1970-01-01","owner":{"team":"testing"},"segments":[{"conditions":[],"name":"always-on","rollout":100}]}"#
        )
        #expect(
            FeatureFlag.alwaysOff.jsonText
                == #"{"created_at":"1970-01-01","enabled":false,"owner":{"team":"testing"},"segments":[]}"#)
        for value in [FeatureFlag.alwaysOn, FeatureFlag.alwaysOff] {
            var path = ValuePath()
            var issues: [OptionsSchema.Issue] = []
            FeatureFlagValidator.validate(value.node, path: &path, into: &issues)
            #expect(issues.isEmpty, "\(issues.map(\.message))")
        }
        let context = FeatureContext(["organization_id": .integer(1)], identityFields: ["organization_id"])
        #expect(
            FeatureFlag(FeatureFlag.alwaysOn).evaluate(context) == FeatureVerdict(isEnabled: true, segment: "always-on")
        )
        #expect(FeatureFlag(FeatureFlag.alwaysOff).evaluate(context) == FeatureVerdict(isEnabled: false))
    }
}
