import Foundation
import Testing

@Suite("optionsctl describe, list and shell completion")
struct DescribeListTests {
    /// The table row of `key`, split at runs of spaces.
    func row(_ key: String, in text: String) -> [String]? {
        text.split(separator: "\n").first { $0.hasPrefix(key + " ") }.map {
            $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        }
    }

    @Test("describe: type, schema default and the value in every target, side by side, then descriptions")
    func describeTable() throws {
        let result = try run(["describe", "seer"], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "seer (working tree): 12 options in 4 targets")
        #expect(
            row("OPTION", in: result.stdout) == ["OPTION", "TYPE", "SCHEMA", "DEFAULT", "default", "de", "s4s", "us"])
        #expect(
            row("autofix.rate_limit", in: result.stdout) == [
                "autofix.rate_limit", "integer", "50", "50*", "100*", "1000*", "200*",
            ])
        #expect(
            row("autofix.max_concurrent_runs", in: result.stdout) == [
                "autofix.max_concurrent_runs", "integer", "4", "(4)", "(4)", "(4)", "(4)",
            ])
        #expect(row("autofix.enabled_orgs", in: result.stdout)?[1] == "array<integer>")
        #expect(
            row("feature.organizations:autofix-on-issue-create", in: result.stdout) == [
                "feature.organizations:autofix-on-issue-create", "feature", "flag", "-", "on,", "2", "segments*", "on,",
                "2", "segments",
                "on,", "1", "segment*", "on,", "2", "segments",
            ])
        #expect(lines.contains("autofix.rate_limit  Maximum number of Autofix runs per organization per hour."))
    }

    @Test("describe OPTION…: only those options, in that order; JSON gives every value's source")
    func describeOptions() throws {
        let result = try run(["describe", "seer", "autofix.rate_limit", "autofix.enabled"], in: repositoryRoot)
        #expect(result.status == 0)
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("autofix.") && $0.contains("*") }
        #expect(rows.map { $0.split(separator: " ")[0] } == ["autofix.rate_limit", "autofix.enabled"])
        let json = try run(["describe", "seer", "autofix.rate_limit", "--format", "json"], in: repositoryRoot)
        let document = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(document["targets"] as? [String] == ["default", "de", "s4s", "us"])
        let option = (document["options"] as! [[String: Any]])[0]
        #expect(option["type"] as? String == "integer")
        #expect(option["default"] as? Int == 50)
        let us = (option["values"] as! [String: [String: Any]])["us"]!
        #expect(us["value"] as? Int == 200)
        #expect(us["source"] as? String == "target")
        #expect(us["file"] as? String == "option-values/seer/us/values.yaml")
        #expect(us["line"] as? Int == 3)
    }

    @Test("describe: an unknown option or namespace is exit 1 with a suggestion; undeclared keys are shown as such")
    func describeErrors() throws {
        let typo = try run(["describe", "seer", "autofix.rate_lmit"], in: repositoryRoot)
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains(
                "Option 'autofix.rate_lmit' not found in namespace 'seer'; did you mean 'autofix.rate_limit'?"))
        let namespace = try run(["describe", "sear"], in: repositoryRoot)
        #expect(namespace.status == 1)
        #expect(namespace.stderr.contains("did you mean 'seer'?"))
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: 200\n  autofix.unplanned: 7")
        defer { try? FileManager.default.removeItem(at: root) }
        let undeclared = try run(["describe", "seer"], in: root)
        #expect(undeclared.status == 0, "\(undeclared.stderr)")
        #expect(
            row("autofix.unplanned", in: undeclared.stdout) == ["autofix.unplanned", "-", "-", "-", "-", "-", "7*"])
        #expect(undeclared.stdout.contains("autofix.unplanned  not in the schema: passed through unchecked"))
    }

    @Test("list: namespaces, targets and option keys, as text or JSON")
    func list() throws {
        #expect(try run(["list"], in: repositoryRoot).stdout == "relay\nseer\nsnuba\n")
        #expect(try run(["list", "targets"], in: repositoryRoot).stdout == "default\nde\ns4s\nus\n")
        #expect(
            try run(["list", "targets", "--namespace", "snuba"], in: repositoryRoot).stdout == "default\ns4s\nus\n")
        let keys = try run(["list", "options", "--namespace", "seer"], in: repositoryRoot).stdout.split(separator: "\n")
        #expect(keys.count == 12)
        #expect(keys.contains("autofix.rate_limit"))
        let json = try run(["list", "options", "--format", "json"], in: repositoryRoot)
        let all = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String]
        #expect(all.contains("seer:autofix.rate_limit"))
        #expect(all.contains("relay:feature.projects:span-metrics-extraction"))
        let unknown = try run(["list", "targets", "--namespace", "snubba"], in: repositoryRoot)
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("did you mean 'snuba'?"))
    }

    @Test("shell completion offers namespaces, then the namespace's option keys, from the tree")
    func completion() throws {
        let script = try run(["--generate-completion-script", "bash"], in: repositoryRoot)
        #expect(script.status == 0)
        #expect(script.stdout.contains("---completion describe -- positional@0"))
        let namespaces = try run(
            ["---completion", "describe", "--", "positional@0", "2", "0", "optionsctl", "describe", ""],
            in: repositoryRoot)
        #expect(namespaces.stdout.split(separator: "\n") == ["relay", "seer", "snuba"])
        let keys = try run(
            ["---completion", "describe", "--", "positional@1", "3", "0", "optionsctl", "describe", "seer", ""],
            in: repositoryRoot)
        #expect(keys.stdout.split(separator: "\n").contains("autofix.rate_limit"))
        #expect(!keys.stdout.contains("http.timeout_seconds"))
        let flags = try run(
            ["---completion", "flag", "--", "positional@1", "3", "0", "optionsctl", "flag", "seer", ""],
            in: repositoryRoot)
        #expect(flags.stdout == "organizations:autofix-on-issue-create\n")
        let targets = try run(
            ["---completion", "write", "--", "--target", "3", "0", "optionsctl", "write", "--target", ""],
            in: repositoryRoot)
        #expect(targets.stdout == "default\nde\ns4s\nus\n")
    }
}
