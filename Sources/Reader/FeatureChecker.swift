/// The feature flags of one namespace (reference §5.9 `features(ns)`): `isEnabled("name", context:)` evaluates
/// the value of the key `feature.<name>`.
///
/// ```swift
/// let flags = store.features("organizations")
/// let context = FeatureContext(["organization_id": .integer(123)], identityFields: ["organization_id"])
/// if flags.isEnabled("organizations:new-billing", context: context) { … }
/// ```
public struct FeatureChecker: Sendable {
    /// The namespace.
    public let namespace: String
    let options: NamespaceOptions?

    /// Whether the flag `name` (without the `feature.` prefix) is on for `context`. Never throws: an unknown
    /// namespace, a flag the schema does not declare or one with no value is off, as in the reference.
    public func isEnabled(_ name: String, context: FeatureContext) -> Bool {
        evaluate(name, context: context)?.isEnabled ?? false
    }

    /// The full verdict for `context`: on or off, the context's bucket, and the segment that decided; `nil` when
    /// the flag has no value (or the namespace is unknown).
    public func evaluate(_ name: String, context: FeatureContext) -> FeatureVerdict? {
        options?.featureFlag(name)?.evaluate(context)
    }
}

extension OptionsStore {
    /// The feature flags of `namespace`; in an unknown namespace every flag is off. The checker reads the latest
    /// snapshot at every evaluation (with lazy loading, a namespace that cannot be read yet has every flag off until
    /// it can).
    public func features(_ namespace: String) -> FeatureChecker {
        FeatureChecker(namespace: namespace, options: slots[namespace].map { NamespaceOptions(store: self, slot: $0) })
    }
}
