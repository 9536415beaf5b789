internal import CLibYAML
public import OptionsSchema

extension IssueCode {
    /// The file is not well-formed YAML.
    public static let yamlSyntax = IssueCode(rawValue: "yaml-syntax")
    /// The file is not UTF-8.
    public static let yamlEncoding = IssueCode(rawValue: "yaml-encoding")
    /// A YAML feature option files do not use: anchors, aliases, merge keys, tags, several documents, complex keys.
    public static let yamlUnsupported = IssueCode(rawValue: "yaml-unsupported")
    /// A YAML value JSON cannot hold: `.inf`, `.nan`, an integer outside 64 bits.
    public static let yamlValue = IssueCode(rawValue: "yaml-value")
}

/// What loading one YAML file produced.
public struct YAMLDocument: Sendable {
    /// The document's root, or `nil` for an empty file or when the file could not be parsed.
    public var root: Node?
    /// Every problem found, in file order.
    public var issues: [Issue]
    /// Positions of values that could not be represented (aliases, `.inf`, out-of-range integers, unsupported
    /// tags) and stand in the tree as `null`; their error is already reported, so checks on them are noise.
    public var placeholders: Set<SourcePosition>
}

/// Loads YAML into `Node` trees through libyaml's event parser.
///
/// Plain scalars are typed by `ScalarResolver`; quoted and block scalars are strings. Duplicate keys are errors
/// that name both positions (the first value is kept). Anchors, aliases, merge keys (`<<`), tags other than the
/// core ones, complex keys and multi-document files are rejected; non-UTF-8 input is rejected (a UTF-8 BOM is
/// fine); nesting deeper than `maximumDepth` stops the load.
public enum YAMLLoader {
    /// The deepest nesting of mappings and sequences accepted.
    public static let maximumDepth = 64

    /// Loads one YAML document from UTF-8 bytes.
    /// The line and column just after the last character of `input`, lines counted as libyaml counts them.
    static func endPosition(of input: UnsafeBufferPointer<UInt8>) -> SourcePosition {
        TreeBuilder(input: input).positionOfByte(input.count)
    }

    public static func load(_ bytes: [UInt8]) -> YAMLDocument {
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            return YAMLDocument(
                root: nil,
                issues: [
                    Issue(
                        .error, .yamlEncoding, "file is UTF-16 encoded; values files must be UTF-8",
                        at: SourcePosition(line: 1, column: 1))
                ], placeholders: [])
        }
        return bytes.withUnsafeBufferPointer { buffer in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                return YAMLDocument(
                    root: nil, issues: [Issue(.error, .yamlSyntax, "libyaml could not start", at: nil)],
                    placeholders: [])
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
            if let base = buffer.baseAddress {
                yaml_parser_set_input_string(parser, base, buffer.count)
            } else {
                var empty: UInt8 = 0
                yaml_parser_set_input_string(parser, &empty, 0)
            }
            var builder = TreeBuilder(input: buffer)
            builder.run(parser)
            return YAMLDocument(root: builder.root, issues: builder.issues, placeholders: builder.placeholders)
        }
    }
}

private struct Frame {
    var isMapping: Bool
    var start: SourcePosition
    var members: [Node.Member] = []
    var items: [Node] = []
    /// The key waiting for its value, and whether that value is to be dropped (a duplicate or merge key).
    var pendingKey: (key: String, position: SourcePosition, drop: Bool)?
    /// Key positions, built once a mapping grows past a few keys.
    var index: KeyIndex?

    mutating func position(ofKey key: String) -> SourcePosition? {
        if let index { return index.positions[key] }
        if members.count < 12 {
            return members.first(where: { $0.key == key })?.keyPosition
        }
        var built: [String: SourcePosition] = [:]
        built.reserveCapacity(members.count * 2)
        for member in members where built[member.key] == nil { built[member.key] = member.keyPosition }
        let result = built[key]
        index = KeyIndex(positions: built)
        return result
    }
}

/// The positions of a large mapping's keys. A class, so that adding a key mutates the one dictionary in place:
/// held in a struct inside the frame stack, the dictionary was copied on every insertion in unoptimised builds,
/// which made a million-key file quadratic there.
private final class KeyIndex {
    var positions: [String: SourcePosition]
    init(positions: [String: SourcePosition]) { self.positions = positions }
}

private struct TreeBuilder {
    let input: UnsafeBufferPointer<UInt8>
    var stack: [Frame] = []
    var root: Node?
    var issues: [Issue] = []
    var placeholders: Set<SourcePosition> = []
    var documents = 0

    init(input: UnsafeBufferPointer<UInt8>) { self.input = input }

    mutating func report(_ code: IssueCode, _ message: String, at position: SourcePosition?) {
        issues.append(Issue(.error, code, message, at: position))
    }

    /// Reports a value that cannot be represented and returns the `null` that stands in for it.
    mutating func placeholder(_ code: IssueCode, _ message: String, at position: SourcePosition) -> Node.Content {
        report(code, message, at: position)
        placeholders.insert(position)
        return .null
    }

    static func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    static func cString(_ pointer: UnsafePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    mutating func run(_ parser: UnsafeMutablePointer<yaml_parser_t>) {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(parser, &event) == 1 else {
                reportParserError(parser.pointee)
                root = nil
                return
            }
            let keepGoing = handle(&event)
            yaml_event_delete(&event)
            if !keepGoing { return }
        }
    }

    mutating func reportParserError(_ parser: yaml_parser_t) {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
        if parser.error == YAML_READER_ERROR {
            // For a bad continuation byte libyaml reports the offset of that byte; point at the sequence's start.
            var offset = parser.problem_offset
            if problem.contains("trailing"), offset > 0, offset <= input.count {
                offset -= 1
                while offset > 0 && input[offset] & 0xC0 == 0x80 { offset -= 1 }
            }
            let position = positionOfByte(offset)
            var message = "file is not valid UTF-8: \(problem)"
            if parser.problem_value != -1 {
                message += " (byte 0x\(String(parser.problem_value, radix: 16, uppercase: true)))"
            }
            report(.yamlEncoding, message, at: position)
            return
        }
        var message = "YAML parse error: \(problem)"
        if let context = parser.context.map({ String(cString: $0) }) {
            message += " (\(context) at \(Self.position(parser.context_mark)))"
        }
        report(.yamlSyntax, message, at: withinInput(Self.position(parser.problem_mark)))
    }

    /// `position`, or the end of the input when the position lies past it (libyaml reports an error found at the
    /// end of a file that lacks its final newline on the line after the last): a location is always in the file.
    func withinInput(_ position: SourcePosition) -> SourcePosition {
        let end = positionOfByte(input.count)
        if position.line > end.line || (position.line == end.line && position.column > end.column) { return end }
        return position
    }

    /// The line and column (in code points) of a byte offset.
    func positionOfByte(_ offset: Int) -> SourcePosition {
        var line = 1
        var column = 1
        var index = 0
        if input.count >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { index = 3 }
        let limit = min(offset, input.count)
        while index < limit {
            let breakLength = Self.lineBreakLength(at: index, in: input)
            if breakLength > 0 {
                line += 1
                column = 1
                index += breakLength
                continue
            }
            if input[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return SourcePosition(line: line, column: column)
    }

    /// The length in bytes of the line break at `index` (0 when there is none), counted as libyaml counts lines:
    /// CR LF, CR, LF, NEL (U+0085), LS (U+2028) and PS (U+2029) each end a line.
    static func lineBreakLength(at index: Int, in input: UnsafeBufferPointer<UInt8>) -> Int {
        let byte = input[index]
        let next = index + 1 < input.count ? input[index + 1] : 0
        switch byte {
        case 0x0A: return 1
        case 0x0D: return next == 0x0A ? 2 : 1
        case 0xC2: return next == 0x85 ? 2 : 0
        case 0xE2:
            let third = index + 2 < input.count ? input[index + 2] : 0
            return next == 0x80 && (third == 0xA8 || third == 0xA9) ? 3 : 0
        default: return 0
        }
    }

    /// Handles one event; returns `false` to stop.
    mutating func handle(_ event: inout yaml_event_t) -> Bool {
        let start = Self.position(event.start_mark)
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return false
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                report(
                    .yamlUnsupported,
                    "file holds more than one YAML document; a values file is one document with one 'options' mapping",
                    at: start)
                return false
            }
            return true
        case YAML_ALIAS_EVENT:
            let name = Self.cString(event.data.alias.anchor) ?? ""
            let content = placeholder(
                .yamlUnsupported, "aliases are not supported in option files (found '*\(name)')", at: start)
            return add(Node(content, at: start))
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            checkAnchor(scalar.anchor, at: start)
            let isPlain = scalar.style == YAML_PLAIN_SCALAR_STYLE
            let value = UnsafeBufferPointer(start: scalar.value, count: scalar.length)
            if let frame = stack.last, frame.isMapping, frame.pendingKey == nil {
                return addKey(value, isPlain: isPlain, tag: scalar.tag, at: start)
            }
            return add(Node(scalarContent(value, tag: scalar.tag, isPlain: isPlain, at: start), at: start))
        case YAML_SEQUENCE_START_EVENT:
            checkAnchor(event.data.sequence_start.anchor, at: start)
            checkCollectionTag(event.data.sequence_start.tag, at: start)
            return push(Frame(isMapping: false, start: start))
        case YAML_MAPPING_START_EVENT:
            checkAnchor(event.data.mapping_start.anchor, at: start)
            checkCollectionTag(event.data.mapping_start.tag, at: start)
            return push(Frame(isMapping: true, start: start))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return false }
            let node =
                frame.isMapping
                ? Node(.object(frame.members), at: frame.start) : Node(.array(frame.items), at: frame.start)
            return add(node)
        default:
            return true
        }
    }

    mutating func push(_ frame: Frame) -> Bool {
        if let top = stack.last, top.isMapping, top.pendingKey == nil {
            report(
                .yamlUnsupported, "a mapping key must be a scalar, not a \(frame.isMapping ? "mapping" : "sequence")",
                at: frame.start)
            return false
        }
        if stack.count >= YAMLLoader.maximumDepth {
            report(.yamlUnsupported, "nesting deeper than \(YAMLLoader.maximumDepth) levels", at: frame.start)
            return false
        }
        stack.append(frame)
        return true
    }

    /// Attaches a finished value to its parent, or makes it the root.
    mutating func add(_ node: Node) -> Bool {
        guard !stack.isEmpty else {
            root = node
            return true
        }
        let top = stack.count - 1
        if stack[top].isMapping {
            guard let pending = stack[top].pendingKey else { return true }
            stack[top].pendingKey = nil
            if !pending.drop {
                stack[top].members.append(Node.Member(key: pending.key, keyPosition: pending.position, value: node))
            }
        } else {
            stack[top].items.append(node)
        }
        return true
    }

    mutating func addKey(
        _ value: UnsafeBufferPointer<UInt8>, isPlain: Bool, tag: UnsafeMutablePointer<yaml_char_t>?,
        at position: SourcePosition
    ) -> Bool {
        let key = String(decoding: value, as: UTF8.self)
        var drop = false
        var resolves = isPlain
        if let tag = Self.cString(tag) {
            switch tag {
            case "tag:yaml.org,2002:str", "!": resolves = false
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null":
                resolves = true
            default:
                report(.yamlUnsupported, "tag '\(tag)' is not supported in option files", at: position)
                drop = true
            }
        }
        if isPlain && key == "<<" && !drop {
            report(.yamlUnsupported, "merge keys ('<<') are not supported in option files", at: position)
            drop = true
        } else if resolves && !drop, let kind = Self.nonStringKind(value) {
            // serde_yaml reads such a key as a number, boolean or null, and a JSON map's keys are strings.
            report(
                .yamlUnsupported,
                kind == "null"
                    ? "a mapping key must be a string, found null"
                    : "a mapping key must be a string, found \(kind) \(key); quote it to make it a string ('\(key)')",
                at: position)
            drop = true
        }
        if !drop, let first = stack[stack.count - 1].position(ofKey: key) {
            report(
                .duplicateKey, "duplicate key '\(key)' (first defined at \(first)); keys must be unique in a mapping",
                at: position)
            drop = true
        }
        let top = stack.count - 1
        stack[top].pendingKey = (key, position, drop)
        if !drop, let index = stack[top].index { index.positions[key] = position }
        return true
    }

    /// What a plain key is when it is not a string (`integer`, `float`, `boolean`, `null`), or `nil` for a string.
    static func nonStringKind(_ value: UnsafeBufferPointer<UInt8>) -> String? {
        switch ScalarResolver.resolve(value) {
        case .string: return nil
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .unsignedInteger, .integerOutOfRange: return "integer"
        case .float, .nonFinite: return "float"
        }
    }

    mutating func checkAnchor(_ anchor: UnsafeMutablePointer<yaml_char_t>?, at position: SourcePosition) {
        guard let name = Self.cString(anchor) else { return }
        report(.yamlUnsupported, "anchors are not supported in option files (found '&\(name)')", at: position)
    }

    mutating func checkCollectionTag(_ tag: UnsafeMutablePointer<yaml_char_t>?, at position: SourcePosition) {
        guard let tag = Self.cString(tag) else { return }
        if tag != "tag:yaml.org,2002:map" && tag != "tag:yaml.org,2002:seq" {
            report(.yamlUnsupported, "tag '\(tag)' is not supported in option files", at: position)
        }
    }

    mutating func scalarContent(
        _ value: UnsafeBufferPointer<UInt8>, tag: UnsafeMutablePointer<yaml_char_t>?, isPlain: Bool,
        at position: SourcePosition
    ) -> Node.Content {
        if let tag = Self.cString(tag) {
            switch tag {
            case "tag:yaml.org,2002:str", "!": return .string(String(decoding: value, as: UTF8.self))
            case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
                "tag:yaml.org,2002:null":
                return taggedContent(value, tag: tag, at: position)
            default:
                return placeholder(.yamlUnsupported, "tag '\(tag)' is not supported in option files", at: position)
            }
        }
        guard isPlain else { return .string(String(decoding: value, as: UTF8.self)) }
        return plainContent(value, at: position)
    }

    /// A scalar with a core tag (`!!int`, `!!float`, `!!bool`, `!!null`) is resolved as a plain one and must be of
    /// the tag's type; `!!float 1` is the float 1.0, as serde_yaml reads it.
    mutating func taggedContent(_ value: UnsafeBufferPointer<UInt8>, tag: String, at position: SourcePosition)
        -> Node.Content
    {
        let reported = issues.count
        let content = plainContent(value, at: position)
        if issues.count > reported { return content }
        let name = String(tag.dropFirst("tag:yaml.org,2002:".count))
        switch (name, content) {
        case ("int", .integer), ("int", .unsignedInteger), ("float", .float), ("bool", .bool), ("null", .null):
            return content
        case ("float", .integer(let integer)): return .float(Double(integer))
        case ("float", .unsignedInteger(let integer)): return .float(Double(integer))
        default:
            let text = String(decoding: value, as: UTF8.self)
            let expected = ["int": "an integer", "float": "a number", "bool": "true or false", "null": "null"][name]
            return placeholder(
                .yamlValue,
                "'\(text)' is tagged !!\(name) but is not \(expected ?? name) (drop the tag, or quote "
                    + "the value to make it a string)", at: position)
        }
    }

    mutating func plainContent(_ value: UnsafeBufferPointer<UInt8>, at position: SourcePosition) -> Node.Content {
        switch ScalarResolver.resolve(value) {
        case .null: return .null
        case .bool(let value): return .bool(value)
        case .integer(let value): return .integer(value)
        case .unsignedInteger(let value): return .unsignedInteger(value)
        case .float(let value): return .float(value)
        case .string: return .string(String(decoding: value, as: UTF8.self))
        case .integerOutOfRange:
            let text = String(decoding: value, as: UTF8.self)
            return placeholder(
                .yamlValue,
                "integer \(text) is outside the 64-bit range (-2^63 to 2^64-1); quote it to make it a string",
                at: position)
        case .nonFinite:
            let text = String(decoding: value, as: UTF8.self)
            return placeholder(
                .yamlValue, "\(text) cannot be represented in JSON (sentry-options would silently write null)",
                at: position)
        }
    }
}
