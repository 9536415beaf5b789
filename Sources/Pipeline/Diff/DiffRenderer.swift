import OptionsSchema

/// Renders a `DiffReport` for people (`text`, grouped by region) or tools (`json`, a stable documented shape).
public struct DiffRenderer: Sendable {
    /// What the base side is, for the heading: `HEAD~1 (4544fec43d3f)`.
    public var baseLabel: String
    /// What the head side is: `working tree` or `main (0a1b2c3d4e5f)`.
    public var headLabel: String
    /// The values directory as displayed, with a trailing slash, stripped from sources in text output.
    public var valuesPrefix: String
    /// Styles for text output on a terminal (off by default).
    public var paint = Paint(isEnabled: false)
    /// How GitHub annotations name files (relative to the repository root); as displayed when `nil`.
    public var repositoryPaths: RepositoryPaths?

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

    /// A whole side of an option as text: its compact JSON, `(absent)` when the key is not there, `off` for a flag
    /// no file sets.
    func value(_ option: EffectiveOption?) -> String {
        guard let option else { return "(absent)" }
        return option.value.map(JSONWriter.compact) ?? "off"
    }

    /// The smallest changes that explain `change`, paths relative to the option; one whole-value change when a
    /// side has no value.
    func fields(_ change: ValueChange) -> [FieldChange] {
        switch (change.before?.value, change.after?.value) {
        case (let before?, let after?):
            let fields = ValueDiffer.changes(from: before, to: after)
            if !fields.isEmpty { return fields }
        case (nil, let after?) where change.before == nil:
            return [FieldChange(path: "", kind: .added(JSONWriter.compact(after)))]
        case (let before?, nil) where change.after == nil:
            return [FieldChange(path: "", kind: .removed(JSONWriter.compact(before)))]
        default: break
        }
        return [FieldChange(path: "", kind: .changed(before: value(change.before), after: value(change.after)))]
    }

    /// A field change's text, whole: `10 → 50`, `30000 → (removed)`, `(absent) → 5`, `+ 447951, - 12`,
    /// `order a, b → b, a`.
    static func text(of kind: FieldChange.Kind) -> String {
        switch kind {
        case .changed(let before, let after): "\(before) → \(after)"
        case .added(let value): "(absent) → \(value)"
        case .removed(let value): "\(value) → (removed)"
        case .members(let added, let removed):
            (added.map { "+ " + $0 } + removed.map { "- " + $0 }).joined(separator: ", ")
        case .reordered(let before, let after):
            "order \(before.joined(separator: ", ")) → \(after.joined(separator: ", "))"
        }
    }

    /// `text(of:)` with what goes away in red and what comes in green.
    func painted(_ kind: FieldChange.Kind) -> String {
        switch kind {
        case .changed(let before, let after): "\(paint(before, .removed)) → \(paint(after, .added))"
        case .added(let value): "(absent) → \(paint(value, .added))"
        case .removed(let value): "\(paint(value, .removed)) → (removed)"
        case .members(let added, let removed):
            (added.map { paint("+ " + $0, .added) } + removed.map { paint("- " + $0, .removed) })
                .joined(separator: ", ")
        case .reordered: Self.text(of: kind)
        }
    }

    /// The parts of a field change, one per line when the whole does not fit: `- before` and `+ after`, each
    /// member, or the two orders.
    static func parts(of kind: FieldChange.Kind) -> [String] {
        switch kind {
        case .changed(let before, let after): ["- " + before, "+ " + after]
        case .added(let value): ["+ " + value]
        case .removed(let value): ["- " + value]
        case .members(let added, let removed): added.map { "+ " + $0 } + removed.map { "- " + $0 }
        case .reordered(let before, let after):
            ["- order " + before.joined(separator: ", "), "+ order " + after.joined(separator: ", ")]
        }
    }

    /// Where the after side comes from, and the before side when it came from elsewhere: `(seer/us/values.yaml:3:3;
    /// was seer/default/values.yaml:4:3)`.
    func sourceNote(_ change: ValueChange, in status: TargetDiff.Status) -> String {
        "(" + sources(change, in: status) + ")"
    }

    /// `sourceNote` without the parentheses.
    func sources(_ change: ValueChange, in status: TargetDiff.Status) -> String {
        var note = source(change.after)
        if change.before != nil && status == .modified && source(change.before) != source(change.after) {
            note += "; was \(source(change.before))"
        }
        if change.fallsBackToSchemaDefault { note += "; falls back to the schema default" }
        return note
    }

    /// The widest line text output makes before it wraps a value.
    static let lineWidth = 120

    /// `text` cut into lines of at most `width` characters, preferring to break after a comma.
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var rest = Substring(text)
        while rest.count > width {
            var cut = rest.index(rest.startIndex, offsetBy: width)
            if let comma = rest[..<cut].lastIndex(of: ","),
                rest.distance(from: rest.startIndex, to: comma) >= width / 2
            {
                cut = rest.index(after: comma)
            }
            lines.append(String(rest[..<cut]))
            rest = rest[cut...]
        }
        lines.append(String(rest))
        return lines
    }

    /// Text lines (indented by `indent`) for one option's change: `key: 200 → 250 (source)` when it is one
    /// field change that fits; otherwise `key (source)` and a line per field change below it, long values wrapped,
    /// never cut.
    func textLines(_ change: ValueChange, in status: TargetDiff.Status, indent: String) -> [String] {
        let fields = fields(change)
        let note = sourceNote(change, in: status).escapingControlCharacters
        let key = change.key.escapingControlCharacters
        if fields.count == 1 {
            let line = "\(indent)\(key)\(fields[0].path): \(Self.text(of: fields[0].kind)) \(note)"
            if line.count <= Self.lineWidth {
                return ["\(indent)\(key)\(fields[0].path): \(painted(fields[0].kind)) \(paint(note, .faint))"]
            }
        }
        var lines = ["\(indent)\(key) \(paint(note, .faint))"]
        let inner = indent + "  "
        for field in fields {
            let label = field.path.hasPrefix(".") ? String(field.path.dropFirst()) : field.path
            let whole = inner + (label.isEmpty ? "" : label + ": ") + Self.text(of: field.kind)
            if whole.count <= Self.lineWidth {
                lines.append(inner + (label.isEmpty ? "" : label + ": ") + painted(field.kind))
                continue
            }
            var partIndent = inner
            if !label.isEmpty {
                lines.append(inner + label + ":")
                partIndent += "  "
            }
            for part in Self.parts(of: field.kind) {
                let style: Paint.Style = part.hasPrefix("+") ? .added : .removed
                let pieces = Self.wrapped(part, width: max(40, Self.lineWidth - partIndent.count - 2))
                lines.append(partIndent + paint(pieces[0], style))
                lines += pieces.dropFirst().map { partIndent + "  " + paint($0, style) }
            }
        }
        return lines
    }

    /// What a report without changes says, after "no": why nothing differs. A head side with errors is never
    /// reported as "no change": what could not be read cannot be compared.
    func noChange(_ report: DiffReport) -> String {
        let headErrors = report.diagnostics.count { $0.severity == .error && $0.code != .forbiddenSchemaChange }
        if headErrors > 0 {
            return "effective change found, but the head side has \(count(headErrors, "error")): files "
                + "with errors are not compared"
        }
        return report.namespaces.isEmpty
            ? "effective change: no schema or values file differs"
            : "effective change in \(count(report.namespaces.count, "namespace")) compared"
    }

    /// The summary line's counts: values that change (those of new targets included), regions, targets added
    /// and removed, schema changes.
    func summary(_ report: DiffReport) -> String {
        let kept = report.targets.filter { $0.status != .removed }
        let added = report.targets.filter { $0.status == .added }
        let values = kept.reduce(0) { $0 + $1.changes.count }
        let newValues = added.reduce(0) { $0 + $1.changes.count }
        let regions = Set(report.targets.map(\.target)).count
        var line = "\(count(values, "value change")) in \(count(regions, "region"))"
        if !added.isEmpty { line += " (\(newValues) in \(count(added.count, "new target")))" }
        let removed = report.targets.count { $0.status == .removed }
        if removed > 0 { line += ", \(count(removed, "target")) removed" }
        line += "; \(count(report.schemaChanges.count, "schema change"))"
        let forbidden = report.schemaChanges.count { $0.isForbidden && !$0.isAllowedByOverride }
        let allowed = report.schemaChanges.count(where: \.isAllowedByOverride)
        if forbidden > 0 { line += " (\(forbidden) forbidden)" }
        if allowed > 0 { line += " (\(allowed) forbidden but allowed by --allow-forbidden)" }
        let headErrors = report.diagnostics.count { $0.severity == .error && $0.code != .forbiddenSchemaChange }
        if headErrors > 0 { line += "; the head side has \(count(headErrors, "error"))" }
        return line
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
            out += "\n" + paint("schema changes", .strong) + "\n"
            for change in report.schemaChanges {
                let mark =
                    change.isAllowedByOverride
                    ? " " + paint("FORBIDDEN, allowed by --allow-forbidden \(change.overrideName)", .caution)
                    : change.isForbidden ? " " + paint("FORBIDDEN", .error) : ""
                out += "  " + change.logLine.replacingTabs().replacing(" -> ", with: " → ") + mark + "\n"
                if change.isForbidden || change.kind == .optionalFieldAdded || change.kind == .dictValueTypeChanged {
                    out += "      \(change.message)\n"
                }
                if let remedy = change.remedy, !change.isAllowedByOverride { out += "      way forward: \(remedy)\n" }
            }
        }
        let byTarget = Dictionary(grouping: report.targets, by: \.target)
        for target in byTarget.keys.sorted() {
            let diffs = (byTarget[target] ?? []).sorted { $0.namespace < $1.namespace }
            out += "\n" + paint("region \(target.escapingControlCharacters)", .strong) + "\n"
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
                    out += "  \(paint(diff.namespace.escapingControlCharacters, .strong))\n"
                }
                for change in diff.changes {
                    out += textLines(change, in: diff.status, indent: "    ").joined(separator: "\n") + "\n"
                }
            }
        }
        return out + "\n" + summary(report) + "\n"
    }

    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// Text for a Markdown table cell or heading: HTML-escaped, pipes and newlines neutralised, and every
    /// character Markdown gives a meaning (links, images, @mentions, #references, emphasis, escapes) written as an
    /// entity, so text from the tree renders as the characters it is and never as markup; control characters
    /// escaped as `\u{…}`.
    static func cell(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r": out += " "
            case "|", "`", "[", "]", "(", ")", "@", "#", "*", "_", "~", "!", "\\", ":":
                out += "&#\(scalar.value);"
            case let control where control.isControl: out += control.escaped
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The longest value shown inline in a Markdown cell; longer ones go into a collapsed `<details>` block.
    static let inlineValueLimit = 60

    /// The longest value shown in a Markdown cell's `<details>` block; a longer one is cut there, with its length
    /// (the text report has every value whole).
    static let detailsValueLimit = 2_000

    /// The most a Markdown report holds, in UTF-8 bytes: GitHub refuses comments over 65,536 characters, and a
    /// workflow may add its own lines around the report. Changes past the budget are counted, not shown.
    public static let markdownBudget = 60_000

    /// A value in a Markdown table cell: inline code, or a `<details>` block holding the value when long (cut at
    /// `detailsValueLimit` characters).
    static func markdownValue(_ value: String) -> String {
        guard value.count > inlineValueLimit else { return "<code>\(cell(value))</code>" }
        let shown =
            value.count > detailsValueLimit
            ? "<code>\(cell(String(value.prefix(detailsValueLimit))))</code>… (cut; `optionsctl diff` prints it whole)"
            : "<code>\(cell(value))</code>"
        return "<details><summary><code>\(cell(String(value.prefix(24))))…</code> (\(value.count) characters)"
            + "</summary>\(shown)</details>"
    }

    /// A field change in a Markdown table cell, every value whole.
    static func markdownChange(_ kind: FieldChange.Kind) -> String {
        switch kind {
        case .changed(let before, let after): "\(markdownValue(before)) → \(markdownValue(after))"
        case .added(let value): "(absent) → \(markdownValue(value))"
        case .removed(let value): "\(markdownValue(value)) → (removed)"
        case .members(let added, let removed):
            (added.map { "+ " + markdownValue($0) } + removed.map { "- " + markdownValue($0) }).joined(separator: ", ")
        case .reordered(let before, let after):
            "order \(markdownValue(before.joined(separator: ", "))) → \(markdownValue(after.joined(separator: ", ")))"
        }
    }

    /// Markdown for a pull-request comment: a summary table of regions and their changed options, the schema
    /// changes, then one collapsible section per region with every change.
    public func markdown(_ report: DiffReport) -> String {
        let code = { (text: String) in "<code>\(Self.cell(text))</code>" }
        var out = "### optionsctl diff: \(code(baseLabel)) → \(code(headLabel))\n\n"
        let forbidden = report.schemaChanges.filter(\.isForbidden)
        let errors = report.diagnostics.filter { $0.severity == .error }
        let warnings = report.diagnostics.filter { $0.severity != .error }
        func problem(_ diagnostic: Diagnostic, _ mark: String) -> String {
            let place =
                diagnostic.file.map { file in
                    code(file + (diagnostic.position.map { ":\($0)" } ?? "")) + " "
                } ?? ""
            return "- \(mark) \(place)\(Self.cell(diagnostic.message)) (\(code(diagnostic.code.rawValue)))\n"
        }
        // Problems take at most half the budget; the rest are counted.
        func problems(_ diagnostics: [Diagnostic], _ mark: String) {
            var omitted = 0
            for diagnostic in diagnostics {
                let line = problem(diagnostic, mark)
                if omitted > 0 || out.utf8.count + line.utf8.count > Self.markdownBudget / 2 {
                    omitted += 1
                } else {
                    out += line
                }
            }
            if omitted > 0 { out += "- … and \(omitted) more (`optionsctl diff` lists every one)\n" }
            out += "\n"
        }
        if !errors.isEmpty {
            out += "**\(count(errors.count, "error")) — this change cannot be deployed:**\n\n"
            problems(errors, "❌")
        }
        if !warnings.isEmpty {
            out += "**\(count(warnings.count, "warning")):**\n\n"
            problems(warnings, "⚠️")
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
                let changed = diffs.filter { $0.status != .removed }.reduce(0) { $0 + $1.changes.count }
                out += "| \(Self.cell(target)) | \(names.joined(separator: ", ")) | \(changed) |\n"
            }
            out += "\n"
        }
        if !report.schemaChanges.isEmpty {
            out += "**Schema changes** (\(report.schemaChanges.count)"
            let blocked = forbidden.filter { !$0.isAllowedByOverride }.count
            let allowed = forbidden.count - blocked
            out += blocked == 0 ? ", none forbidden" : ", \(blocked) forbidden"
            out += allowed == 0 ? ")\n\n" : ", \(allowed) forbidden but allowed by <code>--allow-forbidden</code>)\n\n"
            var omitted = 0
            for change in report.schemaChanges {
                var line: String
                if change.isAllowedByOverride {
                    line = "- ⚠️ \(Self.cell(change.message)) — forbidden, **allowed by "
                    line += "\(code("--allow-forbidden " + change.overrideName))**\n"
                } else if change.isForbidden {
                    line = "- ❌ \(Self.cell(change.message))"
                    line += change.remedy.map { " — way forward: \(Self.cell($0))" } ?? ""
                    line += "\n"
                } else {
                    line = "- \(Self.cell(change.message))\n"
                }
                // Schema changes take the budget up to three quarters; the rest are counted.
                if omitted > 0 || out.utf8.count + line.utf8.count > Self.markdownBudget * 3 / 4 {
                    omitted += 1
                } else {
                    out += line
                }
            }
            if omitted > 0 { out += "- … and \(omitted) more (`optionsctl diff` lists every one)\n" }
            out += "\n"
        }
        for target in byTarget.keys.sorted() {
            let diffs = (byTarget[target] ?? []).sorted { $0.namespace < $1.namespace }
            let changed = diffs.filter { $0.status != .removed }.reduce(0) { $0 + $1.changes.count }
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
            var omitted = 0
            if !rows.isEmpty {
                out += "| namespace | option | change | source |\n|---|---|---|---|\n"
                for diff in rows {
                    for change in diff.changes {
                        let fields = fields(change).map { field in
                            (field.path.isEmpty ? "" : code(String(field.path.drop { $0 == "." })) + ": ")
                                + Self.markdownChange(field.kind)
                        }
                        let row =
                            "| \(Self.cell(diff.namespace)) | \(code(change.key)) | \(fields.joined(separator: "<br>")) "
                            + "| \(Self.cell(sources(change, in: diff.status))) |\n"
                        // Room is kept for the closing lines of every section and the note below.
                        if omitted > 0 || out.utf8.count + row.utf8.count > Self.markdownBudget - 2_000 {
                            omitted += 1
                        } else {
                            out += row
                        }
                    }
                }
            }
            if omitted > 0 {
                out += "\n\(count(omitted, "more change")) in this region not shown: the comment would pass GitHub's "
                out += "limit. The text report (`optionsctl diff`) has every change.\n"
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
                let summary = fields(change).map { field in
                    (field.path.isEmpty ? "" : String(field.path.drop { $0 == "." }) + ": ") + Self.text(of: field.kind)
                }.joined(separator: "; ")
                switch change.after?.provenance {
                case .target(let file, let position)?, .defaultTarget(let file, let position)?:
                    let place = Place(
                        file: repositoryPaths?.relative(file) ?? file, line: position.line, column: position.column)
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
        func parsed(_ text: String) -> Node { (try? JSONReader.parse(Array(text.utf8))) ?? Node(.string(text)) }
        func fieldNode(_ field: FieldChange) -> Node {
            var members: [(String, Node)] = [("path", .string(field.path))]
            switch field.kind {
            case .changed(let before, let after):
                members += [("kind", .string("changed")), ("before", parsed(before)), ("after", parsed(after))]
            case .added(let value): members += [("kind", .string("added")), ("after", parsed(value))]
            case .removed(let value): members += [("kind", .string("removed")), ("before", parsed(value))]
            case .members(let added, let removed):
                members += [
                    ("kind", .string("members")), ("added", .array(added.map(parsed))),
                    ("removed", .array(removed.map(parsed))),
                ]
            case .reordered(let before, let after):
                members += [
                    ("kind", .string("reordered")), ("before", .array(before.map { .string($0) })),
                    ("after", .array(after.map { .string($0) })),
                ]
            }
            return .object(members)
        }
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
                ("allowed", .bool(change.isAllowedByOverride)),
                ("remedy", change.remedy.map { .string($0) } ?? Node(.null)),
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
                                ("after", side(change.after)), ("fields", .array(fields(change).map(fieldNode))),
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

    /// Tabs and runs of spaces (in the reference's change-log lines) as single spaces.
    func replacingTabs() -> String {
        split(whereSeparator: { $0 == "\t" || $0 == " " }).joined(separator: " ")
    }
}
