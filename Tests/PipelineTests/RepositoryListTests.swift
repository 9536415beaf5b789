import OptionsSchema
import Testing

@testable import Pipeline

@Suite("repos.json and the URLs fetch-schemas takes")
struct RepositoryListTests {
    @Test("a valid list: entries sorted by name, paths normalised, the pin kept")
    func valid() {
        let text =
            #"{"repos": {"sentry": {"url": "https://github.com/getsentry/sentry", "sha": "ABCDEF0123456789abcdef0123456789abcdef01", "path": "./schemas/"}, "getsentry": {"url": "git@github.com:getsentry/getsentry", "path": "sentry-options/schemas"}}}"#
        let parsed = RepositoryList.parse(Array(text.utf8), file: "repos.json")
        #expect(parsed.problems.isEmpty)
        #expect(parsed.list?.entries.map(\.name) == ["getsentry", "sentry"])
        #expect(parsed.list?.entries[1].path == "schemas")
        #expect(parsed.list?.entries[1].sha == "abcdef0123456789abcdef0123456789abcdef01")
        #expect(parsed.list?.entries[0].sha == nil)
    }

    @Test("every problem, each at its line and column")
    func problems() {
        let text =
            "{\"repos\": {\n  \"a\": {\"url\": 1, \"path\": \"p\", \"extra\": true},\n  \"b\": {\"path\": \"p\"}\n}}"
        let parsed = RepositoryList.parse(Array(text.utf8), file: "repos.json")
        #expect(parsed.list == nil)
        #expect(
            parsed.problems.map { "\($0.position?.line ?? 0):\($0.position?.column ?? 0) \($0.message)" } == [
                "2:16 JSON error: invalid type: integer, expected a string (field `url`)",
                "2:32 JSON error: unknown field `extra`, expected one of `url`, `path`, `sha`",
                "3:8 JSON error: missing field `url` in repository 'b'",
            ])
    }

    @Test(
        "remote and local URLs",
        arguments: [
            ("https://github.com/getsentry/seer", false), ("http://127.0.0.1:8080/x.git", false),
            ("ssh://git@github.com/getsentry/seer", false), ("git@github.com:getsentry/seer", false),
            ("git://example.com/x", false), ("file:///srv/x", true), ("/srv/x", true), ("../x", true), ("x", true),
            ("./a:b", true), ("FILE:///x", true),
        ])
    func local(url: String, isLocal: Bool) {
        #expect(SchemaFetcher.isLocal(url) == isLocal)
    }
}
