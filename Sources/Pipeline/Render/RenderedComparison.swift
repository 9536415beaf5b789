import OptionsSchema

/// Compares a rendered file with what a directory holds, for `write --check`: the stamps (`generated_at` and the
/// commit annotations) change between two renders of the same values, so they are left out; everything else
/// counts byte for byte.
///
/// ```swift
/// RenderedComparison.isSameIgnoringStamps(committed, rendered)   // up to date?
/// RenderedComparison.differingKeys(committed, rendered)              // ["autofix.rate_limit"]
/// ```
public enum RenderedComparison {
    /// Whether `a` and `b` are equal once their stamps are masked: the payload's leading `{"generated_at":"…"`
    /// of a JSON payload; a ConfigMap's `generated_at` annotation and the stamp at the start of its `values.json`;
    /// and a ConfigMap's `commit_sha` and `commit_timestamp` annotations, which name the commit a render was made
    /// from and so can never match in a directory committed together with its inputs. Only these anchored places
    /// are masked, so an option that happens to be named `generated_at` is still compared.
    public static func isSameIgnoringStamps(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        masked(a) == masked(b)
    }

    /// The option keys whose values differ between two renders of one payload (a JSON payload or a ConfigMap
    /// holding one), sorted by bytes; `nil` when either is not such a render.
    public static func differingKeys(_ a: [UInt8], _ b: [UInt8]) -> [String]? {
        guard let old = options(in: a), let new = options(in: b) else { return nil }
        var keys: [String] = []
        for (key, value) in new where old[key] != value { keys.append(key) }
        for key in old.keys where new[key] == nil { keys.append(key) }
        return keys.sorted(by: JSONWriter.utf8Precedes)
    }

    /// The payload's options, key → compact JSON of the value; `nil` when `bytes` is neither a payload nor a
    /// ConfigMap whose `data.values.json` is one.
    static func options(in bytes: [UInt8]) -> [String: String]? {
        var payload = bytes
        if bytes.first != UInt8(ascii: "{") {
            let document = YAMLLoader.load(bytes)
            guard let text = document.root?["data"]?["values.json"]?.stringValue else { return nil }
            payload = Array(text.utf8)
        }
        guard let root = try? JSONReader.parse(payload), let members = root["options"]?.members else { return nil }
        var options: [String: String] = [:]
        for member in members { options[member.key] = JSONWriter.compact(member.value) }
        return options
    }

    /// A stamp: the bytes before its value, the byte that ends it, whether it must start the file, and whether
    /// the anchor itself goes too (an annotation one render has and another lacks).
    struct Anchor {
        var prefix: [UInt8]
        var terminator: UInt8
        var atStart = false
        var removesPrefix = false
    }

    static let anchors: [Anchor] = [
        Anchor(prefix: Array(#"{"generated_at":""#.utf8), terminator: UInt8(ascii: "\""), atStart: true),
        Anchor(prefix: Array("\n    commit_sha: ".utf8), terminator: UInt8(ascii: "\n"), removesPrefix: true),
        Anchor(prefix: Array("\n    commit_timestamp: ".utf8), terminator: UInt8(ascii: "\n"), removesPrefix: true),
        Anchor(prefix: Array("\n    generated_at: ".utf8), terminator: UInt8(ascii: "\n")),
        Anchor(prefix: Array(#"\#n  values.json: '{"generated_at":""#.utf8), terminator: UInt8(ascii: "\"")),
        Anchor(prefix: Array(#"\#n  values.json: "{\"generated_at\":\""#.utf8), terminator: UInt8(ascii: "\\")),
    ]

    /// `bytes` with the value at each anchor (at most once each) removed.
    static func masked(_ bytes: [UInt8]) -> [UInt8] {
        var ranges: [Range<Int>] = []
        for anchor in anchors {
            let start: Int?
            if anchor.atStart {
                start = bytes.starts(with: anchor.prefix) ? anchor.prefix.count : nil
            } else {
                start = firstEnd(of: anchor.prefix, in: bytes)
            }
            guard let start else { continue }
            var end = start
            while end < bytes.count && bytes[end] != anchor.terminator { end += 1 }
            if anchor.removesPrefix {
                // The whole line goes, with its newline; the prefix's leading newline ends the line before.
                ranges.append((start - anchor.prefix.count + 1)..<min(end + 1, bytes.count))
            } else {
                ranges.append(start..<end)
            }
        }
        guard !ranges.isEmpty else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where range.lowerBound >= index {
            result += bytes[index..<range.lowerBound]
            index = range.upperBound
        }
        result += bytes[index...]
        return result
    }

    /// The index just past the first occurrence of `pattern` in `bytes`.
    static func firstEnd(of pattern: [UInt8], in bytes: [UInt8]) -> Int? {
        guard !pattern.isEmpty, bytes.count >= pattern.count else { return nil }
        var index = 0
        while index + pattern.count <= bytes.count {
            if bytes[index] == pattern[0] && bytes[index..<index + pattern.count].elementsEqual(pattern) {
                return index + pattern.count
            }
            index += 1
        }
        return nil
    }
}
