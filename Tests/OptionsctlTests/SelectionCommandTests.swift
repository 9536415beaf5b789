import Foundation
import Testing

@Suite("A typo in --target or --namespace is an error with a suggestion, in show, flag and diff")
struct SelectionCommandTests {
    @Test(
        "show and flag exit 1 naming the unknown name",
        arguments: [
            (["show", "seer", "--target", "US"], "Target 'US' not found in any namespace; did you mean 'us'?"),
            (["show", "seer", "--target", "eu"], "Target 'eu' not found in any namespace (targets: de, s4s, us)"),
            (
                ["show", "snuba", "--target", "de"],
                "Target 'de' not found in namespace 'snuba' (targets: default, s4s, us)"
            ),
            (
                ["show", "sear", "--target", "us"],
                "Namespace 'sear' not found in schemas or values; did you mean 'seer'?"
            ),
            (
                ["flag", "relay", "projects:span-metrics-extraction", "--target", "su"],
                "Target 'su' not found in any namespace; did you mean 'us'?"
            ),
            (
                ["flag", "relay", "span-metrics-extraction", "--target", "us"],
                "Unknown feature flag 'span-metrics-extraction' in namespace 'relay'; did you mean "
                    + "'projects:span-metrics-extraction'?"
            ),
        ])
    func showAndFlag(_ command: [String], _ message: String) throws {
        let result = try run(command, in: repositoryRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("optionsctl: error: \(message)\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("show --target default needs no directory of its own")
    func defaultTarget() throws {
        let result = try run(["show", "seer", "--target", "default"], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
    }

    @Test("diff filters that match nothing on either side exit 2 (diff's exit 1 means a bad change)")
    func diffFilters() throws {
        let root = try committedExampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 250",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        try runGit(["commit", "-q", "-am", "two"], in: root)
        let namespace = try run(["diff", "HEAD~1", "HEAD", "--namespace", "sear"], in: root)
        #expect(namespace.status == 2)
        #expect(namespace.stderr.contains("Namespace 'sear' not found in either revision; did you mean 'seer'?"))
        let target = try run(["diff", "HEAD~1", "HEAD", "--target", "eu"], in: root)
        #expect(target.status == 2)
        #expect(target.stderr.contains("Target 'eu' not found in any namespace (targets: de, s4s, us)"))
        #expect(target.stdout.isEmpty, "no 'no effective change' verdict")
        let good = try run(["diff", "HEAD~1", "HEAD", "--target", "us", "--namespace", "seer"], in: root)
        #expect(good.status == 0)
        #expect(good.stdout.contains("autofix.rate_limit"))
    }
}

@Suite("--color on every command")
struct ColorTests {
    static let escape = "\u{1B}["

    @Test(
        "always colours even into a pipe; never and auto (a pipe) do not",
        arguments: [
            ["show", "seer", "--target", "us"], ["lint"], ["write", "--target", "us"],
            ["flag", "seer", "organizations:autofix-on-issue-create", "--target", "us"],
        ])
    func choices(_ command: [String]) throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: fast")
        defer { try? FileManager.default.removeItem(at: root) }
        let always = try run(command + ["--color", "always"], in: root)
        #expect(always.status == 1)
        #expect((always.stdout + always.stderr).contains("\u{1B}[1;31merror:\u{1B}[0m"), "\(command)")
        for choice in [["--color", "never"], ["--color", "auto"], []] {
            let plain = try run(command + choice, in: root)
            #expect(!(plain.stdout + plain.stderr).contains(Self.escape), "\(command) \(choice)")
        }
    }

    @Test("diff colours what goes and what comes")
    func diff() throws {
        let root = try committedExampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 250",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let colored = try run(["diff", "--color", "always"], in: root)
        #expect(colored.stdout.contains("autofix.rate_limit: \u{1B}[31m200\u{1B}[0m → \u{1B}[32m250\u{1B}[0m"))
        #expect(!(try run(["diff", "--color", "never"], in: root)).stdout.contains(Self.escape))
        #expect(!(try run(["diff", "--color", "always", "--format", "json"], in: root)).stdout.contains(Self.escape))
    }
}
