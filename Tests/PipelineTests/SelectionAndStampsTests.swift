import OptionsSchema
import Testing

@testable import Pipeline

@Suite("Selection: unknown namespaces and targets, worded with a suggestion or the list")
struct SelectionTests {
    static let tree: [String: Set<String>] = [
        "ledger": ["default", "us", "de"], "seer": ["default", "us", "s4s"], "empty": [],
    ]

    @Test(
        "each unknown name gets one message",
        arguments: [
            (Selection(targets: ["us", "de"]), [String]()),
            (Selection(targets: ["default"]), []),
            (Selection(targets: ["eu"]), ["Target 'eu' not found in any namespace (targets: de, s4s, us)"]),
            (Selection(targets: ["US"]), ["Target 'US' not found in any namespace; did you mean 'us'?"]),
            (Selection(targets: ["defualt"]), ["Target 'defualt' not found in any namespace; did you mean 'default'?"]),
            (Selection(namespaces: ["legder"]), ["Namespace 'legder' not found in values; did you mean 'ledger'?"]),
            (
                Selection(namespaces: ["billing"]),
                ["Namespace 'billing' not found in values (namespaces: empty, ledger, seer)"]
            ),
            (
                Selection(namespaces: ["seer", "ledger"], targets: ["de"]),
                ["Target 'de' not found in namespace 'seer' (targets: default, s4s, us)"]
            ),
            (
                Selection(namespaces: ["x", "x"], targets: ["eu", "eu"]),
                [
                    "Namespace 'x' not found in values (namespaces: empty, ledger, seer)",
                    "Target 'eu' not found in any namespace (targets: de, s4s, us)",
                ]
            ),
            (
                Selection(namespaces: ["empty"], targets: ["us"]),
                ["Target 'us' not found in namespace 'empty' (there are no targets)"]
            ),
            (
                Selection(targets: ["\u{1B}[31mred"]),
                ["Target '\\u{1b}[31mred' not found in any namespace (targets: de, s4s, us)"]
            ),
        ])
    func problems(_ selection: Selection, _ expected: [String]) {
        #expect(selection.problems(in: Self.tree) == expected)
    }

    @Test("without requiresEveryTarget a target only some namespaces have is fine (diff filters)")
    func anyNamespace() {
        #expect(
            Selection(namespaces: ["seer"], targets: ["de"]).problems(in: Self.tree, requiresEveryTarget: false) == [])
    }

    @Test("long candidate lists are cut at 20 with the count of the rest")
    func longList() {
        let many = Dictionary(uniqueKeysWithValues: (10..<45).map { ("ns\($0)", Set<String>()) })
        let message = Selection(namespaces: ["zzzzzzzz"]).problems(in: many)[0]
        #expect(message.hasSuffix("ns28, ns29, and 15 more)"))
    }
}

@Suite("Stamps: generated_at, commit_sha and commit_timestamp are checked")
struct StampsTests {
    @Test(
        "generated_at is an RFC 3339 date-time",
        arguments: [
            ("2026-01-14T00:00:00Z", true), ("2026-01-14T00:00:00+00:00", true),
            ("2026-01-14T00:00:00.123456789Z", true),
            ("2024-02-29T23:59:60-05:30", true), ("2026-01-14", false), ("2026-02-29T00:00:00Z", false),
            ("2026-01-14T00:00:00", false), ("2026-13-01T00:00:00Z", false), ("tuesday", false), ("", false),
            ("2026-01-14T00:00:00Z\n", false),
        ])
    func generatedAt(_ text: String, _ valid: Bool) {
        #expect((Stamps.problem(withGeneratedAt: text) == nil) == valid)
    }

    @Test(
        "commit_sha is 7 to 64 hexadecimal digits",
        arguments: [
            ("abc1234", true), ("0975c393ca55d59801664218febbe3f507c2d21f", true), ("ABCDEF0", true),
            (String(repeating: "a", count: 64), true), (String(repeating: "a", count: 65), false), ("abc123", false),
            ("not-a-sha", false), ("abc1234\n", false), ("", false),
        ])
    func commitSHA(_ text: String, _ valid: Bool) {
        #expect((Stamps.problem(withCommitSHA: text) == nil) == valid)
    }

    @Test(
        "commit_timestamp is Unix seconds or RFC 3339",
        arguments: [
            ("1768348800", true), ("0", true), ("2026-01-14T00:00:00+02:00", true), ("-5", false), ("+5", false),
            ("1.5", false), ("tuesday", false), ("", false), ("99999999999999999999", false),
        ])
    func commitTimestamp(_ text: String, _ valid: Bool) {
        #expect((Stamps.problem(withCommitTimestamp: text) == nil) == valid)
    }

    @Test("SOURCE_DATE_EPOCH gives generated_at; anything else is refused")
    func sourceDateEpoch() {
        #expect(Stamps.generatedAt(sourceDateEpoch: "1768348800") == "2026-01-14T00:00:00+00:00")
        #expect(Stamps.generatedAt(sourceDateEpoch: " 1") == nil)
        #expect(Stamps.generatedAt(sourceDateEpoch: "") == nil)
    }

    @Test("messages show control characters escaped and long values cut")
    func printable() {
        let message = Stamps.problem(withCommitSHA: "\u{1B}]0;x\u{7}" + String(repeating: "z", count: 100)) ?? ""
        #expect(message.contains("\\u{1b}]0;x\\u{7}"))
        #expect(message.hasSuffix("…'"))
    }

    @Test("RFC3339 reads seconds and offsets")
    func seconds() {
        #expect(RFC3339.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.seconds("1970-01-01T01:00:00+01:00") == 0)
        #expect(RFC3339.seconds("2026-01-14T00:00:00.5Z") == 1_768_348_800.5)
        #expect(RFC3339.seconds("2000-02-29T00:00:00Z") != nil)
        #expect(RFC3339.seconds("1900-02-29T00:00:00Z") == nil)
    }
}

@Suite("RenderedComparison: up to date but for the stamps")
struct RenderedComparisonTests {
    func payload(_ stamp: String, _ options: String) -> [UInt8] {
        Array(#"{"generated_at":"\#(stamp)","options":{\#(options)}}"#.utf8)
    }

    func configMap(_ stamp: String, _ options: String, sha: String = "abc1234") throws -> [UInt8] {
        try ConfigMapRenderer.render(
            name: "sentry-options-x", payload: payload(stamp, options), generatedAt: stamp, commitSHA: sha,
            commitTimestamp: "1")
    }

    @Test("payloads that differ only in generated_at are the same; any other byte counts")
    func payloads() {
        let a = payload("2026-01-14T00:00:00Z", #""a":1,"b":"x""#)
        #expect(
            RenderedComparison.isSameIgnoringStamps(a, payload("2027-05-01T10:00:00.123+00:00", #""a":1,"b":"x""#))
        )
        #expect(!RenderedComparison.isSameIgnoringStamps(a, payload("2026-01-14T00:00:00Z", #""a":2,"b":"x""#)))
        #expect(!RenderedComparison.isSameIgnoringStamps(a, a + [UInt8(ascii: "\n")]))
        #expect(RenderedComparison.differingKeys(a, payload("x", #""a":2,"c":true"#)) == ["a", "b", "c"])
    }

    @Test("an option named generated_at is still compared")
    func optionNamedGeneratedAt() {
        let a = payload("2026-01-14T00:00:00Z", #""generated_at":"old""#)
        let b = payload("2026-01-14T00:00:00Z", #""generated_at":"new""#)
        #expect(!RenderedComparison.isSameIgnoringStamps(a, b))
        #expect(RenderedComparison.differingKeys(a, b) == ["generated_at"])
    }

    @Test("ConfigMaps: generated_at and the commit annotations masked, everything else compared")
    func configMaps() throws {
        let a = try configMap("2026-01-14T00:00:00Z", #""a":1"#)
        #expect(RenderedComparison.isSameIgnoringStamps(a, try configMap("2030-01-01T00:00:00+00:00", #""a":1"#)))
        #expect(
            RenderedComparison.isSameIgnoringStamps(a, try configMap("2026-01-14T00:00:00Z", #""a":1"#, sha: "abc1235"))
        )
        let unannotated = try ConfigMapRenderer.render(
            name: "sentry-options-x", payload: payload("2026-01-14T00:00:00Z", #""a":1"#),
            generatedAt: "2026-01-14T00:00:00Z", commitSHA: nil, commitTimestamp: nil)
        #expect(RenderedComparison.isSameIgnoringStamps(a, unannotated), "annotations present in one only")
        let renamed = try ConfigMapRenderer.render(
            name: "sentry-options-y", payload: payload("2026-01-14T00:00:00Z", #""a":1"#),
            generatedAt: "2026-01-14T00:00:00Z", commitSHA: "abc1234", commitTimestamp: "1")
        #expect(!RenderedComparison.isSameIgnoringStamps(a, renamed))
        #expect(RenderedComparison.differingKeys(a, renamed) == [])
        let changed = try configMap("2026-01-14T00:00:00Z", #""a":2"#)
        #expect(!RenderedComparison.isSameIgnoringStamps(a, changed))
        #expect(RenderedComparison.differingKeys(a, changed) == ["a"])
        #expect(RenderedComparison.differingKeys(a, Array("not yaml: [".utf8)) == nil)
    }
}

@Suite("Suggestion: a banded distance, the same verdicts as the full one")
struct SuggestionTests {
    /// The plain optimal string alignment distance, every cell computed.
    func fullDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        if a.isEmpty || b.isEmpty { return table[a.count][b.count] }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }

    @Test("random words over a small alphabet: within the limit the distances agree, beyond it both say so")
    func agreesWithFullDistance() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Unicode.Scalar] = ["a", "b", "c"]
        for _ in 0..<3000 {
            let a = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)!
            }
            let b = (0..<Int.random(in: 0...9, using: &generator)).map { _ in alphabet.randomElement(using: &generator)!
            }
            for limit in 1...3 {
                let full = fullDistance(a, b)
                let banded = Suggestion.distance(a, b, limit: limit)
                if full <= limit {
                    #expect(banded == full, "\(a) \(b) limit \(limit)")
                } else {
                    #expect(banded > limit, "\(a) \(b) limit \(limit)")
                }
            }
        }
    }

    @Test("words over the maximum length get no suggestion")
    func longWords() {
        let long = String(repeating: "x", count: Suggestion.maximumLength + 1)
        #expect(Suggestion.closest(to: long, in: [long]) == nil)
        #expect(Suggestion.closest(to: "autofix.rate_limt", in: ["autofix.rate_limit"]) == "autofix.rate_limit")
    }
}
