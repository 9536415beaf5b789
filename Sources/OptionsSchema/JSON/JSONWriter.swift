/// Writes `Node` values as compact JSON, the way serde_json writes them.
///
/// Object keys are sorted by their UTF-8 bytes at every depth (serde_json's `BTreeMap` order), floats use the
/// shortest representation that round-trips (`42.0`, `1e16`, `1.5e-7`), strings escape only `"`, `\` and control
/// characters.
public enum JSONWriter {
    /// The compact JSON text of `node`.
    public static func compact(_ node: Node) -> String {
        var output: [UInt8] = []
        write(node, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the compact JSON text of `node` to `output`.
    public static func write(_ node: Node, into output: inout [UInt8]) {
        switch node.content {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value): output.append(contentsOf: String(value).utf8)
        case .unsignedInteger(let value): output.append(contentsOf: String(value).utf8)
        case .float(let value): output.append(contentsOf: formatFloat(value).utf8)
        case .string(let value): writeString(value, into: &output)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                write(element, into: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a quoted JSON string, escaped as serde_json does.
    public static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
            case 0x08: output.append(contentsOf: #"\b"#.utf8)
            case 0x0C: output.append(contentsOf: #"\f"#.utf8)
            case 0x0A: output.append(contentsOf: #"\n"#.utf8)
            case 0x0D: output.append(contentsOf: #"\r"#.utf8)
            case 0x09: output.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                output.append(contentsOf: #"\u00"#.utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0xF)])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// The shortest round-tripping text of a finite double, in serde_json's (ryu's) notation.
    ///
    /// Non-finite values have no JSON form; they are written as `null`, as serde_json does.
    public static func formatFloat(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == 0 { return value.sign == .minus ? "-0.0" : "0.0" }
        // Swift's description gives the shortest round-tripping digits; re-lay them out as ryu does.
        let text = value.magnitude.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var pointIndex: Int? = nil
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") { pointIndex = digits.count } else { digits.append(byte) }
        }
        // value = 0.digits × 10^kk
        var kk = (pointIndex ?? digits.count) + exponent
        while digits.first == UInt8(ascii: "0") && digits.count > 1 {
            digits.removeFirst()
            kk -= 1
        }
        while digits.last == UInt8(ascii: "0") && digits.count > 1 { digits.removeLast() }
        let length = digits.count
        let k = kk - length
        var out: [UInt8] = value.sign == .minus ? [UInt8(ascii: "-")] : []
        if k >= 0 && kk <= 16 {
            out += digits
            out += [UInt8](repeating: UInt8(ascii: "0"), count: k)
            out += Array(".0".utf8)
        } else if kk > 0 && kk <= 16 {
            out += digits[..<kk]
            out.append(UInt8(ascii: "."))
            out += digits[kk...]
        } else if kk > -5 && kk <= 0 {
            out += Array("0.".utf8)
            out += [UInt8](repeating: UInt8(ascii: "0"), count: -kk)
            out += digits
        } else {
            out.append(digits[0])
            if length > 1 {
                out.append(UInt8(ascii: "."))
                out += digits[1...]
            }
            out.append(UInt8(ascii: "e"))
            out += Array(String(kk - 1).utf8)
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Node {
    /// A short JSON rendering for messages: compact, cut with `…` past `limit` characters.
    public func jsonSnippet(limit: Int = 60) -> String {
        let text = JSONWriter.compact(self)
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
