public import OptionsSchema

/// One difference between the schemas of two revisions, judged by the rules of reference §4.1.
public struct SchemaChange: Sendable, Equatable {
    /// What changed.
    public enum Kind: String, Sendable, Equatable {
        case namespaceAdded = "namespace-added"
        case namespaceRemoved = "namespace-removed"
        case namespaceName = "namespace-name"
        case optionAdded = "option-added"
        case optionRemoved = "option-removed"
        case typeChanged = "type-changed"
        case itemsTypeChanged = "items-type-changed"
        case shapeChanged = "shape-changed"
        case itemShapeChanged = "item-shape-changed"
        case dictValueTypeChanged = "dict-value-type-changed"
        case optionalFieldAdded = "optional-field-added"
        case defaultChanged = "default-changed"
        case featureFlagAdded = "feature-flag-added"
        case featureFlagRemoved = "feature-flag-removed"
    }

    /// What changed.
    public var kind: Kind
    /// The namespace.
    public var namespace: String
    /// The option or feature-flag key; `nil` for namespace changes.
    public var key: String?
    /// Whether the change would break running services (the reference forbids it).
    public var isForbidden: Bool
    /// What to tell the reviewer: the reference's error wording for forbidden changes.
    public var message: String
    /// The reference's change-log line (`~ Type:\t\t seer.key: string -> integer`).
    public var logLine: String
    /// Which side's `schema.json` the position refers to: the head for most changes, the base for removals.
    public var isInBase: Bool
    /// Where in that `schema.json` the change is (the option's key), when known.
    public var position: SourcePosition?
    /// For a forbidden change: how to reach its intent without breaking services (set by `Differ`).
    public var remedy: String? = nil
    /// Whether a forbidden change was let through deliberately (`--allow-forbidden`); it stays listed.
    public var isAllowedByOverride = false

    /// What `--allow-forbidden` names this change by: `namespace:key`, or `namespace` for namespace changes.
    public var overrideName: String { key.map { "\(namespace):\($0)" } ?? namespace }
}

/// Compares the schemas of two revisions (reference §4): what was added, removed or modified, and which of it
/// would break services that read the options.
///
/// Stricter than the reference where it has blind spots (§7 item 7): a dict's value type and changes nested below
/// `items` are compared, and feature-flag additions and removals are reported (allowed). Looser in one place on
/// purpose: adding an *optional* struct field breaks no reader and no existing value, so it is allowed.
///
/// ```swift
/// let changes = SchemaEvolution.compare(base: old.schemas, head: new.schemas)
/// changes.filter(\.isForbidden).map(\.message)   // ["Option 'seer.rate' default value changed from 1 to 2"]
/// ```
public enum SchemaEvolution {
    /// The changes from `base` to `head`, in the reference's order: per base namespace (sorted) removed options,
    /// then modifications, then added options; then new namespaces. With `repository`, every head namespace must
    /// be named `<repository>` or `<repository>-*` (§4.1 rule 1).
    public static func compare(
        base: [String: NamespaceSchema], head: [String: NamespaceSchema], repository: String? = nil
    ) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        if let repository {
            for name in head.keys.sorted() where name != repository && !name.hasPrefix(repository + "-") {
                changes.append(
                    SchemaChange(
                        kind: .namespaceName, namespace: name, key: nil, isForbidden: true,
                        message:
                            "Namespace '\(name)' is invalid. Expected either '\(repository)' or '\(repository)-*' (e.g., '\(repository)-testing')",
                        logLine: "! Namespace:\t \(name)", isInBase: false, position: nil))
            }
        }
        for name in base.keys.sorted() {
            guard let old = base[name] else { continue }
            guard let new = head[name] else {
                changes.append(
                    SchemaChange(
                        kind: .namespaceRemoved, namespace: name, key: nil, isForbidden: true,
                        message: "Namespace '\(name)' was removed", logLine: "- Namespace:\t \(name)", isInBase: true,
                        position: nil))
                continue
            }
            changes += compare(old, new)
        }
        for name in head.keys.sorted() where base[name] == nil {
            guard let new = head[name] else { continue }
            changes.append(
                SchemaChange(
                    kind: .namespaceAdded, namespace: name, key: nil, isForbidden: false,
                    message: "Namespace '\(name)' was added", logLine: "+ Namespace:\t \(name)", isInBase: false,
                    position: nil))
            for key in new.options.keys.sorted() {
                changes.append(added(key, in: new))
            }
            for key in new.featureFlags.keys.sorted() {
                changes.append(flag(key, added: true, in: new))
            }
        }
        return changes
    }

    /// The changes within one namespace present on both sides.
    static func compare(_ old: NamespaceSchema, _ new: NamespaceSchema) -> [SchemaChange] {
        let name = new.name
        var changes: [SchemaChange] = []
        let oldKeys = old.options.keys.sorted()
        for key in oldKeys where new.options[key] == nil {
            changes.append(
                SchemaChange(
                    kind: .optionRemoved, namespace: name, key: key, isForbidden: false,
                    message: "Option '\(name).\(key)' was removed", logLine: "- Option:\t \(name).\(key)",
                    isInBase: true, position: old.options[key]?.position))
        }
        for key in oldKeys {
            guard let before = old.options[key], let after = new.options[key] else { continue }
            changes += modifications(of: "\(name).\(key)", before, after).map { change in
                var change = change
                change.namespace = name
                change.key = key
                change.position = after.position
                return change
            }
        }
        for key in new.options.keys.sorted() where old.options[key] == nil {
            changes.append(added(key, in: new))
        }
        for key in old.featureFlags.keys.sorted() where new.featureFlags[key] == nil {
            var change = flag(key, added: false, in: old)
            change.namespace = name
            changes.append(change)
        }
        for key in new.featureFlags.keys.sorted() where old.featureFlags[key] == nil {
            changes.append(flag(key, added: true, in: new))
        }
        return changes
    }

    static func added(_ key: String, in schema: NamespaceSchema) -> SchemaChange {
        SchemaChange(
            kind: .optionAdded, namespace: schema.name, key: key, isForbidden: false,
            message: "Option '\(schema.name).\(key)' was added", logLine: "+ Option:\t \(schema.name).\(key)",
            isInBase: false, position: schema.options[key]?.position)
    }

    static func flag(_ key: String, added: Bool, in schema: NamespaceSchema) -> SchemaChange {
        SchemaChange(
            kind: added ? .featureFlagAdded : .featureFlagRemoved, namespace: schema.name, key: key,
            isForbidden: false,
            message: "Feature flag '\(schema.name).\(key)' was \(added ? "added" : "removed")",
            logLine: "\(added ? "+" : "-") Feature:\t \(schema.name).\(key)", isInBase: !added,
            position: schema.featureFlags[key])
    }

    /// Type, items type, shape and default changes of one option, in the reference's order.
    static func modifications(of qualified: String, _ before: OptionSchema, _ after: OptionSchema) -> [SchemaChange] {
        var changes: [SchemaChange] = []
        func record(_ kind: SchemaChange.Kind, forbidden: Bool = true, _ message: String, _ line: String) {
            changes.append(
                SchemaChange(
                    kind: kind, namespace: "", key: nil, isForbidden: forbidden, message: message, logLine: line,
                    isInBase: false, position: nil))
        }
        switch (before.type, after.type) {
        case (.array(let oldItems), .array(let newItems)):
            if oldItems.name != newItems.name {
                record(
                    .itemsTypeChanged,
                    "Option '\(qualified)' array items type changed from '\(oldItems.name)' to '\(newItems.name)'",
                    "~ Type:\t\t \(qualified): array<\(oldItems.name)> -> array<\(newItems.name)>")
            } else if let detail = shapeDifference(oldItems, newItems) {
                if !detail.breaks {
                    record(
                        .optionalFieldAdded, forbidden: false,
                        "Option '\(qualified)' array item object gained \(detail.text)",
                        "~ Shape:\t \(qualified) (array<\(oldItems.name)>) \(detail.text)")
                } else if case .object = oldItems {
                    record(
                        .itemShapeChanged,
                        "Option '\(qualified)' array item object shape was modified (\(detail.text))",
                        "~ Shape:\t \(qualified) (array<object>) shape changed")
                } else {
                    // Arrays of arrays: the reference does not look below `items.type` (§7 item 7).
                    record(
                        .itemsTypeChanged,
                        "Option '\(qualified)' array items type changed from '\(oldItems)' to '\(newItems)'",
                        "~ Type:\t\t \(qualified): array<\(oldItems)> -> array<\(newItems)>")
                }
            }
        case (.object, .object):
            if let detail = shapeDifference(before.type, after.type) {
                if detail.isDictValueType {
                    record(
                        .dictValueTypeChanged, "Option '\(qualified)' \(detail.text)",
                        "~ Shape:\t \(qualified) (\(before.type)) -> \(after.type)")
                } else if detail.breaks {
                    record(
                        .shapeChanged, "Option '\(qualified)' object shape was modified (\(detail.text))",
                        "~ Shape:\t \(qualified) (object) shape changed")
                } else {
                    record(
                        .optionalFieldAdded, forbidden: false, "Option '\(qualified)' gained \(detail.text)",
                        "~ Shape:\t \(qualified) (object) \(detail.text)")
                }
            }
        default:
            if before.type.name != after.type.name {
                record(
                    .typeChanged,
                    "Option '\(qualified)' type changed from '\(before.type.name)' to '\(after.type.name)'",
                    "~ Type:\t\t \(qualified): \(before.type.name) -> \(after.type.name)")
            }
        }
        if !before.defaultValue.isSameValue(as: after.defaultValue) {
            let old = JSONWriter.compact(before.defaultValue)
            let new = JSONWriter.compact(after.defaultValue)
            record(
                .defaultChanged, "Option '\(qualified)' default value changed from \(old) to \(new)",
                "~ Default:\t \(qualified): \(old) -> \(new)")
        }
        return changes
    }

    /// How two types differ, as text, and whether the difference breaks readers or existing values; `nil` when
    /// they are the same. Only added optional fields are harmless.
    static func shapeDifference(_ old: OptionType, _ new: OptionType, path: String = "")
        -> (text: String, breaks: Bool, isDictValueType: Bool)?
    {
        let at = path.isEmpty ? "" : " at '\(path)'"
        switch (old, new) {
        case (.array(let a), .array(let b)):
            return shapeDifference(a, b, path: path + "[]")
        case (.object(let a), .object(let b)):
            for field in a.fields {
                let fieldPath = path.isEmpty ? field.name : path + "." + field.name
                guard let other = b.field(named: field.name) else {
                    return ("field '\(fieldPath)' removed", true, false)
                }
                if field.type.name != other.type.name {
                    return (
                        "field '\(fieldPath)' type changed from '\(field.type)' to '\(other.type)'", true, false
                    )
                }
                if field.isOptional != other.isOptional {
                    return (
                        "field '\(fieldPath)' became \(other.isOptional ? "optional" : "required")", true, false
                    )
                }
                if let nested = shapeDifference(field.type, other.type, path: fieldPath), nested.breaks {
                    return (nested.text, true, false)
                }
            }
            switch (a.additionalValues, b.additionalValues) {
            case (nil, nil): break
            case (let x?, let y?):
                if x.name != y.name || shapeDifference(x, y)?.breaks == true {
                    return ("dict value type changed from '\(x)' to '\(y)'\(at)", true, path.isEmpty)
                }
            case (nil, _?): return ("free keys are now allowed\(at)", true, false)
            case (_?, nil): return ("free keys are no longer allowed\(at)", true, false)
            }
            let addedFields = b.fields.filter { a.field(named: $0.name) == nil }
            if let required = addedFields.first(where: { !$0.isOptional }) {
                let fieldPath = path.isEmpty ? required.name : path + "." + required.name
                return ("required field '\(fieldPath)' added", true, false)
            }
            if let optional = addedFields.first {
                let fieldPath = path.isEmpty ? optional.name : path + "." + optional.name
                return ("optional field '\(fieldPath)'", false, false)
            }
            for field in a.fields {
                guard let other = b.field(named: field.name) else { continue }
                let fieldPath = path.isEmpty ? field.name : path + "." + field.name
                if let nested = shapeDifference(field.type, other.type, path: fieldPath) { return nested }
            }
            return nil
        default:
            return old.name == new.name ? nil : ("type changed from '\(old)' to '\(new)'\(at)", true, false)
        }
    }
}
