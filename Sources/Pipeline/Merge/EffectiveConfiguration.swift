public import OptionsSchema

/// Where an effective value comes from.
public enum Provenance: Sendable, Equatable {
    /// Set in a file of the target itself.
    case target(file: String, position: SourcePosition)
    /// Set in a file of the `default` target.
    case defaultTarget(file: String, position: SourcePosition)
    /// Not set anywhere: the schema default applies (it is not written into payloads; clients fall back to it).
    case schemaDefault
    /// A feature flag set nowhere: it has no default and evaluates to false.
    case unset
}

/// One option's effective value in a target.
public struct EffectiveOption: Sendable {
    /// The option key.
    public var key: String
    /// The value a service in the target reads (`nil` only for an unset feature flag).
    public var value: Node?
    /// Where the value comes from.
    public var provenance: Provenance
    /// The `default` value this target's value replaces, when it replaces one.
    public var overrides: Provenance?
    /// Whether the schema declares the key (unknown keys are passed through, as sentry-options does).
    public var isDeclared: Bool
}

/// A values file read for merging: its options mapping, in file order.
public struct LoadedValuesFile: Sendable {
    /// The file.
    public var file: ValuesFile
    /// How the file is shown.
    public var displayPath: String
    /// The members of its `options` mapping.
    public var options: [Node.Member]

    /// Creates a loaded file.
    public init(file: ValuesFile, displayPath: String, options: [Node.Member]) {
        self.file = file
        self.displayPath = displayPath
        self.options = options
    }
}

/// The merged values of one namespace in one target (reference §3): `default` files in path order, then the
/// target's files; a target value replaces the default value of the option as a whole.
///
/// ```swift
/// let merged = EffectiveConfiguration(namespace: "seer", target: "us", defaultFiles: d, targetFiles: t)
/// merged.set["autofix.rate_limit"]?.provenance   // .target(file: "…/us/values.yaml", position: 3:3)
/// ```
public struct EffectiveConfiguration: Sendable {
    /// The namespace.
    public var namespace: String
    /// The target.
    public var target: String
    /// Every key set in `default` or the target, by key.
    public var set: [String: EffectiveOption]

    /// Merges `default` files and the target's files (each list in path order).
    public init(namespace: String, target: String, defaultFiles: [LoadedValuesFile], targetFiles: [LoadedValuesFile]) {
        self.namespace = namespace
        self.target = target
        var set: [String: EffectiveOption] = [:]
        for file in defaultFiles {
            for member in file.options {
                set[member.key] = EffectiveOption(
                    key: member.key, value: member.value,
                    provenance: .defaultTarget(file: file.displayPath, position: member.keyPosition), overrides: nil,
                    isDeclared: true)
            }
        }
        if target != TreeLayout.defaultTarget {
            for file in targetFiles {
                for member in file.options {
                    let replaced = set[member.key]?.provenance
                    set[member.key] = EffectiveOption(
                        key: member.key, value: member.value,
                        provenance: .target(file: file.displayPath, position: member.keyPosition), overrides: replaced,
                        isDeclared: true)
                }
            }
        }
        self.set = set
    }

    /// Every option a pod in the target reads, sorted by key: the schema's options and feature flags (with
    /// schema defaults for unset options), then keys the schema does not declare.
    public func resolved(with schema: NamespaceSchema) -> [EffectiveOption] {
        var result: [EffectiveOption] = []
        for key in schema.allKeys {
            if let option = set[key] {
                result.append(option)
            } else if let declared = schema.options[key] {
                result.append(
                    EffectiveOption(
                        key: key, value: declared.defaultValue, provenance: .schemaDefault, overrides: nil,
                        isDeclared: true))
            } else {
                result.append(
                    EffectiveOption(key: key, value: nil, provenance: .unset, overrides: nil, isDeclared: true))
            }
        }
        for key in set.keys.sorted() where !schema.declares(key) {
            if var option = set[key] {
                option.isDeclared = false
                result.append(option)
            }
        }
        return result
    }
}
