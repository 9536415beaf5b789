import OptionsSchema

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

    /// What a report without changes says, after "no": why nothing differs.
    func noChange(_ report: DiffReport) -> String {
        report.namespaces.isEmpty
            ? "effective change: no schema or values file differs"
            : "effective change in \(count(report.namespaces.count, "namespace")) compared"
    }

    /// Text: the schema changes, then one section per region (target) listing, per namespace, each option whose
    /// effective value changes with both values and sources; a summary line last. Diagnostics are not included.
    public func text(_ report: DiffReport) -> String {
        var out = "optionsctl diff: \(baseLabel) → \(headLabel)\n"
        if !report.hasChanges {
            out += "no " + noChange(report) + "\n"
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

    /// Text for a Markdown table cell or heading: HTML-escaped, pipes and newlines neutralised.
    static func cell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "&#124;"
            case "`": out += "&#96;"
            case "\n", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }

    /// Markdown for a pull-request comment: a summary table of regions and their changed options, the schema
    /// changes, then one collapsible section per region with every change.
    public func markdown(_ report: DiffReport) -> String {
        let code = { (text: String) in "<code>\(Self.cell(text))</code>" }
        var out = "### optionsctl diff: \(code(baseLabel)) → \(code(headLabel))\n\n"
        let forbidden = report.schemaChanges.filter(\.isForbidden)
        let errors = report.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty {
            out += "**\(count(errors.count, "error")) — this change cannot be deployed:**\n\n"
            for diagnostic in errors {
                let place =
                    diagnostic.file.map { file in
                        code(file + (diagnostic.position.map { ":\($0)" } ?? "")) + " "
                    } ?? ""
                out += "- ❌ \(place)\(Self.cell(diagnostic.message))\n"
            }
            out += "\n"
        }
        guard report.hasChanges else {
            return out + "No " + noChange(report) + ".\n"
        }
        let byTarget = Dictionary(grouping: report.targets, by: \.target)
        if !byTarget.isEmpty {
            out += "| region | namespaces | options changed |\n|---|---|---|\n"
            for target in byTarget.keys.sorted() {
                let diffs = (byTarget[target] ?? []).sorted { $0.namespace < $1.namespace }
                let names = diffs.map { diff in
                    Self.cell(diff.namespace) + (diff.status == .modified ? "" : " (\(diff.status.rawValue) target)")
                }
                let changed = diffs.filter { $0.status == .modified }.reduce(0) { $0 + $1.changes.count }
                out += "| \(Self.cell(target)) | \(names.joined(separator: ", ")) | \(changed) |\n"
            }
            out += "\n"
        }
        if !report.schemaChanges.isEmpty {
            out += "**Schema changes** (\(report.schemaChanges.count)"
            out += forbidden.isEmpty ? ", all allowed)\n\n" : ", \(forbidden.count) forbidden)\n\n"
            for change in report.schemaChanges {
                out += "- \(change.isForbidden ? "❌ " : "")\(Self.cell(change.message))\n"
            }
            out += "\n"
        }
        for target in byTarget.keys.sorted() {
            let diffs = (byTarget[target] ?? []).sorted { $0.namespace < $1.namespace }
            let changed = diffs.filter { $0.status == .modified }.reduce(0) { $0 + $1.changes.count }
            out += "<details><summary>region <b>\(Self.cell(target))</b>: \(count(changed, "option")) changed"
            out += "</summary>\n\n"
            for diff in diffs where diff.status != .modified {
                out +=
                    diff.status == .removed
                    ? "- **\(Self.cell(diff.namespace))**: target removed; deploying does not delete its ConfigMap\n"
                    : "- **\(Self.cell(diff.namespace))**: new target, \(count(diff.changes.count, "option")) set in it\n"
            }
            if diffs.contains(where: { $0.status != .modified }) { out += "\n" }
            let rows = diffs.filter { $0.status != .removed }
            if !rows.isEmpty {
                out += "| namespace | option | before | after | source |\n|---|---|---|---|---|\n"
                for diff in rows {
                    for change in diff.changes {
                        out += "| \(Self.cell(diff.namespace)) | \(code(change.key)) | \(code(value(change.before))) "
                        out += "| \(code(value(change.after))) | \(Self.cell(source(change.after))) |\n"
                    }
                }
            }
            out += "\n</details>\n\n"
        }
        return out
    }

    /// GitHub Actions workflow commands: a notice on every changed line of the head side (a `default` line names
    /// every region it changes), an error for each forbidden schema change; removed values are noticed on their
    /// file. Head problems are rendered by `DiagnosticRenderer` separately.
    public func github(_ report: DiffReport) -> String {
        struct Place: Hashable {
            var file: String
            var line: Int
            var column: Int
        }
        var regions: [Place: (key: String, summary: String, targets: [String])] = [:]
        var order: [Place] = []
        var out = ""
        for diff in report.targets {
            if diff.status == .removed {
                out += "::warning title=\(DiagnosticRenderer.escapeProperty("optionsctl diff"))::"
                out +=
                    DiagnosticRenderer.escapeData(
                        "\(diff.namespace): target \(diff.target) removed; deploying does not delete its ConfigMap")
                    + "\n"
                continue
            }
            for change in diff.changes {
                let summary = "\(value(change.before)) → \(value(change.after))"
                switch change.after?.provenance {
                case .target(let file, let position)?, .defaultTarget(let file, let position)?:
                    let place = Place(file: file, line: position.line, column: position.column)
                    if regions[place] == nil {
                        order.append(place)
                        regions[place] = (change.key, summary, [])
                    }
                    regions[place]?.targets.append(diff.target)
                default:
                    let message =
                        "\(diff.namespace) in \(diff.target): \(change.key) \(summary)"
                        + (change.fallsBackToSchemaDefault ? " (falls back to the schema default)" : "")
                    out += "::notice title=\(DiagnosticRenderer.escapeProperty("optionsctl diff"))::"
                    out += DiagnosticRenderer.escapeData(message) + "\n"
                }
            }
        }
        for place in order {
            guard let entry = regions[place] else { continue }
            let message = "\(entry.key): \(entry.summary) in \(entry.targets.joined(separator: ", "))"
            out += "::notice file=\(DiagnosticRenderer.escapeProperty(place.file)),line=\(place.line),"
            out += "col=\(place.column),title=\(DiagnosticRenderer.escapeProperty("optionsctl diff"))::"
            out += DiagnosticRenderer.escapeData(message) + "\n"
        }
        return out
    }

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
