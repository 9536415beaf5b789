public import OptionsSchema

/// Renders a `DiffReport` for people (`text`, grouped by region) or tools (`json`, a stable documented shape).
public struct DiffRenderer: Sendable {
    /// What the base side is, for the heading: `HEAD~1 (4544fec43d3f)`.
    public var baseLabel: String
    /// What the head side is: `working tree` or `main (0a1b2c3d4e5f)`.
    public var headLabel: String
    /// The values directory as displayed, with a trailing slash, stripped from sources in text output.
    public var valuesPrefix: String

    /// Creates a renderer.
    public init(baseLabel: String, headLabel: String, valuesPrefix: String) {
        self.baseLabel = baseLabel
        self.headLabel = headLabel
        self.valuesPrefix = valuesPrefix
    }

    func source(_ option: EffectiveOption?) -> String {
        guard let option else { return "absent" }
        switch option.provenance {
        case .target(let file, let position), .defaultTarget(let file, let position):
            let short = file.hasPrefix(valuesPrefix) ? String(file.dropFirst(valuesPrefix.count)) : file
            return "\(short):\(position)" + (option.isDeclared ? "" : ", not in the schema")
        case .schemaDefault: return "schema default"
        case .unset: return "unset flag"
        }
    }

    func value(_ option: EffectiveOption?) -> String {
        guard let option else { return "-" }
        return option.value?.jsonSnippet(limit: 40) ?? "off"
    }

    /// Text: the schema changes, then one section per region (target) listing, per namespace, each option whose
    /// effective value changes with both values and sources; a summary line last. Diagnostics are not included.
    public func text(_ report: DiffReport) -> String {
        var out = "optionsctl diff: \(baseLabel) → \(headLabel)\n"
        if !report.hasChanges {
            out += "no effective change in \(count(report.namespaces.count, "namespace")) compared\n"
            return out
        }
        if !report.schemaChanges.isEmpty {
            out += "\nschema changes\n"
            for change in report.schemaChanges {
                let mark = change.isForbidden ? "  FORBIDDEN" : ""
                out += "  " + change.logLine.replacingTabs() + mark + "\n"
                if change.isForbidden || change.kind == .optionalFieldAdded || change.kind == .dictValueTypeChanged {
                    out += "      \(change.message)\n"
                }
            }
        }
        let byTarget = Dictionary(grouping: report.targets, by: \.target)
        for target in byTarget.keys.sorted() {
            let diffs = (byTarget[target] ?? []).sorted { $0.namespace < $1.namespace }
            out += "\nregion \(target)\n"
            for diff in diffs {
                switch diff.status {
                case .added:
                    out += "  \(diff.namespace): new target, \(count(diff.changes.count, "option")) set\n"
                case .removed:
                    out +=
                        "  \(diff.namespace): target removed — deploying does not delete its ConfigMap; "
                        + "remove it from the cluster\n"
                    continue
                case .modified:
                    out += "  \(diff.namespace)\n"
                }
                let keyWidth = min(40, diff.changes.map(\.key.count).max() ?? 0)
                for change in diff.changes {
                    let key = change.key.padding(to: keyWidth)
                    var line = "    \(key)  \(value(change.before)) → \(value(change.after))"
                    line += "   (\(source(change.after))"
                    if change.before != nil && diff.status == .modified && source(change.before) != source(change.after)
                    {
                        line += "; was \(source(change.before))"
                    }
                    line += ")"
                    if change.fallsBackToSchemaDefault { line += " falls back to the schema default" }
                    out += line + "\n"
                }
            }
        }
        let changed = report.targets.filter { $0.status == .modified }.reduce(0) { $0 + $1.changes.count }
        let regions = Set(report.targets.map(\.target)).count
        let forbidden = report.schemaChanges.count(where: \.isForbidden)
        out += "\n\(count(changed, "value change")) in \(count(regions, "region"))"
        let added = report.targets.count { $0.status == .added }
        let removed = report.targets.count { $0.status == .removed }
        if added > 0 { out += ", \(count(added, "target")) added" }
        if removed > 0 { out += ", \(count(removed, "target")) removed" }
        out += "; \(count(report.schemaChanges.count, "schema change"))"
        if forbidden > 0 { out += " (\(forbidden) forbidden)" }
        return out + "\n"
    }

    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// JSON, one compact document with sorted keys:
    ///
    /// `{"base": "…", "head": "…", "namespaces": […], "schemaChanges": [{"kind", "namespace", "key", "forbidden",
    /// "message", "side", "line", "column"}], "targets": [{"namespace", "target", "status", "changes": [{"key",
    /// "before", "after"}]}], "diagnostics": [{"severity", "code", "message", "file", "line", "column"}]}`, where
    /// `before` and `after` are `null` or `{"value", "source", "file", "line", "column", "declared"}`.
    public func json(_ report: DiffReport) -> String {
        func side(_ option: EffectiveOption?) -> Node {
            guard let option else { return Node(.null) }
            return .object(
                [("value", option.value ?? Node(.null)), ("declared", .bool(option.isDeclared))]
                    + EffectiveRenderer.provenanceMembers(option.provenance))
        }
        let schemaChanges = report.schemaChanges.map { change -> Node in
            var members: [(String, Node)] = [
                ("kind", .string(change.kind.rawValue)), ("namespace", .string(change.namespace)),
                ("key", change.key.map { .string($0) } ?? Node(.null)), ("forbidden", .bool(change.isForbidden)),
                ("message", .string(change.message)), ("side", .string(change.isInBase ? "base" : "head")),
            ]
            if let position = change.position {
                members += [("line", .integer(position.line)), ("column", .integer(position.column))]
            }
            return .object(members)
        }
        let targets = report.targets.map { diff -> Node in
            .object([
                ("namespace", .string(diff.namespace)), ("target", .string(diff.target)),
                ("status", .string(diff.status.rawValue)),
                (
                    "changes",
                    .array(
                        diff.changes.map { change in
                            .object([
                                ("key", .string(change.key)), ("before", side(change.before)),
                                ("after", side(change.after)),
                            ])
                        })
                ),
            ])
        }
        let diagnostics = report.diagnostics.map { diagnostic -> Node in
            var members: [(String, Node)] = [
                ("severity", .string(diagnostic.severity.rawValue)), ("code", .string(diagnostic.code.rawValue)),
                ("message", .string(diagnostic.message)),
            ]
            if let file = diagnostic.file { members.append(("file", .string(file))) }
            if let position = diagnostic.position {
                members += [("line", .integer(position.line)), ("column", .integer(position.column))]
            }
            return .object(members)
        }
        let document: Node = .object([
            ("base", .string(baseLabel)), ("head", .string(headLabel)),
            ("namespaces", .array(report.namespaces.map { .string($0) })),
            ("schemaChanges", .array(schemaChanges)), ("targets", .array(targets)),
            ("diagnostics", .array(diagnostics)),
        ])
        return JSONWriter.compact(document) + "\n"
    }
}

extension String {
    /// The text padded with spaces to `width` characters.
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    /// Tabs (in the reference's change-log lines) as single spaces.
    func replacingTabs() -> String {
        split(separator: "\t", omittingEmptySubsequences: true).joined(separator: " ")
    }
}
