import OptionsSchema

/// Types plain (unquoted) YAML scalars exactly as serde_yaml 0.9 does, close to the YAML 1.2 core schema.
///
/// - null: empty, `~`, `null`, `Null`, `NULL`; bool: `true`/`True`/`TRUE`/`false`/`False`/`FALSE` only, so `yes`,
///   `no`, `on`, `off` are strings;
/// - integers: optional sign, then `0x`/`0o`/`0b` digits or decimal digits; a decimal with a leading zero (`017`)
///   is a string, and so are `1_000` and `1:30`;
/// - floats: `.inf`/`.nan` forms and finite decimal or exponent forms (`1e3`, `.5`, `1.`); `1e400` stays a string;
/// - everything else is a string.
public enum ScalarResolver {
    /// What a plain scalar means.
    public enum Resolution: Equatable, Sendable {
        case null
        case bool(Bool)
        case integer(Int64)
        case unsignedInteger(UInt64)
        case float(Double)
        case string
        /// An integer form outside the 64-bit range.
        case integerOutOfRange
        /// `.inf`, `-.inf` or `.nan`, which JSON cannot hold.
        case nonFinite
    }

    /// Resolves the text of a plain scalar.
    public static func resolve(_ text: String) -> Resolution {
        var text = text
        return text.withUTF8 { resolve($0) }
    }

    /// Resolves the UTF-8 bytes of a plain scalar.
    public static func resolve(_ bytes: UnsafeBufferPointer<UInt8>) -> Resolution {
        let count = bytes.count
        if count == 0 { return .null }
        let first = bytes[0]
        // Fast exit: scalars that cannot be null, bool or a number.
        if !(first == UInt8(ascii: "~") || first == UInt8(ascii: "n") || first == UInt8(ascii: "N")
            || first == UInt8(ascii: "t") || first == UInt8(ascii: "T") || first == UInt8(ascii: "f")
            || first == UInt8(ascii: "F") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            || first == UInt8(ascii: ".") || isDigit(first))
        {
            return .string
        }
        if count <= 5, let special = resolveWord(bytes) { return special }
        if let integer = resolveInteger(bytes) { return integer }
        if !digitsButNotNumber(bytes), isFiniteFloatSyntax(bytes) {
            let text = String(decoding: bytes, as: UTF8.self)
            if let value = Double(text), value.isFinite { return .float(value) }
        }
        return .string
    }

    /// The null, boolean and non-finite spellings, compared as bytes.
    static func resolveWord(_ bytes: UnsafeBufferPointer<UInt8>) -> Resolution? {
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == bytes.count else { return false }
            let text = word.utf8Start
            for index in 0..<bytes.count where bytes[index] != text[index] { return false }
            return true
        }
        switch bytes.count {
        case 1: return bytes[0] == UInt8(ascii: "~") ? .null : nil
        case 4:
            if matches("null") || matches("Null") || matches("NULL") { return .null }
            if matches("true") || matches("True") || matches("TRUE") { return .bool(true) }
            if matches(".inf") || matches(".Inf") || matches(".INF") || matches(".nan") || matches(".NaN")
                || matches(".NAN")
            {
                return .nonFinite
            }
        case 5:
            if matches("false") || matches("False") || matches("FALSE") { return .bool(false) }
            if matches("+.inf") || matches("+.Inf") || matches("+.INF") || matches("-.inf") || matches("-.Inf")
                || matches("-.INF")
            {
                return .nonFinite
            }
        default: break
        }
        return nil
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A leading zero followed only by digits (`017`, `-007`): a string in YAML 1.2.
    static func digitsButNotNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") { start = 1 }
        guard bytes.count - start > 1, bytes[start] == UInt8(ascii: "0") else { return false }
        return bytes[(start + 1)...].allSatisfy(isDigit)
    }

    static func digitValue(_ byte: UInt8, radix: UInt64) -> UInt64? {
        let value: UInt64
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): value = UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = UInt64(byte - UInt8(ascii: "A") + 10)
        default: return nil
        }
        return value < radix ? value : nil
    }

    /// Parses digits in `radix`; `nil` if any byte is not a digit, `.some(nil)` on overflow past `UInt64.max`.
    static func magnitude(_ digits: Slice<UnsafeBufferPointer<UInt8>>, radix: UInt64) -> UInt64?? {
        guard !digits.isEmpty else { return nil }
        var value: UInt64 = 0
        var overflow = false
        for byte in digits {
            guard let digit = digitValue(byte, radix: radix) else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: radix)
            let (sum, o2) = times.addingReportingOverflow(digit)
            if o1 || o2 { overflow = true }
            value = sum
        }
        return .some(overflow ? nil : value)
    }

    static func resolveInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Resolution? {
        var start = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "+") {
            start = 1
        } else if bytes[0] == UInt8(ascii: "-") {
            start = 1
            negative = true
        }
        guard start < bytes.count else { return nil }
        var radix: UInt64 = 10
        if bytes.count - start > 2 && bytes[start] == UInt8(ascii: "0") {
            switch bytes[start + 1] {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: break
            }
        }
        let digits: Slice<UnsafeBufferPointer<UInt8>>
        if radix == 10 {
            if digitsButNotNumber(bytes) { return nil }
            digits = bytes[start...]
        } else {
            digits = bytes[(start + 2)...]
        }
        guard let parsed = magnitude(digits, radix: radix) else { return nil }
        guard let value = parsed else { return .integerOutOfRange }
        if !negative {
            return value <= UInt64(Int64.max) ? .integer(Int64(value)) : .unsignedInteger(value)
        }
        if value <= UInt64(Int64.max) { return .integer(-Int64(value)) }
        if value == UInt64(Int64.max) + 1 { return .integer(.min) }
        return .integerOutOfRange
    }

    /// `[+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?`, the finite forms Rust's `f64::from_str` accepts.
    static func isFiniteFloatSyntax(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        let count = bytes.count
        if bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-") { index = 1 }
        var mantissaDigits = 0
        while index < count && isDigit(bytes[index]) {
            index += 1
            mantissaDigits += 1
        }
        if index < count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count && isDigit(bytes[index]) {
                index += 1
                mantissaDigits += 1
            }
        }
        guard mantissaDigits > 0 else { return false }
        if index < count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if index < count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            var exponentDigits = 0
            while index < count && isDigit(bytes[index]) {
                index += 1
                exponentDigits += 1
            }
            guard exponentDigits > 0 else { return false }
        }
        return index == count
    }
}
