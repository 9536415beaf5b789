public import OptionsSchema

/// One namespace seen whole (`optionsctl describe`): for each option its type, schema default and description,
/// and its effective value and source in every target side by side.
///
/// ```swift
/// let description = NamespaceDescription(
///     namespace: "seer", schema: schema, files: files, origin: "working tree", keys: ["autofix.rate_limit"])
/// print(description.text())
/// ```
public struct NamespaceDescription: Sendable {
    /// One option (or feature flag, or a key the schema does not declare).
    public struct Row: Sendable {
        public var key: String
        /// The schema's declaration; `nil` for a feature flag or an undeclared key.
        public var option: OptionSchema?
        public var isFeatureFlag: Bool
        public var isDeclared: Bool
        /// The effective value in each of `targets`, in order; `nil` where an undeclared key is not set.
        public var values: [EffectiveOption?]

        /// The type as the schema spells it: `integer`, `array<string>`, `dict<integer>`, `object`, or
        /// `feature flag`; `-` for an undeclared key.
        public var typeName: String {
            if let option { return option.type.description }
            return isFeatureFlag ? "feature flag" : "-"
        }
    }

    public var namespace: String
    /// What was read: `working tree`, or a revision and its commit.
    public var origin: String
    /// `default`, then the other targets the namespace has files for, sorted.
    public var targets: [String]
    public var rows: [Row]

    /// Describes `namespace` from its schema and its parsed values files; only `keys` when given (in that order),
    /// else every declared key in schema order, then undeclared keys sorted.
    public init(
        namespace: String, schema: NamespaceSchema, files: [LoadedValuesFile], origin: String, keys: [String]? = nil
    ) {
        self.namespace = namespace
        self.origin = origin
        let others = Set(files.map(\.file.target)).subtracting([TreeLayout.defaultTarget]).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        targets = [TreeLayout.defaultTarget] + others
        let resolved = NamespaceValues.configurations(of: namespace, files: files, targets: targets).map {
            $0.resolved(with: schema)
        }
        let byKey = resolved.map { options in Dictionary(options.map { ($0.key, $0) }) { first, _ in first } }
        var undeclared: Set<String> = []
        for options in resolved { for option in options where !option.isDeclared { undeclared.insert(option.key) } }
        let order = keys ?? (schema.allKeys + undeclared.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        rows = order.map { key in
            Row(
                key: key, option: schema.options[key], isFeatureFlag: schema.featureFlags[key] != nil,
                isDeclared: schema.declares(key), values: byKey.map { $0[key] })
        }
    }

    /// A table: option, type, schema default, then one column per target (`*` marks a value set in that target's
    /// own files); then each option's description.
    public func text(paint: Paint = Paint(isEnabled: false)) -> String {
        func cell(_ option: EffectiveOption?, in target: String) -> String {
            guard let option else { return "-" }
            var text = option.value.map(Self.summary) ?? "off (unset)"
            switch option.provenance {
            case .target: text += "*"
            case .defaultTarget where target == TreeLayout.defaultTarget: text += "*"
            case .schemaDefault where option.value != nil: text = "(\(text))"
            default: break
            }
            return text.escapingControlCharacters
        }
        let header = ["OPTION", "TYPE", "SCHEMA DEFAULT"] + targets
        var table = [header]
        for row in rows {
            table.append(
                [
                    row.key.escapingControlCharacters, row.typeName,
                    row.option.map { Self.summary($0.defaultValue) } ?? "-",
                ]
                    + zip(row.values, targets).map(cell))
        }
        var widths = Array(repeating: 0, count: header.count)
        for line in table { for (index, text) in line.enumerated() { widths[index] = max(widths[index], text.count) } }
        widths[0] = min(widths[0], 48)
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, text in
                index == cells.count - 1 || text.count >= widths[index]
                    ? text : text + String(repeating: " ", count: widths[index] - text.count)
            }.joined(separator: "  ")
        }
        var out =
            paint(
                "\(namespace) (\(origin)): \(count(rows.count, "option")) in \(count(targets.count, "target"))", .strong
            ) + "\n\n"
        out += paint(line(header), .strong) + "\n"
        for cells in table.dropFirst() { out += line(cells) + "\n" }
        out +=
            "\n" + paint("* set in that target's files; (x) the schema default; other values come from default", .faint)
            + "\n"
        let described = rows.filter { !($0.option?.description.isEmpty ?? true) || !$0.isDeclared }
        if !described.isEmpty { out += "\n" }
        for row in described {
            let text = row.option?.description ?? "not in the schema: passed through unchecked"
            out += paint(row.key.escapingControlCharacters, .strong) + "  " + text.escapingControlCharacters + "\n"
        }
        return out
    }

    /// One JSON document: `{"namespace", "origin", "targets", "options": [{"key", "type", "declared",
    /// "featureFlag", "default", "description", "values": {"<target>": {"value", "source", "file", "line",
    /// "column"}}}]}`.
    public func json() -> String {
        let items = rows.map { row -> Node in
            var pairs: [(String, Node)] = [
                ("key", .string(row.key)), ("type", .string(row.typeName)), ("declared", .bool(row.isDeclared)),
                ("featureFlag", .bool(row.isFeatureFlag)),
            ]
            if let option = row.option {
                pairs.append(("default", option.defaultValue))
                pairs.append(("description", .string(option.description)))
            }
            var values: [(String, Node)] = []
            for (target, option) in zip(targets, row.values) {
                guard let option else { continue }
                var members: [(String, Node)] = [("value", option.value ?? Node(.null))]
                members += EffectiveRenderer.provenanceMembers(option.provenance)
                values.append((target, .object(members)))
            }
            pairs.append(("values", .object(values)))
            return .object(pairs)
        }
        let document: Node = .object([
            ("namespace", .string(namespace)), ("origin", .string(origin)),
            ("targets", .array(targets.map { Node(.string($0)) })), ("options", .array(items)),
        ])
        return JSONWriter.compact(document) + "\n"
    }

    /// A value in a table cell: its JSON, cut at 20 characters; a feature flag as `off` or its segment count.
    static func summary(_ value: Node) -> String {
        if case .object = value.content, let segments = value["segments"], case .array(let list) = segments.content,
            value["created_at"] != nil
        {
            if case .bool(false)? = value["enabled"]?.content { return "off" }
            return "on, \(list.count) segment\(list.count == 1 ? "" : "s")"
        }
        return value.jsonSnippet(limit: 20)
    }

    func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}
