/// "Did you mean" suggestions by edit distance.
public enum Suggestion {
    /// The longest word (in code points) a suggestion is looked for: longer keys are no typos of option names,
    /// and a hostile file's megabyte key must not cost a megabyte squared.
    public static let maximumLength = 256

    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    ///
    /// Distance is optimal string alignment (a swap of two neighbours counts once); a candidate that differs
    /// only in case always qualifies. Allowed distance: 1 for words up to 4 characters, 2 up to 12, 3 beyond.
    /// Words and candidates over `maximumLength` get no suggestion; the work is linear in the lengths (only a band
    /// of the allowed distance is computed).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        guard word.unicodeScalars.count <= maximumLength else { return nil }
        let target = Array(word.lowercased().unicodeScalars)
        let limit = target.count <= 4 ? 1 : target.count <= 12 ? 2 : 3
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate.unicodeScalars.count <= maximumLength + limit {
            let other = Array(candidate.lowercased().unicodeScalars)
            if abs(other.count - target.count) > limit { continue }
            let distance = Self.distance(target, other, limit: best.map { min($0.distance, limit) } ?? limit)
            if distance <= limit, distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }

    /// The characters outside ASCII that `word` holds and `suggestion` lacks, named by code point and Unicode name
    /// (`U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I`, `U+200B ZERO WIDTH SPACE`): a look-alike or an
    /// invisible character is why a key that reads like its option is unknown. At most three, in order.
    public static func unusualCharacters(in word: String, comparedWith suggestion: String) -> [String] {
        let known = Set(suggestion.unicodeScalars)
        var seen = Set<Unicode.Scalar>()
        var names: [String] = []
        for scalar in word.unicodeScalars where !scalar.isASCII && !known.contains(scalar) {
            guard seen.insert(scalar).inserted else { continue }
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            names.append("U+\(padded)" + (scalar.properties.name.map { " \($0)" } ?? ""))
            if names.count == 3 { break }
        }
        return names
    }

    /// Optimal string alignment distance; returns a value above `limit` as soon as it is certain to exceed it.
    /// Only cells within `limit` of the diagonal are computed (others cannot be within the limit).
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        if abs(a.count - b.count) > limit { return limit + 1 }
        let outside = limit + 1
        var previousPrevious = [Int](repeating: outside, count: b.count + 1)
        var previous = (0...b.count).map { min($0, outside) }
        var current = [Int](repeating: outside, count: b.count + 1)
        for i in 1...a.count {
            current[0] = min(i, outside)
            var rowMinimum = current[0]
            let low = max(1, i - limit)
            let high = min(b.count, i + limit)
            if low > 1 { current[low - 1] = outside }
            if high < b.count { current[high + 1] = outside }
            for j in low...high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
