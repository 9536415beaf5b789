import OptionsSchema

/// One difference inside an option's value, at a path below the option: the smallest change that explains part
/// of the whole.
public struct FieldChange: Sendable, Equatable {
    /// Where below the option: `""` for the whole value, `.pool.statement_timeout_ms` for a struct or dict field,
    /// `[early adopters].rollout` for an item of an array of objects matched by its natural key, `[1].weight` for
    /// one matched by position. Keys that are not plain words are written as JSON strings: `["a.b"]`.
    public var path: String
    /// What changed there.
    public var kind: Kind

    /// What changed at a path. Values are compact JSON (keys sorted), never cut.
    public enum Kind: Sendable, Equatable {
        /// The value at the path was replaced (another scalar, or another type).
        case changed(before: String, after: String)
        /// The path exists only after.
        case added(String)
        /// The path exists only before.
        case removed(String)
        /// An array of scalars gained and lost these members (order aside).
        case members(added: [String], removed: [String])
        /// The same items in another order: the items' keys (or the values) before and after.
        case reordered(before: [String], after: [String])
    }

    /// Creates a change.
    public init(path: String, kind: Kind) {
        self.path = path
        self.kind = kind
    }
}

/// Explains the difference between two values of one option as a list of `FieldChange`s, each at a path inside
/// the value.
///
/// Objects are compared key by key. Arrays of objects are matched by a natural key when every item on both sides
/// has one with a unique scalar value (`name`, `id`, then `key`; feature-flag segments have `name`), else by
/// position. Arrays of scalars are compared as sets of members: additions and removals, or a reordering when the
/// members are the same. A scalar change, or a change of type, is one change at its path.
///
/// ```swift
/// ValueDiffer.changes(from: before, to: after)
/// // [FieldChange(path: "[early adopters].rollout", kind: .changed(before: "10", after: "50"))]
/// ```
public enum ValueDiffer {
    /// The keys that identify an item of an array of objects, in order of preference.
    public static let naturalKeys = ["name", "id", "key"]

    /// The changes from `before` to `after`, in path order; empty when they are equal.
    public static func changes(from before: Node, to after: Node) -> [FieldChange] {
        var changes: [FieldChange] = []
        compare(before, after, path: "", into: &changes)
        return changes
    }

    static func compare(_ before: Node, _ after: Node, path: String, into changes: inout [FieldChange]) {
        switch (before.content, after.content) {
        case (.object(let old), .object(let new)):
            compareObjects(old, new, path: path, into: &changes)
        case (.array(let old), .array(let new)):
            compareArrays(old, new, path: path, into: &changes)
        default:
            let (old, new) = (JSONWriter.compact(before), JSONWriter.compact(after))
            if old != new { changes.append(FieldChange(path: path, kind: .changed(before: old, after: new))) }
        }
    }

    static func compareObjects(
        _ old: [Node.Member], _ new: [Node.Member], path: String, into changes: inout [FieldChange]
    ) {
        let oldByKey = Dictionary(old.map { ($0.key, $0.value) }) { first, _ in first }
        let newByKey = Dictionary(new.map { ($0.key, $0.value) }) { first, _ in first }
        let keys = Set(oldByKey.keys).union(newByKey.keys).sorted(by: JSONWriter.utf8Precedes)
        for key in keys {
            let child = path + member(key)
            switch (oldByKey[key], newByKey[key]) {
            case (let before?, let after?): compare(before, after, path: child, into: &changes)
            case (let before?, nil):
                changes.append(FieldChange(path: child, kind: .removed(JSONWriter.compact(before))))
            case (nil, let after?): changes.append(FieldChange(path: child, kind: .added(JSONWriter.compact(after))))
            case (nil, nil): break
            }
        }
    }

    static func compareArrays(_ old: [Node], _ new: [Node], path: String, into changes: inout [FieldChange]) {
        let isScalar = { (node: Node) -> Bool in
            switch node.content {
            case .array, .object: false
            default: true
            }
        }
        if old.allSatisfy(isScalar) && new.allSatisfy(isScalar) {
            compareMembers(old.map(JSONWriter.compact), new.map(JSONWriter.compact), path: path, into: &changes)
            return
        }
        if let key = naturalKey(old, new) {
            compareKeyed(old, new, by: key, path: path, into: &changes)
            return
        }
        for index in 0..<max(old.count, new.count) {
            let child = path + "[\(index)]"
            if index < old.count && index < new.count {
                compare(old[index], new[index], path: child, into: &changes)
            } else if index < old.count {
                changes.append(FieldChange(path: child, kind: .removed(JSONWriter.compact(old[index]))))
            } else {
                changes.append(FieldChange(path: child, kind: .added(JSONWriter.compact(new[index]))))
            }
        }
    }

    /// Arrays of scalars: the members gained and lost (counting repeats), or the new order of the same members.
    static func compareMembers(_ old: [String], _ new: [String], path: String, into changes: inout [FieldChange]) {
        guard old != new else { return }
        var remaining: [String: Int] = [:]
        for value in old { remaining[value, default: 0] += 1 }
        var added: [String] = []
        for value in new {
            if let count = remaining[value], count > 0 {
                remaining[value] = count - 1
            } else {
                added.append(value)
            }
        }
        var spare = remaining
        var removed: [String] = []
        for value in old {
            if let count = spare[value], count > 0 {
                removed.append(value)
                spare[value] = count - 1
            }
        }
        if added.isEmpty && removed.isEmpty {
            changes.append(FieldChange(path: path, kind: .reordered(before: old, after: new)))
        } else {
            changes.append(FieldChange(path: path, kind: .members(added: added, removed: removed)))
        }
    }

    /// The first natural key that every item on both sides has as a string or integer, unique on each side.
    static func naturalKey(_ old: [Node], _ new: [Node]) -> String? {
        keys: for key in naturalKeys {
            for side in [old, new] {
                var seen: Set<String> = []
                for item in side {
                    guard let identity = identity(of: item, key: key), seen.insert(identity).inserted else {
                        continue keys
                    }
                }
            }
            return key
        }
        return nil
    }

    /// An item's natural key value as text, when it is a string or an integer.
    static func identity(of item: Node, key: String) -> String? {
        switch item[key]?.content {
        case .string(let text): text
        case .integer(let value): String(value)
        case .unsignedInteger(let value): String(value)
        default: nil
        }
    }

    static func compareKeyed(
        _ old: [Node], _ new: [Node], by key: String, path: String, into changes: inout [FieldChange]
    ) {
        let oldIdentities = old.map { identity(of: $0, key: key) ?? "" }
        let newIdentities = new.map { identity(of: $0, key: key) ?? "" }
        let oldByIdentity = Dictionary(zip(oldIdentities, old)) { first, _ in first }
        let newByIdentity = Dictionary(zip(newIdentities, new)) { first, _ in first }
        for identity in oldIdentities where newByIdentity[identity] == nil {
            changes.append(
                FieldChange(
                    path: path + item(identity), kind: .removed(JSONWriter.compact(oldByIdentity[identity] ?? old[0]))))
        }
        for identity in newIdentities {
            let child = path + item(identity)
            guard let after = newByIdentity[identity] else { continue }
            if let before = oldByIdentity[identity] {
                compare(before, after, path: child, into: &changes)
            } else {
                changes.append(FieldChange(path: child, kind: .added(JSONWriter.compact(after))))
            }
        }
        let kept = Set(oldIdentities).intersection(newIdentities)
        let oldOrder = oldIdentities.filter(kept.contains)
        let newOrder = newIdentities.filter(kept.contains)
        if oldOrder != newOrder {
            changes.append(FieldChange(path: path, kind: .reordered(before: oldOrder, after: newOrder)))
        }
    }

    /// `.key`, or `["key"]` when the key is not a plain word (letters, digits, `_`, `-`, `:`).
    static func member(_ key: String) -> String {
        isPlain(key) ? "." + key : "[" + JSONWriter.compact(Node(.string(key))) + "]"
    }

    /// `[identity]`, or `["identity"]` when it is not plain words (spaces allowed between them).
    static func item(_ identity: String) -> String {
        let words = identity.split(separator: " ", omittingEmptySubsequences: false)
        let plain = !identity.isEmpty && words.allSatisfy { isPlain(String($0)) }
        return plain ? "[" + identity + "]" : "[" + JSONWriter.compact(Node(.string(identity))) + "]"
    }

    static func isPlain(_ text: String) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                switch scalar {
                case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ":": true
                default: false
                }
            }
    }
}
