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

extension EffectiveOption {
    /// What a pod reads for a declared key no file sets: the schema default, or an unset feature flag.
    static func unsetKey(_ key: String, in schema: NamespaceSchema) -> EffectiveOption {
        if let declared = schema.options[key] {
            return EffectiveOption(
                key: key, value: declared.defaultValue, provenance: .schemaDefault, overrides: nil, isDeclared: true)
        }
        return EffectiveOption(key: key, value: nil, provenance: .unset, overrides: nil, isDeclared: true)
    }
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

/// The `default` layer of one namespace: every key its `default` files set, sorted by key; computed once and
/// shared by the configurations of every target.
public struct DefaultLayer: Sendable {
    /// The options, sorted by the UTF-8 bytes of their keys; a key set in several files keeps the last one.
    public var options: [EffectiveOption]

    /// Collects the options of the `default` files (in path order).
    public init(files: [LoadedValuesFile]) {
        options = EffectiveConfiguration.sortedByKey(
            files.flatMap { file in
                file.options.map { member in
                    EffectiveOption(
                        key: member.key, value: member.value,
                        provenance: .defaultTarget(file: file.displayPath, position: member.keyPosition),
                        overrides: nil, isDeclared: true)
                }
            })
    }
}

/// The merged values of one namespace in one target (reference §3): `default` files in path order, then the
/// target's files; a target value replaces the default value of the option as a whole.
///
/// ```swift
/// let merged = EffectiveConfiguration(namespace: "seer", target: "us", defaultFiles: d, targetFiles: t)
/// merged["autofix.rate_limit"]?.provenance   // .target(file: "…/us/values.yaml", position: 3:3)
/// ```
public struct EffectiveConfiguration: Sendable {
    /// The namespace.
    public var namespace: String
    /// The target.
    public var target: String
    /// Every key set in `default` or the target, sorted by the UTF-8 bytes of the key (the payload's order).
    public var options: [EffectiveOption]

    /// Merges `default` files and the target's files (each list in path order).
    public init(namespace: String, target: String, defaultFiles: [LoadedValuesFile], targetFiles: [LoadedValuesFile]) {
        self.init(
            namespace: namespace, target: target, defaults: DefaultLayer(files: defaultFiles), targetFiles: targetFiles)
    }

    /// Merges the namespace's `default` layer and the target's files (in path order).
    public init(namespace: String, target: String, defaults: DefaultLayer, targetFiles: [LoadedValuesFile]) {
        self.namespace = namespace
        self.target = target
        guard target != TreeLayout.defaultTarget, !targetFiles.isEmpty else {
            options = defaults.options
            return
        }
        let overrides = Self.sortedByKey(
            targetFiles.flatMap { file in
                file.options.map { member in
                    EffectiveOption(
                        key: member.key, value: member.value,
                        provenance: .target(file: file.displayPath, position: member.keyPosition), overrides: nil,
                        isDeclared: true)
                }
            })
        // Both lists are sorted: one merge pass, the target's option winning and remembering what it replaced.
        let base = defaults.options
        var merged: [EffectiveOption] = []
        merged.reserveCapacity(base.count + overrides.count)
        var baseIndex = 0
        for var option in overrides {
            while baseIndex < base.count && JSONWriter.utf8Precedes(base[baseIndex].key, option.key) {
                merged.append(base[baseIndex])
                baseIndex += 1
            }
            if baseIndex < base.count && base[baseIndex].key == option.key {
                option.overrides = base[baseIndex].provenance
                baseIndex += 1
            }
            merged.append(option)
        }
        merged += base[baseIndex...]
        options = merged
    }

    /// The keys set in `default` or the target, sorted.
    public var keys: [String] { options.map(\.key) }

    /// The option set for `key` in `default` or the target.
    public subscript(key: String) -> EffectiveOption? {
        var low = 0
        var high = options.count
        while low < high {
            let middle = (low + high) / 2
            if JSONWriter.utf8Precedes(options[middle].key, key) { low = middle + 1 } else { high = middle }
        }
        return low < options.count && options[low].key == key ? options[low] : nil
    }

    /// `options` sorted by key; of several options with one key, the last one stays.
    static func sortedByKey(_ options: [EffectiveOption]) -> [EffectiveOption] {
        lastOfEachKey(options.map(\.key)).map { options[$0] }
    }

    /// The indices of `keys` in the order of their UTF-8 bytes, one per distinct key: its last occurrence (the
    /// merge order of reference §3, where a later file wins).
    static func lastOfEachKey(_ keys: [String]) -> [Int] {
        // Sorting indices keeps the sort stable (ties by position), so the last of equal keys is the last in a run.
        let order = keys.indices.sorted { a, b in
            JSONWriter.utf8Precedes(keys[a], keys[b]) || (keys[a] == keys[b] && a < b)
        }
        var result: [Int] = []
        result.reserveCapacity(order.count)
        for index in order {
            if let last = result.last, keys[last] == keys[index] {
                result[result.count - 1] = index
            } else {
                result.append(index)
            }
        }
        return result
    }

    /// Every option a pod in the target reads, sorted by key: the schema's options and feature flags (with
    /// schema defaults for unset options), then keys the schema does not declare.
    public func resolved(with schema: NamespaceSchema) -> [EffectiveOption] {
        var result: [EffectiveOption] = []
        for key in schema.allKeys {
            result.append(self[key] ?? EffectiveOption.unsetKey(key, in: schema))
        }
        for var option in options where !schema.declares(option.key) {
            option.isDeclared = false
            result.append(option)
        }
        return result
    }
}
