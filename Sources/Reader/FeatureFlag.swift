/// A feature flag's value, parsed leniently as the reference clients do (reference §5.9) and ready to be
/// evaluated many times.
///
/// ```swift
/// let flag = FeatureFlag(try namespace.value("feature.organizations:new-ui"))
/// let context = FeatureContext(["organization_id": .integer(123)], identityFields: ["organization_id"])
/// if flag.evaluate(context).isEnabled { ... }
/// ```
///
/// Parsing never fails: a value that is not an object, or whose `segments` is not an array, gives a flag with no
/// segments, which is off for every context. Everything an evaluation needs is prepared here: condition values
/// are lowercased and typed, glob patterns are split on `*`. An evaluation hashes the context's identity only
/// when the deciding segment has a rollout strictly between 0 and 100, and the context keeps that hash.
public struct FeatureFlag: Sendable {
    /// The `enabled` field; missing or not a boolean reads as `true`. A disabled flag is off for every context.
    public var isEnabled: Bool

    /// The segments, in order; the first one whose conditions all hold decides.
    public var segments: [Segment]

    /// The flag of a stored value, read leniently: see `Segment` and `Condition` for what each part falls back to.
    public init(_ value: JSONValue) {
        guard case .object(let members) = value else {
            self.init(isEnabled: true, segments: [])
            return
        }
        let isEnabled = if case .bool(let flag) = members["enabled"] { flag } else { true }
        let segments: [Segment] =
            if case .array(let elements) = members["segments"] { elements.map(Segment.init) } else { [] }
        self.init(isEnabled: isEnabled, segments: segments)
    }

    /// A flag made of parts.
    public init(isEnabled: Bool = true, segments: [Segment]) {
        self.isEnabled = isEnabled
        self.segments = segments
    }

    /// The verdict for `context`: whether the flag is on for it, and which segment decided.
    ///
    /// Off when the flag is disabled or no segment matches. Otherwise the first matching segment decides by its
    /// rollout: 0 is off, 100 or more is on, and in between the context is on when `context.bucket <= rollout`
    /// (so rollout `r` covers `r + 1` buckets, as in flagpole); later segments are never consulted.
    public func evaluate(_ context: FeatureContext) -> FeatureVerdict {
        guard isEnabled else { return FeatureVerdict(isEnabled: false) }
        for segment in segments where segment.matches(context) {
            switch segment.rollout {
            case 0: return FeatureVerdict(isEnabled: false, segment: segment.name)
            case 100...: return FeatureVerdict(isEnabled: true, segment: segment.name)
            default:
                let bucket = context.bucket
                return FeatureVerdict(
                    isEnabled: UInt64(bucket) <= segment.rollout, bucket: bucket, segment: segment.name)
            }
        }
        return FeatureVerdict(isEnabled: false)
    }

    /// The reference's `always_on()` value (§5.10): one segment, rollout 100, no conditions.
    public static let alwaysOn: JSONValue = .object([
        "owner": .object(["team": .string("testing")]),
        "created_at": .string("1970-01-01"),
        "segments": .array([
            .object(["name": .string("always-on"), "rollout": .integer(100), "conditions": .array([])])
        ]),
    ])

    /// The reference's `always_off()` value (§5.10): disabled, no segments.
    public static let alwaysOff: JSONValue = .object([
        "owner": .object(["team": .string("testing")]),
        "created_at": .string("1970-01-01"),
        "enabled": .bool(false),
        "segments": .array([]),
    ])
}

/// The outcome of evaluating a feature flag for one context.
public struct FeatureVerdict: Sendable, Equatable {
    /// Whether the flag is on for the context.
    public var isEnabled: Bool

    /// The context's rollout bucket (0–99), when the decision used it: the deciding segment's rollout was strictly
    /// between 0 and 100. `nil` otherwise, since the identity is then not hashed; `FeatureContext.bucket` gives it
    /// at any time.
    public var bucket: Int?

    /// The name of the segment that decided (`""` for a segment without a name); `nil` when the flag is disabled
    /// or no segment matched.
    public var segment: String?

    /// A verdict.
    public init(isEnabled: Bool, bucket: Int? = nil, segment: String? = nil) {
        self.isEnabled = isEnabled
        self.bucket = bucket
        self.segment = segment
    }
}

extension FeatureFlag {
    /// A group of contexts a flag targets: all its conditions must hold (an empty list always holds).
    public struct Segment: Sendable {
        /// The `name` field (`""` when missing or not a string).
        public let name: String

        /// The share of matching contexts that get the flag, in percent: the `rollout` field when it is a
        /// non-negative integer, else 100.
        public let rollout: UInt64

        /// The conditions, in order; conditions the reference cannot read are left out.
        public let conditions: [Condition]

        /// A segment made of parts.
        public init(name: String, rollout: UInt64 = 100, conditions: [Condition]) {
            self.name = name
            self.rollout = rollout
            self.conditions = conditions
        }

        /// The segment of a stored value, read leniently: a value that is not an object is a nameless segment
        /// with rollout 100 and no conditions, as the reference reads it; `conditions` that is not an array is
        /// empty; a condition without a string `property`, a known `operator` or a `value` is dropped.
        public init(_ value: JSONValue) {
            let members: [String: JSONValue] = if case .object(let members) = value { members } else { [:] }
            name = if case .string(let name) = members["name"] { name } else { "" }
            rollout =
                switch members["rollout"] {
                case .integer(let number) where number >= 0: UInt64(number)
                case .unsignedInteger(let number): number
                default: 100
                }
            conditions =
                if case .array(let elements) = members["conditions"] { elements.compactMap(Condition.init) } else { [] }
        }

        /// Whether all conditions hold for `context`.
        public func matches(_ context: FeatureContext) -> Bool {
            for condition in conditions where !condition.holds(for: context) { return false }
            return true
        }
    }

    /// A test of one context property.
    ///
    /// String comparisons are case-insensitive (Unicode lowercase of both sides); numbers compare by value whatever
    /// their type (integers exactly, including above 2⁵³; an integer and a float as floats); there is no other
    /// coercion (`"123"` is not `123`, `"true"` is not `true`). A comparison that cannot be made (an `in` against
    /// an object property, a `contains` on a property that is not an array, a `matches` on an array) fails for
    /// the operator and for its negation alike. A missing property satisfies only `not_in`, `not_equals` and
    /// `not_matches`.
    public struct Condition: Sendable {
        /// A condition operator, by its name in the flag value.
        public enum Operator: String, Sendable, CaseIterable {
            /// The property (or, for an array property, one of its elements) is one of the listed values.
            case `in` = "in"
            /// The negation of `in`.
            case notIn = "not_in"
            /// The array property has an element equal to the value.
            case contains
            /// The negation of `contains`.
            case notContains = "not_contains"
            /// The property equals the value (arrays element by element).
            case equals
            /// The negation of `equals`.
            case notEquals = "not_equals"
            /// The string property matches one of the glob patterns (`*` the only wildcard).
            case matches
            /// The negation of `matches`.
            case notMatches = "not_matches"

            /// Whether this is the negated form of another operator.
            public var isNegated: Bool {
                switch self {
                case .in, .contains, .equals, .matches: false
                case .notIn, .notContains, .notEquals, .notMatches: true
                }
            }
        }

        /// The context property tested.
        public let property: String

        /// The test.
        public let `operator`: Operator

        /// The `value` field, as stored.
        public let value: JSONValue

        /// `value` prepared for `operator`.
        let operand: FeatureOperand

        /// A condition made of parts; `value` is prepared for evaluation here.
        public init(property: String, operator: Operator, value: JSONValue) {
            self.property = property
            self.operator = `operator`
            self.value = value
            operand = FeatureOperand(value, for: `operator`)
        }

        /// The condition of a stored value, or `nil` (dropped, as the reference does) when it has no string
        /// `property`, no known `operator` or no `value`.
        public init?(_ value: JSONValue) {
            guard case .object(let members) = value,
                case .string(let property) = members["property"],
                case .string(let name) = members["operator"],
                let `operator` = Operator(rawValue: name),
                let operand = members["value"]
            else { return nil }
            self.init(property: property, operator: `operator`, value: operand)
        }

        /// Whether the condition holds for `context`.
        public func holds(for context: FeatureContext) -> Bool {
            guard let actual = context.values[property] else {
                return self.operator == .notIn || self.operator == .notEquals || self.operator == .notMatches
            }
            switch comparison(with: actual) {
            case .some(let result): return result != self.operator.isNegated
            case .none: return false
            }
        }

        /// The outcome of the positive form of the operator for `actual`; `nil` when it cannot be made.
        private func comparison(with actual: JSONValue) -> Bool? {
            switch (self.operator, operand) {
            case (_, .unusable): return nil
            case (.in, .list(let terms)), (.notIn, .list(let terms)):
                switch actual {
                case .object: return nil
                case .array(let elements): return elements.contains { FeatureTerm.isElement($0, of: terms) }
                default: return FeatureTerm.isElement(actual, of: terms)
                }
            case (.contains, .term(let term)), (.notContains, .term(let term)):
                guard case .array(let elements) = actual else { return nil }
                return elements.contains { term.equalsScalar($0) }
            case (.equals, .term(let term)), (.notEquals, .term(let term)):
                return term.equals(actual)
            case (.matches, .patterns(let globs)), (.notMatches, .patterns(let globs)):
                switch actual {
                case .string(let text):
                    return FeatureText.withLowercasedUTF8(text) { bytes, foldsASCII in
                        globs.contains { $0.matches(bytes, foldsASCII: foldsASCII) }
                    }
                case .array, .object: return nil
                default: return false
                }
            default: return nil
            }
        }
    }
}

/// A condition's `value` prepared for its operator.
enum FeatureOperand: Sendable {
    /// `in`, `not_in`: the listed values.
    case list([FeatureTerm])
    /// `contains`, `not_contains` (a scalar), `equals`, `not_equals` (anything).
    case term(FeatureTerm)
    /// `matches`, `not_matches`: the string patterns of the array (other elements never match).
    case patterns([FeatureGlob])
    /// A value of the wrong shape for the operator: no comparison can be made.
    case unusable

    init(_ value: JSONValue, for operator: FeatureFlag.Condition.Operator) {
        switch `operator` {
        case .in, .notIn:
            self = if case .array(let elements) = value { .list(elements.map(FeatureTerm.init)) } else { .unusable }
        case .contains, .notContains:
            switch value {
            case .string, .integer, .unsignedInteger, .double, .bool: self = .term(FeatureTerm(value))
            case .null, .array, .object: self = .unusable
            }
        case .equals, .notEquals:
            self = .term(FeatureTerm(value))
        case .matches, .notMatches:
            guard case .array(let elements) = value else {
                self = .unusable
                return
            }
            self = .patterns(
                elements.compactMap { element in
                    if case .string(let pattern) = element { FeatureGlob(pattern) } else { nil }
                })
        }
    }
}

/// A condition value in comparable form: strings lowercased to UTF-8 bytes, numbers kept exact.
enum FeatureTerm: Sendable {
    case string([UInt8])
    case number(FeatureNumber)
    case bool(Bool)
    case array([FeatureTerm])
    /// `null` or an object: equal to nothing.
    case unmatchable

    init(_ value: JSONValue) {
        switch value {
        case .string(let text): self = .string(Array(FeatureText.lowercased(text).utf8))
        case .integer(let number): self = .number(.signed(number))
        case .unsignedInteger(let number): self = .number(.unsigned(number))
        case .double(let number): self = .number(.float(number))
        case .bool(let flag): self = .bool(flag)
        case .array(let elements): self = .array(elements.map(FeatureTerm.init))
        case .null, .object: self = .unmatchable
        }
    }

    /// The reference's `values_equal`: strings case-insensitively, numbers by value, booleans, arrays element by
    /// element with equal lengths; nothing else is equal (not `null` to `null`, not objects).
    func equals(_ actual: JSONValue) -> Bool {
        switch (self, actual) {
        case (.string(let lowered), .string(let text)):
            return FeatureText.withLowercasedUTF8(text) { FeatureText.equal($0, foldsASCII: $1, lowered) }
        case (.number(let number), _):
            guard let other = FeatureNumber(actual) else { return false }
            return number.isEqual(to: other)
        case (.bool(let flag), .bool(let other)):
            return flag == other
        case (.array(let terms), .array(let elements)):
            guard terms.count == elements.count else { return false }
            for (term, element) in zip(terms, elements) where !term.equals(element) { return false }
            return true
        default:
            return false
        }
    }

    /// Equality of scalars (`in` elements, `contains`): as `equals`, but an array equals nothing.
    func equalsScalar(_ actual: JSONValue) -> Bool {
        if case .array = self { return false }
        if case .array = actual { return false }
        return equals(actual)
    }

    /// The reference's `scalar_in`: whether `actual` equals one of `terms` (a string is lowercased once).
    static func isElement(_ actual: JSONValue, of terms: [FeatureTerm]) -> Bool {
        guard case .string(let text) = actual else { return terms.contains { $0.equalsScalar(actual) } }
        return FeatureText.withLowercasedUTF8(text) { bytes, foldsASCII in
            terms.contains { term in
                if case .string(let lowered) = term {
                    FeatureText.equal(bytes, foldsASCII: foldsASCII, lowered)
                } else {
                    false
                }
            }
        }
    }
}

/// A JSON number in its exact form.
enum FeatureNumber: Sendable {
    case signed(Int64)
    case unsigned(UInt64)
    case float(Double)

    init?(_ value: JSONValue) {
        switch value {
        case .integer(let number): self = .signed(number)
        case .unsignedInteger(let number): self = .unsigned(number)
        case .double(let number): self = .float(number)
        default: return nil
        }
    }

    /// Type-agnostic equality: two integers exactly (so 2⁵³ + 1 is not 2⁵³), otherwise as `Double`s (`123 == 123.0`).
    func isEqual(to other: FeatureNumber) -> Bool {
        switch (self, other) {
        case (.signed(let a), .signed(let b)): a == b
        case (.unsigned(let a), .unsigned(let b)): a == b
        case (.signed(let a), .unsigned(let b)), (.unsigned(let b), .signed(let a)): a >= 0 && UInt64(a) == b
        default: asDouble == other.asDouble
        }
    }

    private var asDouble: Double {
        switch self {
        case .signed(let number): Double(number)
        case .unsigned(let number): Double(number)
        case .float(let number): number
        }
    }
}
