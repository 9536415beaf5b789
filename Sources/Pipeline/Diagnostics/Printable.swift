extension String {
    /// The text with control characters (C0, DEL, C1) and invisible format characters (bidirectional overrides
    /// and isolates, zero-width spaces and joiners, soft hyphens, byte-order marks) written as `\u{…}`: what a
    /// hostile key or file name becomes in output, so it can neither move the cursor, ring a bell, forge a line of
    /// its own, reorder what a reviewer reads, nor pass for a different key.
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
    /// C0 controls, DEL and C1 controls, and format characters (Unicode category Cf: U+200B–U+200F, U+202A–U+202E,
    /// U+2060–U+2069, U+FEFF, U+00AD and the like), which render as nothing or reorder the text around them.
    var isControl: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || (value >= 0xAD && properties.generalCategory == .format)
    }

    /// The scalar written as `\u{…}` (how every output format shows a control character).
    var escaped: String { "\\u{" + String(value, radix: 16) + "}" }
}
