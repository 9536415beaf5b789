/// A `matches` pattern of a feature-flag condition, compiled once when the flag is parsed (reference §5.9).
///
/// `*` is the only wildcard (zero or more characters); `?` and `[` are literal; the match is anchored at both
/// ends and case-insensitive. The pattern is lowercased and split on `*` here, so a match only compares bytes:
/// the prefix, then the suffix (which must not overlap the prefix, so `a*a` rejects `a`), then the middle parts
/// left to right.
struct FeatureGlob: Sendable {
    /// The lowercased pattern, when it has no `*`: the text must equal it.
    let literal: [UInt8]?
    /// The part before the first `*`.
    let prefix: [UInt8]
    /// The part after the last `*`.
    let suffix: [UInt8]
    /// The non-empty parts between stars, in order.
    let middles: [[UInt8]]

    init(_ pattern: String) {
        let lowered = Array(FeatureText.lowercased(pattern).utf8)
        let parts = lowered.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
        if parts.count == 1 {
            literal = lowered
            prefix = []
            suffix = []
            middles = []
        } else {
            literal = nil
            prefix = Array(parts[0])
            suffix = Array(parts[parts.count - 1])
            middles = parts.dropFirst().dropLast().filter { !$0.isEmpty }.map { Array($0) }
        }
    }

    /// Whether `text` matches: `text` is either already lowercased (`foldsASCII` false) or all ASCII, to be
    /// lowercased byte by byte (`foldsASCII` true). See `FeatureText.withLowercasedUTF8`.
    func matches(_ text: UnsafeBufferPointer<UInt8>, foldsASCII: Bool) -> Bool {
        if let literal {
            return FeatureText.equal(text, foldsASCII: foldsASCII, literal)
        }
        guard text.count >= prefix.count + suffix.count else { return false }
        let end = text.count - suffix.count
        guard FeatureText.has(prefix, in: text, at: 0, foldsASCII: foldsASCII),
            FeatureText.has(suffix, in: text, at: end, foldsASCII: foldsASCII)
        else { return false }
        var start = prefix.count
        for middle in middles {
            guard
                let found = FeatureText.firstOffset(of: middle, in: text, from: start, to: end, foldsASCII: foldsASCII)
            else { return false }
            start = found + middle.count
        }
        return true
    }
}

/// Case-insensitive text comparison as the reference does it: Unicode lowercase of both sides (Rust's
/// `str::to_lowercase`), then exact comparison of the UTF-8 bytes (no canonical equivalence).
enum FeatureText {
    /// Rust's `str::to_lowercase`: each scalar's full lowercase mapping, and `Σ` as `ς` at the end of a word
    /// (the Final_Sigma rule, which Swift's `lowercased()` does not apply).
    static func lowercased(_ text: String) -> String {
        if isASCII(text) {
            var bytes = Array(text.utf8)
            for index in bytes.indices { bytes[index] = lowerASCII(bytes[index]) }
            return String(decoding: bytes, as: UTF8.self)
        }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar.value == 0x3A3 {
                let isWordFinal =
                    casedAfterCaseIgnorable(scalars[..<index].reversed())
                    && !casedAfterCaseIgnorable(scalars[(index + 1)...])
                result.append(isWordFinal ? "\u{3C2}" : "\u{3C3}")
            } else if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return String(result)
    }

    /// Rust's `case_ignorable_then_cased`: skipping case-ignorable scalars, whether the next one is cased.
    private static func casedAfterCaseIgnorable<S: Sequence<Unicode.Scalar>>(_ scalars: S) -> Bool {
        for scalar in scalars where !scalar.properties.isCaseIgnorable {
            return scalar.properties.isCased
        }
        return false
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(isASCII) ?? text.utf8.allSatisfy { $0 < 0x80 }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var union: UInt8 = 0
        for byte in bytes { union |= byte }
        return union < 0x80
    }

    @inline(__always)
    static func lowerASCII(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    /// Calls `body` with the UTF-8 of `text` lowercased: without copying when `text` is ASCII (the bytes as they
    /// are, `foldsASCII` true: compare with `lowerASCII`), else with the bytes of `lowercased(text)`.
    static func withLowercasedUTF8(
        _ text: String, _ body: (UnsafeBufferPointer<UInt8>, _ foldsASCII: Bool) -> Bool
    ) -> Bool {
        let direct: Bool?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Bool? in
            isASCII(bytes) ? body(bytes, true) : nil
        }
        if let direct, let result = direct { return result }
        let lowered = Array(lowercased(text).utf8)
        return lowered.withUnsafeBufferPointer { body($0, false) }
    }

    /// Whether the (lowercased or ASCII-folded) `text` equals the lowercased `other`.
    static func equal(_ text: UnsafeBufferPointer<UInt8>, foldsASCII: Bool, _ other: [UInt8]) -> Bool {
        text.count == other.count && has(other, in: text, at: 0, foldsASCII: foldsASCII)
    }

    /// Whether `part` occurs in `text` at byte `offset` (the caller ensures it fits).
    static func has(_ part: [UInt8], in text: UnsafeBufferPointer<UInt8>, at offset: Int, foldsASCII: Bool) -> Bool {
        guard offset + part.count <= text.count else { return false }
        return part.withUnsafeBufferPointer { part in
            if foldsASCII {
                for index in part.indices where lowerASCII(text[offset + index]) != part[index] { return false }
            } else {
                for index in part.indices where text[offset + index] != part[index] { return false }
            }
            return true
        }
    }

    /// The first offset in `start..<end` at which all of `part` lies inside `text[start..<end]`.
    static func firstOffset(
        of part: [UInt8], in text: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, foldsASCII: Bool
    ) -> Int? {
        var offset = start
        while offset + part.count <= end {
            if has(part, in: text, at: offset, foldsASCII: foldsASCII) { return offset }
            offset += 1
        }
        return nil
    }
}
