import OptionsSchema
import Synchronization

/// Values tests put in place of the stored ones (reference §5.10), bound to a task: see
/// `OptionsStore.withOverrides(_:operation:)`.
enum OptionOverrides {
    /// One overridden key: its value, and for a feature flag its parsed form.
    struct Override: Sendable {
        var value: JSONValue
        var flag: FeatureFlag?
    }

    /// The overrides of the current task, namespace → key.
    @TaskLocal static var current: [String: [String: Override]] = [:]

    /// How many override scopes are open in the process: reads look at the task-local only when some are, so
    /// a service that never overrides pays one relaxed load per read.
    static let openScopes = Atomic<Int>(0)

    @inline(__always)
    static var isActive: Bool { openScopes.load(ordering: .relaxed) != 0 }
}

extension OptionsStore {
    /// Runs `operation` with `overrides` (`namespace → key → value`) in place of the stored values, for tests.
    ///
    /// Every entry is validated against its schema before anything applies: an unknown namespace, an unknown key
    /// or a value of the wrong type throws and overrides nothing. The overrides are seen by reads of this task and
    /// of the child tasks it starts inside `operation`, not by other tasks; nested scopes add to the enclosing one
    /// and restore it when they end. `isSet` does not see them, as in the reference. Feature flags take any flag
    /// value, including `FeatureFlag.alwaysOn` and `FeatureFlag.alwaysOff`.
    ///
    /// ```swift
    /// try await store.withOverrides(["seer": ["autofix.rate_limit": .integer(1)]]) {
    ///     try await exerciseRateLimiting()
    /// }
    /// ```
    public func withOverrides<Result>(
        _ overrides: [String: [String: JSONValue]], operation: () async throws -> Result
    ) async throws -> Result {
        let merged = try mergedOverrides(overrides)
        OptionOverrides.openScopes.add(1, ordering: .relaxed)
        defer { OptionOverrides.openScopes.subtract(1, ordering: .relaxed) }
        return try await OptionOverrides.$current.withValue(merged) { try await operation() }
    }

    /// The synchronous form of `withOverrides(_:operation:)`.
    public func withOverrides<Result>(
        _ overrides: [String: [String: JSONValue]], operation: () throws -> Result
    ) throws -> Result {
        let merged = try mergedOverrides(overrides)
        OptionOverrides.openScopes.add(1, ordering: .relaxed)
        defer { OptionOverrides.openScopes.subtract(1, ordering: .relaxed) }
        return try OptionOverrides.$current.withValue(merged) { try operation() }
    }

    /// The enclosing scope's overrides with `overrides` validated and added.
    func mergedOverrides(_ overrides: [String: [String: JSONValue]]) throws(OptionsError)
        -> [String: [String: OptionOverrides.Override]]
    {
        var merged = OptionOverrides.current
        for namespace in overrides.keys.sorted() {
            let options = try self.namespace(namespace)
            let schema = try options.schema
            for (key, value) in overrides[namespace]!.sorted(by: { $0.key < $1.key }) {
                var issues: [Issue] = []
                var path = ValuePath()
                path.push(key)
                var flag: FeatureFlag?
                if let option = schema.options[key] {
                    ValueValidator.validate(value.node, against: option.type, path: &path, into: &issues)
                } else if schema.featureFlags[key] != nil {
                    FeatureFlagValidator.validate(value.node, path: &path, into: &issues)
                    flag = FeatureFlag(value)
                } else {
                    throw .unknownOption(namespace: namespace, key: key)
                }
                if let issue = issues.first { throw .schema("Value error for \(namespace): \(issue.message)") }
                merged[namespace, default: [:]][key] = OptionOverrides.Override(value: value, flag: flag)
            }
        }
        return merged
    }
}
