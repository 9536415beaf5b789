import OptionsSchema

/// The stamps a render writes next to the values — `generated_at` and the ConfigMap annotations `commit_sha` and
/// `commit_timestamp` — checked before they are written. sentry-options writes whatever text it is given; a
/// deploy pipeline is better served by an error naming the flag than by a cluster annotated with `tuesday`.
public enum Stamps {
    /// Why `text` cannot be `generated_at` (it must be an RFC 3339 date-time, as the clients parse it), or `nil`.
    public static func problem(withGeneratedAt text: String) -> String? {
        RFC3339.seconds(text) == nil
            ? "must be an RFC 3339 date-time such as 2026-01-14T00:00:00Z, got '\(printable(text))'" : nil
    }

    /// Why `text` cannot be `commit_sha` (it must be a git object id: 7 to 64 hexadecimal digits), or `nil`.
    public static func problem(withCommitSHA text: String) -> String? {
        return text.utf8.allSatisfy(\.isHexDigit) && (7...64).contains(text.utf8.count)
            ? nil : "must be a git commit id of 7 to 64 hexadecimal digits, got '\(printable(text))'"
    }

    /// Why `text` cannot be `commit_timestamp` (Unix seconds or an RFC 3339 date-time), or `nil`.
    public static func problem(withCommitTimestamp text: String) -> String? {
        if unixSeconds(text) != nil || RFC3339.seconds(text) != nil { return nil }
        return "must be Unix seconds (such as 1768348800) or an RFC 3339 date-time, got '\(printable(text))'"
    }

    /// `generated_at` from `SOURCE_DATE_EPOCH` (whole seconds since 1970), or `nil` when it is not that.
    public static func generatedAt(sourceDateEpoch text: String) -> String? {
        unixSeconds(text).map { Timestamp(seconds: $0).description }
    }

    /// Whole seconds since 1970: one to 19 decimal digits within `Int64`.
    static func unixSeconds(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int64(text)
    }

    /// `text` with control characters escaped, cut to 80 characters, for an error message.
    static func printable(_ text: String) -> String {
        let shown = Selection.printable(String(text.prefix(80)))
        return text.count > 80 ? shown + "…" : shown
    }
}
