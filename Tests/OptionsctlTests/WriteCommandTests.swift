import Foundation
import Testing

/// A fresh scratch path (not created).
func scratchPath(_ label: String = "write") -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-\(label)-\(UUID())")
}

/// Every regular file below `directory` (hidden ones included), relative path → bytes.
func regularFiles(in directory: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
        return result
    }
    let base = directory.standardizedFileURL.path
    for case let url as URL in enumerator {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            result[String(url.standardizedFileURL.path.dropFirst(base.count + 1))] = try Data(contentsOf: url)
        }
    }
    return result
}

@Suite("optionsctl write, end to end")
struct WriteCommandTests {
    @Test("writes one payload per namespace that has the target, reproducibly with SOURCE_DATE_EPOCH")
    func writesPayloads() throws {
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        let arguments = [
            "write", "--format", "json", "--target", "de", "--out", out.path, "--root", repositoryRoot.path,
        ]
        let first = try run(arguments, environment: ["SOURCE_DATE_EPOCH": "1768348800"])
        #expect(first.status == 0, "\(first.stderr)")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == ["sentry-options-relay-de.json", "sentry-options-seer-de.json"], "snuba has no de target")
        let seer = try Data(contentsOf: out.appendingPathComponent("sentry-options-seer-de.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: seer) as? [String: Any])
        #expect(object["generated_at"] as? String == "2026-01-14T00:00:00+00:00")
        let options = try #require(object["options"] as? [String: Any])
        #expect(options["autofix.max_concurrent_runs"] == nil, "schema defaults are not written")
        #expect(options["autofix.rate_limit"] != nil)
        let again = try run(arguments, environment: ["SOURCE_DATE_EPOCH": "1768348800"])
        #expect(again.status == 0)
        #expect(try Data(contentsOf: out.appendingPathComponent("sentry-options-seer-de.json")) == seer)
    }

    @Test("--all-targets writes every pair, default included")
    func allTargets() throws {
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "write", "--format", "json", "--all-targets", "--out", out.path, "--root", repositoryRoot.path,
        ])
        #expect(result.status == 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }
        #expect(names.count == 11)
        #expect(names.contains("sentry-options-snuba-default.json"))
    }

    @Test("--format runtime lays out schemas/ and values/ for one target")
    func runtime() throws {
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run([
            "write", "--format", "runtime", "--target", "de", "--out", out.path, "--root", repositoryRoot.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        for namespace in ["seer", "relay"] {
            #expect(
                FileManager.default.fileExists(
                    atPath: out.appendingPathComponent("values/\(namespace)/values.json").path))
            let copied = try Data(contentsOf: out.appendingPathComponent("schemas/\(namespace)/schema.json"))
            #expect(
                copied
                    == (try Data(contentsOf: repositoryRoot.appendingPathComponent("schemas/\(namespace)/schema.json")))
            )
        }
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("values/snuba").path))
        let twoTargets = try run([
            "write", "--format", "runtime", "--target", "de", "--target", "us", "--out", out.path,
        ])
        #expect(twoTargets.status == 2)
    }

    @Test("'write --target us' alone prints the us ConfigMaps as one YAML stream (configmap is the default)")
    func defaultIsConfigMapStream() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["write", "--target", "us"], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        let documents = result.stdout.components(separatedBy: "---\n").filter { !$0.isEmpty }
        #expect(documents.count == 3)
        for namespace in ["relay", "seer", "snuba"] {
            #expect(result.stdout.contains("  name: sentry-options-\(namespace)\n"))
        }
        #expect(result.stdout.contains("kafka-ingest-us-0:9092"), "the us values, merged over default")
        #expect(result.stderr.contains("rendered 3 ConfigMaps"))
        // Not a git repository: the annotations are left out, and stderr says so.
        #expect(!result.stdout.contains("commit_sha"))
        #expect(result.stderr.contains("warning: the ConfigMaps have no commit_sha or commit_timestamp annotation"))
        let json = try run(["write", "--target", "us", "--format", "json"], in: root)
        #expect(json.status == 2)
        #expect(json.stderr.contains("--format json needs --out DIR"))
    }

    @Test("--format configmap: one stream on stdout for one target, files per target with --out")
    func configMaps() throws {
        let stream = try run(
            [
                "write", "--format", "configmap", "--target", "us", "--root", repositoryRoot.path, "--commit-sha",
                "abc1234", "--commit-timestamp", "1705180800", "--generated-at", "2026-01-14T00:00:00Z",
            ])
        #expect(stream.status == 0, "\(stream.stderr)")
        let documents = stream.stdout.components(separatedBy: "---\n").filter { !$0.isEmpty }
        #expect(documents.count == 3)
        #expect(stream.stdout.contains("  name: sentry-options-seer\n"))
        #expect(stream.stdout.contains("    commit_sha: abc1234\n    commit_timestamp: '1705180800'\n"))
        let suffixed = try run(
            [
                "write", "--target", "us", "--namespace", "seer", "--configmap-suffix", "control",
                "--root", repositoryRoot.path,
            ])
        #expect(suffixed.stdout.contains("  name: sentry-options-seer-control\n"))
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        let files = try run(
            ["write", "--target", "us", "--target", "de", "--out", out.path, "--root", repositoryRoot.path])
        #expect(files.status == 0)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("de/sentry-options-seer.yaml").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("us/sentry-options-snuba.yaml").path))
        let twoToStdout = try run(["write", "--target", "us", "--target", "de", "--root", repositoryRoot.path])
        #expect(twoToStdout.status == 2)
        let badSuffix = try run(
            ["write", "--target", "us", "--configmap-suffix", "control_silo", "--root", repositoryRoot.path])
        #expect(badSuffix.status == 1)
        #expect(badSuffix.stderr.contains("Invalid ConfigMap name 'sentry-options-"))
    }

    @Test("warnings go to stderr, so a ConfigMap stream on stdout stays valid YAML")
    func warningsOnStderr() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limt: 200")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["write", "--target", "us"], in: root)
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: Ignoring unknown option 'autofix.rate_limt'"))
        #expect(result.stdout.hasPrefix("---\napiVersion: v1\n"))
        #expect(!result.stdout.contains("warning"))
    }

    @Test("with any error in the tree nothing is written")
    func nothingOnError() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["write", "--target", "us", "--out", "out"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("option-values/seer/us/values.yaml:3:23: error:"))
        #expect(result.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    @Test(
        "a target or namespace the tree lacks is an error with a suggestion or the list, in every format",
        arguments: [
            (["--target", "eu"], "Target 'eu' not found in any namespace (targets: de, s4s, us)"),
            (["--target", "US"], "Target 'US' not found in any namespace; did you mean 'us'?"),
            (["--target", "us", "--namespace", "sear"], "Namespace 'sear' not found in values; did you mean 'seer'?"),
            (
                ["--target", "us", "--namespace", "ledger"],
                "Namespace 'ledger' not found in values (namespaces: relay, seer, snuba)"
            ),
            (
                ["--target", "de", "--namespace", "snuba"],
                "Target 'de' not found in namespace 'snuba' (targets: default, s4s, us)"
            ),
        ])
    func unknownNames(_ selection: [String], _ message: String) throws {
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        for format in [["--format", "configmap"], ["--format", "json", "--out", out.path]] {
            let result = try run(["write"] + selection + format + ["--root", repositoryRoot.path])
            #expect(result.status == 1, "\(format)")
            #expect(result.stderr.contains("optionsctl: error: \(message)\n"), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
        }
    }

    @Test("a missing --target is a usage error; a repeated flag names the same file once")
    func selection() throws {
        let out = scratchPath()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try run(["write", "--out", out.path, "--root", repositoryRoot.path]).status == 2)
        let repeated = try run([
            "write", "--format", "json", "--target", "us", "--target", "us", "--namespace", "seer", "--namespace",
            "seer", "--out", out.path, "--root", repositoryRoot.path,
        ])
        #expect(repeated.status == 0)
        #expect(repeated.stderr.contains("wrote 1 file to"), "a repeated flag names the same file once")
    }

    @Test(
        "stamps are checked: a bad one exits 2 naming the flag and what it expects",
        arguments: [
            (["--generated-at", "not a date at all"], "--generated-at must be an RFC 3339 date-time"),
            (["--generated-at", "2026-02-30T00:00:00Z"], "--generated-at must be an RFC 3339 date-time"),
            (["--commit-sha", "not-a-sha"], "--commit-sha must be a git commit id of 7 to 64 hexadecimal digits"),
            (["--commit-sha", "abc12"], "--commit-sha must be a git commit id"),
            (["--commit-timestamp", "tuesday"], "--commit-timestamp must be Unix seconds"),
            (["--commit-timestamp=-5"], "--commit-timestamp must be Unix seconds"),
        ])
    func badStamps(_ flags: [String], _ message: String) throws {
        let result = try run(["write", "--target", "us", "--root", repositoryRoot.path] + flags)
        #expect(result.status == 2)
        #expect(result.stderr.contains("Error: \(message)"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("good stamps are written as given; SOURCE_DATE_EPOCH must be whole seconds")
    func goodStamps() throws {
        let result = try run([
            "write", "--target", "us", "--namespace", "seer", "--root", repositoryRoot.path, "--commit-sha",
            "0975C393CA55D59801664218FEBBE3F507C2D21F", "--commit-timestamp", "2026-01-14T00:00:00+02:00",
            "--generated-at", "2026-01-14T00:00:00.5Z",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("commit_sha: '0975C393CA55D59801664218FEBBE3F507C2D21F'\n"))
        #expect(result.stdout.contains("commit_timestamp: '2026-01-14T00:00:00+02:00'\n"))
        #expect(result.stdout.contains(#"{"generated_at":"2026-01-14T00:00:00.5Z""#))
        let epoch = try run(
            ["write", "--target", "us", "--root", repositoryRoot.path], environment: ["SOURCE_DATE_EPOCH": "soon"])
        #expect(epoch.status == 2)
        #expect(epoch.stderr.contains("SOURCE_DATE_EPOCH must be whole seconds since 1970"))
        let ignored = try run(
            ["write", "--target", "us", "--root", repositoryRoot.path, "--generated-at", "2026-01-14T00:00:00Z"],
            environment: ["SOURCE_DATE_EPOCH": "soon"])
        #expect(ignored.status == 0, "--generated-at wins over SOURCE_DATE_EPOCH")
    }

    @Test("one run per region into one directory keeps every region; stale files of the run's targets are named")
    func regionsIntoOneDirectory() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        for region in ["us", "de"] {
            let result = try run(["write", "--format", "json", "--target", region, "--out", "out"], in: root)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(!result.stderr.contains("removed"))
        }
        let out = root.appendingPathComponent("out")
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted()
        #expect(
            names == [
                "sentry-options-relay-de.json", "sentry-options-relay-us.json", "sentry-options-seer-de.json",
                "sentry-options-seer-us.json", "sentry-options-snuba-us.json",
            ])
        // relay leaves us: the next us run removes relay's us file, names it, and keeps relay's de file.
        try FileManager.default.removeItem(at: root.appendingPathComponent("option-values/relay/us"))
        let again = try run(["write", "--format", "json", "--target", "us", "--out", "out"], in: root)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("optionsctl: removed stale out/sentry-options-relay-us.json\n"))
        #expect(again.stderr.contains("wrote 2 files to out, removed 1 stale file\n"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sentry-options-relay-de.json").path))
        #expect(
            !FileManager.default.fileExists(atPath: out.appendingPathComponent("sentry-options-relay-us.json").path))
        // --namespace narrows the scope: a seer-only run removes nothing of the others.
        let seer = try run(
            ["write", "--format", "json", "--target", "us", "--namespace", "seer", "--out", "out"], in: root)
        #expect(seer.stderr.contains("wrote 1 file to out\n"), "\(seer.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("sentry-options-snuba-us.json").path))
        // ConfigMap directories per region, one run each.
        for region in ["us", "de", "s4s"] {
            #expect(try run(["write", "--target", region, "--out", "maps"], in: root).status == 0)
        }
        for region in ["us", "de", "s4s"] {
            #expect(
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent("maps/\(region)/sentry-options-seer.yaml").path))
        }
    }

    @Test("--check: exit 0 when up to date (stamps aside), 3 with what would be added, changed or removed")
    func check() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let stamps = ["--commit-sha", "0975c39", "--commit-timestamp", "1768348800"]
        let write = ["write", "--target", "us", "--out", "rendered"] + stamps
        #expect(try run(write + ["--generated-at", "2026-01-14T00:00:00Z"], in: root).status == 0)
        let out = root.appendingPathComponent("rendered")
        let before = try regularFiles(in: out)
        let clean = try run(write + ["--check"], in: root)
        #expect(clean.status == 0, "\(clean.stdout)\(clean.stderr)")
        #expect(clean.stdout.isEmpty)
        #expect(clean.stderr.contains("rendered is up to date (3 files)"))
        // A value changes without re-rendering.
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 250",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let stale = try run(write + ["--check"], in: root)
        #expect(stale.status == 3)
        #expect(stale.stdout == "changed  rendered/us/sentry-options-seer.yaml: autofix.rate_limit\n")
        #expect(stale.stderr.contains("rendered is not up to date"))
        // Other commit annotations are stamps too (a directory committed with its inputs cannot name its commit).
        let otherCommit = try run(
            [
                "write", "--target", "us", "--out", "rendered", "--commit-sha", "1111111", "--commit-timestamp", "1",
                "--check",
            ], in: root)
        #expect(otherCommit.status == 3)
        #expect(otherCommit.stdout == "changed  rendered/us/sentry-options-seer.yaml: autofix.rate_limit\n")
        // A hand edit outside the options is a change too.
        let relay = out.appendingPathComponent("us/sentry-options-relay.yaml")
        try replace("name: sentry-options-relay", with: "name: sentry-options-relay2", in: relay)
        let edited = try run(write + ["--check", "--namespace", "relay"], in: root)
        #expect(edited.status == 3)
        #expect(edited.stdout == "changed  rendered/us/sentry-options-relay.yaml (same options; other fields differ)\n")
        try replace("name: sentry-options-relay2", with: "name: sentry-options-relay", in: relay)
        // A namespace leaves us and another arrives.
        try FileManager.default.removeItem(at: root.appendingPathComponent("option-values/snuba/us"))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("option-values/snuba/de"), withIntermediateDirectories: true)
        try Data("options:\n  consumer.max_batch_size: 5\n".utf8).write(
            to: root.appendingPathComponent("option-values/snuba/de/values.yaml"))
        let lint = try run(["lint"], in: root)
        #expect(lint.status == 0, "\(lint.stdout)")
        let moved = try run(
            ["write", "--target", "us", "--target", "de", "--out", "rendered", "--check"] + stamps, in: root)
        #expect(moved.status == 3)
        #expect(moved.stdout.contains("added    rendered/de/sentry-options-snuba.yaml\n"))
        #expect(moved.stdout.contains("changed  rendered/us/sentry-options-seer.yaml: autofix.rate_limit\n"))
        #expect(moved.stdout.contains("removed  rendered/us/sentry-options-snuba.yaml\n"))
        #expect(try regularFiles(in: out) == before, "--check writes nothing")
        // Re-rendering brings it up to date.
        #expect(
            try run(["write", "--target", "us", "--target", "de", "--out", "rendered"] + stamps, in: root).status == 0)
        let fixed = try run(
            ["write", "--target", "us", "--target", "de", "--out", "rendered", "--check"] + stamps, in: root)
        #expect(fixed.status == 0, "\(fixed.stdout)")
        #expect(try run(["write", "--target", "us", "--check"], in: root).status == 2, "--check needs --out")
    }
}

@Suite("optionsctl write: commit annotations from git")
struct WriteCommitAnnotationTests {
    @Test("HEAD's commit when the tree is clean; a warning (an error with --strict) with uncommitted changes")
    func dirtyTree() throws {
        let root = try committedExampleCopy(environment: ["GIT_COMMITTER_DATE": "@1768348800 +0000"])
        defer { try? FileManager.default.removeItem(at: root) }
        let clean = try run(["write", "--target", "us", "--strict"], in: root)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(clean.stdout.contains("    commit_timestamp: '1768348800'\n"))
        #expect(clean.stdout.contains("    commit_sha: "))
        #expect(!clean.stderr.contains("warning"))
        // Output inside the repository is not a change of the inputs; a committed render stays up to date in the
        // next commit although that commit's id differs from the annotation.
        #expect(try run(["write", "--target", "us", "--out", "deploy", "--strict"], in: root).status == 0)
        #expect(try run(["write", "--target", "us", "--strict"], in: root).status == 0)
        try runGit(["add", "-A"], in: root)
        try runGit(
            ["commit", "-q", "-m", "render"], in: root, environment: ["GIT_COMMITTER_DATE": "@1768348900 +0000"])
        let check = try run(["write", "--target", "us", "--out", "deploy", "--check", "--strict"], in: root)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 250",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let dirty = try run(["write", "--target", "us"], in: root)
        #expect(dirty.status == 0)
        #expect(!dirty.stdout.contains("commit_sha"))
        #expect(
            dirty.stderr.contains(
                "optionsctl: warning: the ConfigMaps have no commit_sha or commit_timestamp annotation: 'schemas' or "
                    + "'option-values' has uncommitted changes (commit them, or render the last commit with --rev HEAD)"
            ), "\(dirty.stderr)")
        let strict = try run(["write", "--target", "us", "--strict"], in: root)
        #expect(strict.status == 1)
        #expect(strict.stdout.isEmpty)
        #expect(strict.stderr.contains("optionsctl: error: the ConfigMaps have no commit_sha"))
        let revision = try run(["write", "--target", "us", "--strict", "--rev", "HEAD"], in: root)
        #expect(revision.status == 0, "\(revision.stderr)")
        #expect(revision.stdout.contains("    commit_timestamp: '1768348900'\n"))
        #expect(revision.stdout.contains("autofix.rate_limit\":200"), "the committed value")
        let flags = try run(
            ["write", "--target", "us", "--strict", "--commit-sha", "abcdef0", "--commit-timestamp", "1"], in: root)
        #expect(flags.status == 0, "the flags need no commit")
    }
}

@Suite("Every command names an unknown flag or argument first")
struct UnknownFlagTests {
    static let commands: [[String]] = [
        ["lint"],
        ["show", "seer", "--target", "us"],
        ["write", "--target", "us"],
        ["write", "--target", "us", "--format", "json"],
        ["write"],
        ["diff", "HEAD~1"],
        ["diff", "HEAD", "--rev", "HEAD"],
        ["flag", "relay", "projects:span-metrics-extraction", "--target", "us"],
        ["flag", "relay", "projects:span-metrics-extraction", "--target", "us", "--context", "nokey"],
    ]

    @Test("a made-up flag is reported by name, before any rule between known flags", arguments: commands)
    func madeUpFlag(_ command: [String]) throws {
        let result = try run(command + ["--made-up-flag"], in: repositoryRoot)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: Unknown option '--made-up-flag'\n"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("the sentry-options spelling of a flag is unknown here, not a different error")
    func referenceSpelling() throws {
        let result = try run(["write", "--target", "us", "--output-format", "configmap"], in: repositoryRoot)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: Unknown option '--output-format'"))
    }

    @Test("an extra argument is reported by name")
    func extraArgument() throws {
        let result = try run(["write", "--target", "us", "--format", "json", "surplus"], in: repositoryRoot)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("Error: Unexpected argument 'surplus'"), "\(result.stderr)")
    }
}
