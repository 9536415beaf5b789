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

    /// Indented JSON (two spaces), members in the order given, ending in a newline: for files people read and
    /// review (exported JSON Schemas).
    public static func pretty(_ node: Node) -> String {
        var output: [UInt8] = []
        writePretty(node, depth: 0, into: &output)
        output.append(UInt8(ascii: "\n"))
        return String(decoding: output, as: UTF8.self)
    }

    static func writePretty(_ node: Node, depth: Int, into output: inout [UInt8]) {
        func newline(_ depth: Int) {
            output.append(UInt8(ascii: "\n"))
            output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth * 2))
        }
        switch node.content {
        case .array(let elements) where !elements.isEmpty:
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                writePretty(element, depth: depth + 1, into: &output)
            }
            newline(depth)
            output.append(UInt8(ascii: "]"))
        case .object(let members) where !members.isEmpty:
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                writeString(member.key, into: &output)
                output.append(contentsOf: ": ".utf8)
                writePretty(member.value, depth: depth + 1, into: &output)
            }
            newline(depth)
            output.append(UInt8(ascii: "}"))
        default:
            write(node, into: &output)
        }
    }

    /// Appends the compact JSON text of `node` to `output`.
    public static func write(_ node: Node, into output: inout [UInt8]) {
        switch node.content {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .integer(let value):
            if value < 0 { output.append(UInt8(ascii: "-")) }
            writeDigits(value.magnitude, into: &output)
        case .unsignedInteger(let value): writeDigits(value, into: &output)
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
            // Files are often written in key order already; sort only when they are not.
            var isSorted = true
            for index in members.indices.dropFirst() where !utf8Precedes(members[index - 1].key, members[index].key) {
                isSorted = false
                break
            }
            func writeMember(_ member: Node.Member, first: Bool) {
                if !first { output.append(UInt8(ascii: ",")) }
                writeString(member.key, into: &output)
                output.append(UInt8(ascii: ":"))
                write(member.value, into: &output)
            }
            if isSorted {
                for index in members.indices { writeMember(members[index], first: index == 0) }
            } else {
                let order = members.indices.sorted { utf8Precedes(members[$0].key, members[$1].key) }
                for (position, index) in order.enumerated() { writeMember(members[index], first: position == 0) }
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a quoted JSON string, escaped as serde_json does.
    public static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Copy runs of plain bytes at once; escape the rest.
            var runStart = 0
            for index in 0..<bytes.count {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                if runStart < index {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                runStart = index + 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: #"\""#.utf8)
                case UInt8(ascii: "\\"): output.append(contentsOf: #"\\"#.utf8)
                case 0x08: output.append(contentsOf: #"\b"#.utf8)
                case 0x0C: output.append(contentsOf: #"\f"#.utf8)
                case 0x0A: output.append(contentsOf: #"\n"#.utf8)
                case 0x0D: output.append(contentsOf: #"\r"#.utf8)
                case 0x09: output.append(contentsOf: #"\t"#.utf8)
                default:
                    let hex = Array("0123456789abcdef".utf8)
                    output.append(contentsOf: #"\u00"#.utf8)
                    output.append(hex[Int(byte >> 4)])
                    output.append(hex[Int(byte & 0xF)])
                }
            }
            if runStart < bytes.count { output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Appends the decimal digits of `value`.
    static func writeDigits(_ value: UInt64, into output: inout [UInt8]) {
        if value < 10 {
            output.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes of scratch, enough for 20 digits
        withUnsafeMutableBytes(of: &digits) { buffer in
            var remaining = value
            var start = buffer.count
            while remaining > 0 {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            output.append(contentsOf: buffer[start...])
        }
    }

    /// Whether `a` sorts before `b` by UTF-8 bytes (serde_json's `BTreeMap<String, _>` order).
    public static func utf8Precedes(_ a: String, _ b: String) -> Bool {
        let result: Bool?? = a.utf8.withContiguousStorageIfAvailable { (x: UnsafeBufferPointer<UInt8>) -> Bool? in
            b.utf8.withContiguousStorageIfAvailable { (y: UnsafeBufferPointer<UInt8>) -> Bool in bytesPrecede(x, y) }
        }
        if let outer = result, let inner = outer { return inner }
        return a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// Whether the bytes `x` sort before the bytes `y`.
    static func bytesPrecede(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = min(x.count, y.count)
        var index = 0
        while index < count {
            if x[index] != y[index] { return x[index] < y[index] }
            index += 1
        }
        return x.count < y.count
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
