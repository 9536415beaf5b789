import OptionsSchema

/// The output formats of diagnostics.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// gcc style: `path:line:col: error: message [code]`, what editors and terminals understand.
    case text
    /// A JSON document: `{"diagnostics": [...], "summary": {...}}`.
    case json
    /// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
    case github
    /// SARIF 2.1.0, for code-scanning tools.
    case sarif
}

/// Renders a lint report in one of the output formats.
public struct DiagnosticRenderer: Sendable {
    /// The tool version written into SARIF.
    public var toolVersion: String
    /// Whether text output uses ANSI colours.
    public var usesColor: Bool
    /// How SARIF and GitHub annotations name files: relative to the repository root. Without it, paths are
    /// written as displayed.
    public var repositoryPaths: RepositoryPaths?

    /// Creates a renderer.
    public init(toolVersion: String, usesColor: Bool = false) {
        self.toolVersion = toolVersion
        self.usesColor = usesColor
    }

    /// The whole output for `diagnostics` in `format`, ending in a newline unless empty.
    public func render(_ diagnostics: [Diagnostic], as format: DiagnosticFormat) -> String {
        switch format {
        case .text: diagnostics.map(text).joined()
        case .json: JSONWriter.compact(json(diagnostics)) + "\n"
        case .github: diagnostics.map(github).joined()
        case .sarif: JSONWriter.compact(sarif(diagnostics)) + "\n"
        }
    }

    // MARK: text

    func paint(_ text: String, _ style: Paint.Style) -> String {
        Paint(isEnabled: usesColor)(text, style)
    }

    static func place(_ file: String?, _ position: SourcePosition?) -> String {
        guard let file else { return "optionsctl" }
        guard let position else { return file }
        return "\(file):\(position.line):\(position.column)"
    }

    /// One diagnostic and its notes as gcc-style lines.
    public func text(_ diagnostic: Diagnostic) -> String {
        let label =
            diagnostic.severity == .error ? paint("error:", .error) : paint("warning:", .warning)
        // Keys and file names come from the tree: control characters are escaped, so a key holding a newline
        // cannot print a forged diagnostic, nor an escape sequence recolour the terminal.
        let place = Self.place(diagnostic.file, diagnostic.position).escapingControlCharacters
        var out = "\(paint(place + ":", .strong)) \(label) "
        out += "\(diagnostic.message.escapingControlCharacters) \(paint("[\(diagnostic.code)]", .faint))\n"
        for note in diagnostic.notes {
            let notePlace = Self.place(note.file ?? diagnostic.file, note.position).escapingControlCharacters
            out += "\(paint(notePlace + ":", .strong)) "
            out += "\(paint("note:", .note)) \(note.message.escapingControlCharacters)\n"
        }
        return out
    }

    // MARK: json

    func json(_ diagnostics: [Diagnostic]) -> Node {
        func place(_ file: String?, _ position: SourcePosition?) -> [(String, Node)] {
            var pairs: [(String, Node)] = []
            if let file { pairs.append(("file", .string(file))) }
            if let position {
                pairs.append(("line", .integer(position.line)))
                pairs.append(("column", .integer(position.column)))
            }
            return pairs
        }
        let items = diagnostics.map { diagnostic -> Node in
            var pairs: [(String, Node)] = [
                ("severity", .string(diagnostic.severity.rawValue)),
                ("code", .string(diagnostic.code.rawValue)),
                ("message", .string(diagnostic.message)),
            ]
            pairs += place(diagnostic.file, diagnostic.position)
            pairs.append(
                (
                    "notes",
                    .array(
                        diagnostic.notes.map {
                            .object([("message", .string($0.message))] + place($0.file, $0.position))
                        })
                ))
            return .object(pairs)
        }
        return .object([
            ("version", .integer(1)),
            ("diagnostics", .array(items)),
            (
                "summary",
                .object([
                    ("errors", .integer(diagnostics.count { $0.severity == .error })),
                    ("warnings", .integer(diagnostics.count { $0.severity == .warning })),
                ])
            ),
        ])
    }

    // MARK: github

    /// A workflow command's message, escaped as GitHub Actions expects (`%`, CR, LF).
    public static func escapeData(_ text: String) -> String {
        // CR and LF as GitHub decodes them; other control characters escaped so they reach no log raw.
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            case let control where control.isControl: out += control.escaped
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A workflow command's property value (`file=`, `title=`), escaped as GitHub Actions expects.
    public static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacing(":", with: "%3A").replacing(",", with: "%2C")
    }

    /// One diagnostic as a GitHub Actions workflow command.
    public func github(_ diagnostic: Diagnostic) -> String {
        var properties: [String] = []
        if let file = diagnostic.file { properties.append("file=\(Self.escapeProperty(inRepository(file)))") }
        if let position = diagnostic.position {
            properties.append("line=\(position.line)")
            properties.append("col=\(position.column)")
        }
        properties.append("title=\(Self.escapeProperty("optionsctl [\(diagnostic.code)]"))")
        var message = diagnostic.message
        for note in diagnostic.notes {
            message += "\nnote: \(Self.place((note.file ?? diagnostic.file).map(inRepository), note.position)): "
            message += note.message
        }
        return "::\(diagnostic.severity.rawValue) \(properties.joined(separator: ","))::\(Self.escapeData(message))\n"
    }

    /// `file` relative to the repository root when `repositoryPaths` is set.
    public func inRepository(_ file: String) -> String {
        repositoryPaths?.relative(file) ?? file
    }

    // MARK: sarif

    /// Percent-encodes a relative path for a SARIF `uri`.
    static func uri(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    func sarif(_ diagnostics: [Diagnostic]) -> Node {
        let rules = allIssueCodes
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.code, $0) })
        func location(_ file: String?, _ position: SourcePosition?, message: String? = nil) -> Node? {
            guard let file else { return nil }
            let path = inRepository(file)
            var artifact: [(String, Node)] = [("uri", .string(Self.uri(path)))]
            if repositoryPaths != nil && RepositoryPaths.isRelative(path) {
                artifact.append(("uriBaseId", .string("%SRCROOT%")))
            }
            var physical: [(String, Node)] = [("artifactLocation", .object(artifact))]
            if let position {
                physical.append(
                    (
                        "region",
                        .object([("startLine", .integer(position.line)), ("startColumn", .integer(position.column))])
                    ))
            }
            var pairs: [(String, Node)] = [("physicalLocation", .object(physical))]
            if let message { pairs.append(("message", .object([("text", .string(message))]))) }
            return .object(pairs)
        }
        let results = diagnostics.map { diagnostic -> Node in
            var pairs: [(String, Node)] = [
                ("ruleId", .string(diagnostic.code.rawValue)),
                ("level", .string(diagnostic.severity == .error ? "error" : "warning")),
                ("message", .object([("text", .string(diagnostic.message))])),
            ]
            if let index = ruleIndex[diagnostic.code] { pairs.append(("ruleIndex", .integer(index))) }
            if let place = location(diagnostic.file, diagnostic.position) {
                pairs.append(("locations", .array([place])))
            }
            let related = diagnostic.notes.compactMap {
                location($0.file ?? diagnostic.file, $0.position, message: $0.message)
            }
            if !related.isEmpty { pairs.append(("relatedLocations", .array(related))) }
            return .object(pairs)
        }
        let driver: Node = .object([
            ("name", .string("optionsctl")),
            ("version", .string(toolVersion)),
            (
                "rules",
                .array(
                    rules.map {
                        .object([
                            ("id", .string($0.code.rawValue)),
                            ("shortDescription", .object([("text", .string($0.summary))])),
                        ])
                    })
            ),
        ])
        return .object([
            ("$schema", .string("https://json.schemastore.org/sarif-2.1.0.json")),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([("tool", .object([("driver", driver)])), ("results", .array(results))])])),
        ])
    }
}
