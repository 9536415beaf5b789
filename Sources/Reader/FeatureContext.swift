internal import Crypto
import OptionsSchema
import Synchronization

/// The facts a feature flag is evaluated against (organization id, user, plan, ...), and the identity that
/// places the context in a rollout bucket (reference §5.9).
///
/// ```swift
/// var context = FeatureContext(["organization_id": .integer(123)], identityFields: ["organization_id"])
/// context["plan"] = .string("business")
/// context.identityString   // "organization_id:123"
/// context.bucket           // 56
/// ```
///
/// The identity hash is computed on first use and kept until `values` or `identityFields` change, as the
/// reference caches it; copies share it, and reading it from several threads is safe.
public struct FeatureContext: Sendable {
    /// The context data, by property name.
    public var values: [String: JSONValue] {
        didSet { resetIdentity() }
    }

    /// The properties that make up the identity, when present in `values` (otherwise all of `values` does).
    public var identityFields: [String] {
        didSet { resetIdentity() }
    }

    private var identityCache = IdentityCache()

    /// A context with `values`, its identity taken from `identityFields`.
    public init(_ values: [String: JSONValue] = [:], identityFields: [String] = []) {
        self.values = values
        self.identityFields = identityFields
    }

    /// The value of the property `key`, or `nil` when the context has none.
    public subscript(key: String) -> JSONValue? {
        get { values[key] }
        set { values[key] = newValue }
    }

    /// The string that is hashed into `id`, e.g. `baz:barfoo:foo:bar`.
    ///
    /// The keys are the identity fields present in `values`, in the order given (a repeated field repeats), or all
    /// keys of `values` when none is present; sorted by their UTF-8 bytes; each followed by the value's text
    /// (strings bare, `True`/`False`, `None`, floats as Rust prints them, arrays as `[a, 1]`, objects as compact
    /// JSON), all joined by `:`. An empty context gives `""`.
    public var identityString: String {
        var members = identityFields.compactMap { key in values[key].map { (key: key, value: $0) } }
        if members.isEmpty { members = values.map { (key: $0.key, value: $0.value) } }
        members.sort { JSONWriter.utf8Precedes($0.key, $1.key) }
        var text = ""
        text.reserveCapacity(members.count * 32)
        for (index, member) in members.enumerated() {
            if index > 0 { text += ":" }
            text += member.key
            text += ":"
            Self.appendIdentityText(of: member.value, to: &text)
        }
        return text
    }

    /// The identity hash: the SHA-1 digest of `identityString`, read as a 160-bit big-endian unsigned integer,
    /// modulo 1 000 000 000 (so it agrees with the reference clients and with flagpole's Python).
    public var id: UInt64 {
        let cached = identityCache.id.load(ordering: .relaxed)
        if cached != IdentityCache.unset { return cached }
        let computed = Self.hash(identityString)
        identityCache.id.store(computed, ordering: .relaxed)
        return computed
    }

    /// The rollout bucket, `id % 100`: a segment with rollout `r` (0 < r < 100) includes buckets `0...r`.
    public var bucket: Int { Int(id % 100) }

    /// The SHA-1 digest of `text` as a big-endian integer, modulo 10⁹.
    static func hash(_ text: String) -> UInt64 {
        var hasher = Insecure.SHA1()
        var text = text
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var remainder: UInt64 = 0
        for byte in hasher.finalize() { remainder = (remainder * 256 + UInt64(byte)) % 1_000_000_000 }
        return remainder
    }

    private mutating func resetIdentity() {
        if isKnownUniquelyReferenced(&identityCache) {
            identityCache.id.store(IdentityCache.unset, ordering: .relaxed)
        } else {
            identityCache = IdentityCache()
        }
    }

    /// Appends the reference's text of `value` in an identity string (Rust `Display`, Python-compatible).
    static func appendIdentityText(of value: JSONValue, to text: inout String) {
        switch value {
        case .null: text += "None"
        case .bool(let flag): text += flag ? "True" : "False"
        case .integer(let number): text += String(number)
        case .unsignedInteger(let number):
            // Above i64::MAX the reference reads the number as f64.
            text += number <= UInt64(Int64.max) ? String(number) : RustFloat.display(Double(number))
        case .double(let number): text += RustFloat.display(number)
        case .string(let string): text += string
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += ", " }
                appendIdentityText(of: element, to: &text)
            }
            text += "]"
        case .object: text += value.jsonText
        }
    }
}

/// The cached identity hash of a context; `unset` until computed (an id is below 10⁹).
private final class IdentityCache: Sendable {
    static let unset = UInt64.max
    let id = Atomic<UInt64>(unset)
}

/// Rust's `Display` of an `f64` as the reference applies it to identity values: an integral value as `{:.1}`
/// (its exact decimal expansion and `.0`), any other in the shortest form that reads back, never with an exponent.
enum RustFloat {
    /// `1.0`, `-0.0`, `100000000000000000000.0` (1e20), `1.5`, `0.0000001` (1e-7), `inf`, `NaN`.
    static func display(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        let sign = value.sign == .minus ? "-" : ""
        if value.isInfinite { return sign + "inf" }
        let magnitude = value.magnitude
        if magnitude.rounded(.towardZero) == magnitude {
            return sign + integerDigits(magnitude) + ".0"
        }
        return sign + plainDecimal(shortest: magnitude.description)
    }

    /// The exact decimal digits of an integral, finite, non-negative double.
    private static func integerDigits(_ value: Double) -> String {
        if value < 18_446_744_073_709_551_616.0 { return String(UInt64(value)) }
        // value = significand · 2^shift with a 53-bit significand; multiply out in base-10⁹ limbs, least first.
        let shift = Int(value.exponent) - Double.significandBitCount
        let significand = value.significandBitPattern | (1 << UInt64(Double.significandBitCount))
        var limbs: [UInt64] = [significand % 1_000_000_000, significand / 1_000_000_000]  // significand < 2^53 < 10^18
        var remaining = shift
        while remaining > 0 {
            let step = min(remaining, 32)
            remaining -= step
            var carry: UInt64 = 0
            for index in limbs.indices {
                let product = limbs[index] << UInt64(step) + carry
                limbs[index] = product % 1_000_000_000
                carry = product / 1_000_000_000
            }
            while carry > 0 {
                limbs.append(carry % 1_000_000_000)
                carry /= 1_000_000_000
            }
        }
        while limbs.count > 1, limbs.last == 0 { limbs.removeLast() }
        var digits = String(limbs[limbs.count - 1])
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            digits += String(repeating: "0", count: 9 - part.count) + part
        }
        return digits
    }

    /// Swift's shortest round-trip text of a positive double (`1.5`, `1e-07`, `1.2345e-05`), without exponent.
    private static func plainDecimal(shortest text: String) -> String {
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = mantissa[0]
        let fraction = mantissa.count == 2 ? mantissa[1] : ""
        var digits = Array(whole + fraction)
        var point = whole.count + exponent
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > max(point, 1), digits.last == "0" { digits.removeLast() }
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return String(digits) + String(repeating: "0", count: point - digits.count) }
        return String(digits[..<point]) + "." + String(digits[point...])
    }
}
