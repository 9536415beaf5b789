extension String {
    /// The text with control characters (C0, DEL, C1) written as `\u{…}`: what a hostile key or file name
    /// becomes in terminal output, so it can neither move the cursor, ring a bell, nor forge a line of its own.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.isControl) else { return self }
        var text = ""
        for scalar in unicodeScalars {
            if scalar.isControl {
                text += scalar.escaped
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return text
    }
}

extension Unicode.Scalar {
    /// C0 controls, DEL and C1 controls.
    var isControl: Bool { value < 0x20 || (0x7F...0x9F).contains(value) }

    /// The scalar written as `\u{…}` (how every output format shows a control character).
    var escaped: String { "\\u{" + String(value, radix: 16) + "}" }
}
