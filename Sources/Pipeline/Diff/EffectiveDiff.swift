public import OptionsSchema

/// How one option's effective value in one target differs between two revisions.
public struct ValueChange: Sendable {
    /// The option key.
    public var key: String
    /// The option before (value and where it came from); `nil` when the key was not there at all.
    public var before: EffectiveOption?
    /// The option after; `nil` when the key is gone (an undeclared key removed, or its target removed).
    public var after: EffectiveOption?

    /// Whether the option now falls back to its schema default where it was set before.
    public var fallsBackToSchemaDefault: Bool {
        after?.provenance == .schemaDefault && before.map { $0.provenance != .schemaDefault } ?? false
    }
}

/// How one target (region) of a namespace differs between two revisions.
public struct TargetDiff: Sendable {
    /// Whether the target exists on each side.
    public enum Status: String, Sendable {
        /// On both sides.
        case modified
        /// Only in the head: a new region gets a ConfigMap.
        case added
        /// Only in the base: deploying does not delete its ConfigMap.
        case removed
    }

    /// The namespace.
    public var namespace: String
    /// The target.
    public var target: String
    /// Whether it was added, removed or is on both sides.
    public var status: Status
    /// The options whose effective value differs, sorted by key (for an added or removed target: the options its
    /// own files set).
    public var changes: [ValueChange]
}

/// The effective difference of one namespace between two revisions: per target, what a pod reads before and
/// after. A change to `default` appears on every target that inherits the option and on none that overrides it.
public enum EffectiveDiff {
    /// One side of a namespace: its schema (when valid) and its parsed values files.
    public struct Side: Sendable {
        /// The namespace's schema on this side; `nil` when it has none (or it is invalid).
        public var schema: NamespaceSchema?
        /// Its parsed values files, in path order.
        public var files: [LoadedValuesFile]

        /// Creates a side.
        public init(schema: NamespaceSchema?, files: [LoadedValuesFile]) {
            self.schema = schema
            self.files = files
        }

        /// The targets that have values files, sorted.
        var targets: [String] { Array(Set(files.map(\.file.target))).sorted() }
    }

    /// The targets of `namespace` whose effective values differ between `base` and `head`, sorted by target;
    /// targets without a difference are left out.
    /// - Parameter schemaUnchanged: whether the namespace's schema is the same on both sides (its files did not
    ///   change); then only the keys some file sets can differ, and the others are not resolved at all.
    public static func compare(namespace: String, base: Side, head: Side, schemaUnchanged: Bool = false)
        -> [TargetDiff]
    {
        let baseTargets = base.targets
        let headTargets = head.targets
        let all = Array(Set(baseTargets).union(headTargets)).sorted()
        // With the same schema, a target whose files and `default` files hold the same values on both sides reads
        // the same values: it is not merged at all (a change usually touches one or two files of a namespace).
        var unchanged: Set<String> = []
        if schemaUnchanged {
            let baseFiles = Dictionary(grouping: base.files, by: \.file.target)
            let headFiles = Dictionary(grouping: head.files, by: \.file.target)
            let defaultTarget = TreeLayout.defaultTarget
            if sameValues(baseFiles[defaultTarget] ?? [], headFiles[defaultTarget] ?? []) {
                unchanged = Set(
                    all.filter { target in
                        baseFiles[target] != nil && headFiles[target] != nil
                            && sameValues(baseFiles[target] ?? [], headFiles[target] ?? [])
                    })
            }
        }
        func merged(_ side: Side, _ targets: [String]) -> [String: EffectiveConfiguration] {
            let needed = targets.filter { !unchanged.contains($0) }
            return Dictionary(
                uniqueKeysWithValues: zip(
                    needed, NamespaceValues.configurations(of: namespace, files: side.files, targets: needed)))
        }
        let before = merged(base, baseTargets)
        let after = merged(head, headTargets)
        // Every declared key, sorted: only needed where defaults are resolved (not when only set keys are compared).
        var baseKeys: [String]??
        var headKeys: [String]??
        var diffs: [TargetDiff] = []
        for target in all where !unchanged.contains(target) {
            if schemaUnchanged, let baseSchema = base.schema, let headSchema = head.schema,
                let old = before[target], let new = after[target]
            {
                let changes = compareSet(old.options, new.options, baseSchema, headSchema)
                if !changes.isEmpty {
                    diffs.append(TargetDiff(namespace: namespace, target: target, status: .modified, changes: changes))
                }
                continue
            }
            if baseKeys == nil { baseKeys = .some(base.schema.map(sortedKeys)) }
            if headKeys == nil { headKeys = .some(head.schema.map(sortedKeys)) }
            let old = before[target].map { resolve($0, base.schema, keys: baseKeys ?? nil) }
            let new = after[target].map { resolve($0, head.schema, keys: headKeys ?? nil) }
            let status: TargetDiff.Status = old == nil ? .added : new == nil ? .removed : .modified
            var changes = compare(old ?? [], new ?? [])
            if status != .modified {
                // A whole target appears or goes: list what its own files set, not everything it inherits.
                changes.removeAll { change in
                    guard case .target = (change.after ?? change.before)?.provenance else { return true }
                    return false
                }
            }
            if status != .modified || !changes.isEmpty {
                diffs.append(TargetDiff(namespace: namespace, target: target, status: status, changes: changes))
            }
        }
        return diffs
    }

    /// Whether two lists of files (one target's, in path order) set the same keys to the same values, file by file.
    static func sameValues(_ a: [LoadedValuesFile], _ b: [LoadedValuesFile]) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard x.file.path == y.file.path, x.options.count == y.options.count else { return false }
            for (m, n) in zip(x.options, y.options) where m.key != n.key || !m.value.isSameValue(as: n.value) {
                return false
            }
        }
        return true
    }

    /// Every key a schema declares, sorted by bytes.
    static func sortedKeys(_ schema: NamespaceSchema) -> [String] {
        (Array(schema.options.keys) + Array(schema.featureFlags.keys)).sorted(by: JSONWriter.utf8Precedes)
    }

    /// What a pod reads, sorted by key: every key of the schema (with its schema default when unset) and the
    /// undeclared keys set; only the keys set when there is no schema.
    static func resolve(_ configuration: EffectiveConfiguration, _ schema: NamespaceSchema?, keys: [String]?)
        -> [EffectiveOption]
    {
        guard let schema, let keys else { return configuration.options }
        let set = configuration.options
        var result: [EffectiveOption] = []
        result.reserveCapacity(keys.count)
        var i = 0
        var j = 0
        while i < set.count || j < keys.count {
            if j == keys.count || (i < set.count && JSONWriter.utf8Precedes(set[i].key, keys[j])) {
                var undeclared = set[i]
                undeclared.isDeclared = false
                result.append(undeclared)
                i += 1
            } else if i < set.count && set[i].key == keys[j] {
                result.append(set[i])
                i += 1
                j += 1
            } else {
                result.append(EffectiveOption.unsetKey(keys[j], in: schema))
                j += 1
            }
        }
        return result
    }

    /// The keys whose value differs (or that appear on one side only), both lists sorted by key.
    static func compare(_ old: [EffectiveOption], _ new: [EffectiveOption]) -> [ValueChange] {
        var changes: [ValueChange] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            if j == new.count || (i < old.count && JSONWriter.utf8Precedes(old[i].key, new[j].key)) {
                changes.append(ValueChange(key: old[i].key, before: old[i], after: nil))
                i += 1
            } else if i == old.count || JSONWriter.utf8Precedes(new[j].key, old[i].key) {
                changes.append(ValueChange(key: new[j].key, before: nil, after: new[j]))
                j += 1
            } else {
                if !sameValue(old[i].value, new[j].value) {
                    changes.append(ValueChange(key: new[j].key, before: old[i], after: new[j]))
                }
                i += 1
                j += 1
            }
        }
        return changes
    }

    /// What `compare(resolve(old), resolve(new))` finds, from the options set alone: a key set on neither side
    /// reads its schema default on both, which is the same when the schema is.
    static func compareSet(
        _ old: [EffectiveOption], _ new: [EffectiveOption], _ baseSchema: NamespaceSchema,
        _ headSchema: NamespaceSchema
    ) -> [ValueChange] {
        /// An option set in a file, as `resolve` presents it.
        func presented(_ option: EffectiveOption, _ schema: NamespaceSchema) -> EffectiveOption {
            var option = option
            if !schema.declares(option.key) { option.isDeclared = false }
            return option
        }
        /// What a pod reads for a key no file sets: its schema default, or nothing for an undeclared key.
        func unset(_ key: String, _ schema: NamespaceSchema) -> EffectiveOption? {
            schema.declares(key) ? EffectiveOption.unsetKey(key, in: schema) : nil
        }
        var changes: [ValueChange] = []
        var i = 0
        var j = 0
        while i < old.count || j < new.count {
            let key: String
            let before: EffectiveOption?
            let after: EffectiveOption?
            if j == new.count || (i < old.count && JSONWriter.utf8Precedes(old[i].key, new[j].key)) {
                key = old[i].key
                before = presented(old[i], baseSchema)
                after = unset(old[i].key, headSchema)
                i += 1
            } else if i == old.count || JSONWriter.utf8Precedes(new[j].key, old[i].key) {
                key = new[j].key
                before = unset(new[j].key, baseSchema)
                after = presented(new[j], headSchema)
                j += 1
            } else {
                key = new[j].key
                before = presented(old[i], baseSchema)
                after = presented(new[j], headSchema)
                i += 1
                j += 1
            }
            if before == nil || after == nil || !sameValue(before?.value, after?.value) {
                changes.append(ValueChange(key: key, before: before, after: after))
            }
        }
        return changes
    }

    static func sameValue(_ a: Node?, _ b: Node?) -> Bool {
        switch (a, b) {
        case (nil, nil): true
        case (let x?, let y?): x.isSameValue(as: y)
        default: false
        }
    }
}
