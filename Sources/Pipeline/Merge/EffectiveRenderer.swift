import OptionsSchema

/// Renders the effective configuration of one namespace in one target for people (`text`) or tools (`json`).
public struct EffectiveRenderer: Sendable {
    /// Prefix stripped from file paths in text output (the namespace's values directory and a slash), so sources
    /// read `us/values.yaml:3:3`.
    public var namespacePrefix: String
    /// What was read, for the heading: `working tree` or `HEAD~1 (4544fec43d3f)`.
    public var origin: String
    /// Styles for text output on a terminal (off by default).
    public var paint = Paint(isEnabled: false)

    /// Creates a renderer.
    public init(namespacePrefix: String, origin: String) {
        self.namespacePrefix = namespacePrefix
        self.origin = origin
    }

    func short(_ file: String) -> String {
        file.hasPrefix(namespacePrefix) ? String(file.dropFirst(namespacePrefix.count)) : file
    }

    func describe(_ provenance: Provenance) -> String {
        switch provenance {
        case .target(let file, let position), .defaultTarget(let file, let position):
            "\(short(file).escapingControlCharacters):\(position)"
        case .schemaDefault: "schema default"
        case .unset: "not set (feature flag: off)"
        }
    }

    /// A table: key, value, where it comes from; overridden defaults and undeclared keys marked.
    public func text(_ options: [EffectiveOption], namespace: String, target: String) -> String {
        let keyWidth = min(48, options.map(\.key.count).max() ?? 0)
        let values = options.map { $0.value?.jsonSnippet(limit: 40) ?? "-" }
        let valueWidth = min(40, values.map(\.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        var out = paint("\(namespace) in \(target) (\(origin))", .strong) + "\n"
        out += paint("\(pad("OPTION", keyWidth))  \(pad("VALUE", valueWidth))  SOURCE", .strong) + "\n"
        for (option, value) in zip(options, values) {
            // What the target sets itself stands out; what it inherits is faint.
            var source = describe(option.provenance)
            if case .target = option.provenance {} else { source = paint(source, .faint) }
            if let overrides = option.overrides { source += paint(", overrides \(describe(overrides))", .faint) }
            if !option.isDeclared { source += paint(" — not in the schema, passed through unchecked", .warning) }
            out += "\(pad(option.key.escapingControlCharacters, keyWidth))  \(pad(value, valueWidth))  \(source)\n"
        }
        let set = options.count { if case .target = $0.provenance { true } else { false } }
        let inherited = options.count { if case .defaultTarget = $0.provenance { true } else { false } }
        let fallback = options.count { $0.provenance == .schemaDefault }
        func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
        out += "\(count(options.count, "option")): \(set) set in \(target), \(inherited) from default, "
        out += "\(count(fallback, "schema default"))\n"
        return out
    }

    /// The JSON members that say where a value comes from: `source` (`target`, `default`, `schema-default`,
    /// `unset`), and `file`, `line`, `column` for values set in a file.
    public static func provenanceMembers(_ provenance: Provenance) -> [(String, Node)] {
        switch provenance {
        case .target(let file, let position), .defaultTarget(let file, let position):
            let kind = if case .target = provenance { "target" } else { "default" }
            return [
                ("source", .string(kind)), ("file", .string(file)), ("line", .integer(position.line)),
                ("column", .integer(position.column)),
            ]
        case .schemaDefault: return [("source", .string("schema-default"))]
        case .unset: return [("source", .string("unset"))]
        }
    }

    /// One JSON document: `{"namespace", "target", "origin", "options": [{"key", "value", "source", "file",
    /// "line", "column", "overrides", "declared"}]}`.
    public func json(_ options: [EffectiveOption], namespace: String, target: String) -> String {
        let place = Self.provenanceMembers
        let items = options.map { option -> Node in
            var pairs: [(String, Node)] = [
                ("key", .string(option.key)), ("value", option.value ?? Node(.null)),
                ("declared", .bool(option.isDeclared)),
            ]
            pairs += place(option.provenance)
            if let overrides = option.overrides { pairs.append(("overrides", .object(place(overrides)))) }
            return .object(pairs)
        }
        let document: Node = .object([
            ("namespace", .string(namespace)), ("target", .string(target)), ("origin", .string(origin)),
            ("options", .array(items)),
        ])
        return JSONWriter.compact(document) + "\n"
    }
}
