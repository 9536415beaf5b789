import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Whether the binary under test is built with AddressSanitizer (`.ci/run` sets `OPTIONSCTL_TEST_SANITIZER`):
/// its shadow memory and quarantine of freed blocks (256 MB) add to the resident set, and it runs several times
/// slower, so the time and memory bounds below are scaled for it.
let sanitizerScale = ProcessInfo.processInfo.environment["OPTIONSCTL_TEST_SANITIZER"] == nil ? 1 : 3

/// Runs the binary like `run`, but kills it after `seconds` (a hang is a failure, not a stuck test suite) and
/// reports the largest resident set of any child process so far (`RUSAGE_CHILDREN`), in MiB.
func runBounded(_ arguments: [String], in directory: URL? = nil, seconds: Double = 20) throws -> (
    result: Run, timedOut: Bool, maxResidentMiB: Int
) {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + seconds * Double(sanitizerScale), execute: killer)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let timedOut = process.terminationReason == .uncaughtSignal
    killer.cancel()
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
    return (
        Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)), timedOut, Int(usage.ru_maxrss / 1024)
    )
}

/// What a pull request's files can do, tried against the built binary: every case ends, within a bound of time
/// and memory, with the exit code and message it should, and nothing outside the tree is read.
@Suite("Hostile input: files a pull request controls")
struct HostileInputTests {
    /// The largest resident set any command here may reach.
    static let memoryBoundMiB = 512 * sanitizerScale

    func expectBounded(_ outcome: (result: Run, timedOut: Bool, maxResidentMiB: Int), _ label: String) {
        #expect(!outcome.timedOut, "\(label): still running after the time bound")
        #expect(outcome.maxResidentMiB < Self.memoryBoundMiB, "\(label): \(outcome.maxResidentMiB) MiB")
    }

    @Test(
        "schema.json as a link (to /etc/passwd, /dev/zero) or a FIFO is an error, never read",
        arguments: ["/etc/passwd", "/dev/zero", "fifo"])
    func linkedSchema(_ target: String) throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let schema = root.appendingPathComponent("schemas/snuba/schema.json")
        try FileManager.default.removeItem(at: schema)
        if target == "fifo" {
            #expect(mkfifo(schema.path, 0o644) == 0)
        } else {
            try FileManager.default.createSymbolicLink(atPath: schema.path, withDestinationPath: target)
        }
        for command in [["lint"], ["show", "snuba", "--target", "us"], ["write", "--target", "us"]] {
            let outcome = try runBounded(command, in: root)
            expectBounded(outcome, "\(command) with \(target)")
            #expect(outcome.result.status == 1, "\(command)")
            let output = outcome.result.stdout + outcome.result.stderr
            #expect(output.contains("schemas/snuba/schema.json"), "\(command): \(output)")
            #expect(!output.contains("root:x:0"), "nothing of /etc/passwd is shown")
        }
        let runtime = try runBounded(["write", "--format", "runtime", "--target", "us", "--out", "out"], in: root)
        expectBounded(runtime, "write --format runtime")
        #expect(runtime.result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out").path))
    }

    @Test("a namespace's values directory linked outside the tree is skipped with a warning by every command")
    func linkedNamespace() throws {
        let root = try exampleCopy()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-outside-\(UUID())")
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        try FileManager.default.moveItem(at: root.appendingPathComponent("option-values/relay"), to: outside)
        try Data("options:\n  secret.marker: exfiltrated\n".utf8).write(
            to: outside.appendingPathComponent("us/marker.yaml"))
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("option-values/relay"), withDestinationURL: outside)
        let commands = [
            ["lint"], ["lint", "option-values/relay/us/values.yaml"], ["show", "relay", "--target", "us"],
            ["write", "--target", "us"], ["flag", "relay", "projects:span-metrics-extraction", "--target", "us"],
        ]
        for command in commands {
            let outcome = try runBounded(command, in: root)
            expectBounded(outcome, "\(command)")
            let output = outcome.result.stdout + outcome.result.stderr
            #expect(!output.contains("exfiltrated") && !output.contains("secret.marker"), "\(command): \(output)")
        }
        let lint = try run(["lint", "option-values/relay/us/values.yaml"], in: root)
        #expect(lint.stdout.contains("option-values/relay: warning: symbolic link or special file ignored"))
    }

    @Test(
        "schemas or option-values linked outside the root exit 2 without listing what is there",
        arguments: ["/etc", "/"])
    func linkedTopDirectories(_ target: String) throws {
        for directory in ["schemas", "option-values"] {
            let root = try exampleCopy()
            defer { try? FileManager.default.removeItem(at: root) }
            let place = root.appendingPathComponent(directory)
            try FileManager.default.removeItem(at: place)
            try FileManager.default.createSymbolicLink(atPath: place.path, withDestinationPath: target)
            let outcome = try runBounded(["lint"], in: root)
            expectBounded(outcome, "\(directory) -> \(target)")
            #expect(outcome.result.status == 2)
            #expect(
                outcome.result.stderr.contains("'\(directory)': it is a symbolic link to '\(target)', outside the root")
            )
            #expect(outcome.result.stdout.isEmpty)
        }
    }

    @Test("a link to a directory inside the root is followed for the top directories only")
    func linkInsideRoot() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("config"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: root.appendingPathComponent("option-values"), to: root.appendingPathComponent("config/values"))
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("option-values").path, withDestinationPath: "config/values")
        let lint = try run(["lint"], in: root)
        #expect(lint.status == 0, "\(lint.stdout)\(lint.stderr)")
        #expect(lint.stderr.contains("13 values files"))
    }

    @Test("a file over the size limit is an error before it is read; --max-file-size raises the limit")
    func sizeLimit() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let big = root.appendingPathComponent("option-values/seer/us/big.yaml")
        let padding = String(repeating: "# padding\n", count: 2_000_000)
        try Data(("options:\n  autofix.max_concurrent_runs: 3\n" + padding).utf8).write(to: big)
        let outcome = try runBounded(["lint"], in: root)
        expectBounded(outcome, "20 MB file")
        #expect(outcome.result.status == 1)
        #expect(outcome.result.stdout.contains("over the limit of 16777216 (raise it with --max-file-size)"))
        let raised = try run(["lint", "--max-file-size", "32M"], in: root)
        #expect(raised.status == 0, "\(raised.stdout)")
        #expect(try run(["lint", "--max-file-size", "lots"], in: root).status == 2)
    }

    @Test("a 200 KB unknown key next to a 200 KB option name gets no quadratic suggestion")
    func hugeKeys() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let long = String(repeating: "a", count: 200_000)
        let schema = root.appendingPathComponent("schemas/snuba/schema.json")
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: schema)) as? [String: Any])
        var properties = try #require(object["properties"] as? [String: Any])
        properties[long] = ["type": "integer", "default": 1, "description": "long"]
        object["properties"] = properties
        try JSONSerialization.data(withJSONObject: object).write(to: schema)
        // An explicit key: libyaml takes plain keys of at most 1,024 characters.
        try Data("options:\n  ? \(long)b\n  : 1\n".utf8).write(
            to: root.appendingPathComponent("option-values/snuba/us/long.yaml"))
        let outcome = try runBounded(["lint"], in: root)
        expectBounded(outcome, "200 KB keys")
        #expect(outcome.result.status == 0, "\(outcome.result.stdout)")
        #expect(outcome.result.stdout.contains("[unknown-option]"))
    }

    @Test("control characters in keys are escaped in text, annotations and markdown; markdown in keys is inert")
    func controlCharacters() throws {
        let root = try committedExampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let key = #"evil\nx.yaml:1:1: error: forged [type-mismatch]\e[31m\a[link](https://x.invalid) @admin"#
        try Data("options:\n  \"\(key)\": 1\n".utf8).write(
            to: root.appendingPathComponent("option-values/seer/us/evil.yaml"))
        let lint = try run(["lint"], in: root)
        #expect(!lint.stdout.contains("\nx.yaml:1:1: error: forged"), "no forged line")
        #expect(!lint.stdout.contains("\u{1B}") && !lint.stdout.contains("\u{07}"))
        #expect(lint.stdout.contains(#"evil\u{a}x.yaml:1:1: error: forged [type-mismatch]\u{1b}[31m\u{7}"#))
        let github = try run(["lint", "--format", "github"], in: root)
        #expect(!github.stdout.contains("\u{1B}"))
        #expect(github.stdout.split(separator: "\n").count == 1)
        let markdown = try run(["diff", "--format", "markdown"], in: root)
        #expect(!markdown.stdout.contains("[link](https"), "no live link")
        #expect(!markdown.stdout.contains("@admin"), "no mention")
        #expect(markdown.stdout.contains("&#64;admin"))
        let text = try run(["diff"], in: root)
        #expect(!text.stdout.contains("\u{1B}") && !text.stdout.contains("\u{07}"))
    }

    @Test("file names with a newline or an escape sequence are escaped in text and annotations")
    func hostileFileNames() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let values = root.appendingPathComponent("option-values/seer/us")
        for name in ["evil\nx.yaml:1:1: error: forged [x].yaml", "e\u{1B}[31mred.yaml", "rtl\u{202E}lmay.yaml"] {
            try Data("options:\n  bogus.\(name.count): 1\n".utf8).write(to: values.appendingPathComponent(name))
        }
        let text = try run(["lint"], in: root)
        #expect(text.status == 0, "\(text.stdout)")
        #expect(text.stdout.split(separator: "\n").count == 3, "one line per problem")
        #expect(!text.stdout.contains("\u{1B}") && !text.stdout.contains("\u{202E}"))
        #expect(text.stdout.contains(#"evil\u{a}x.yaml:1:1: error: forged [x].yaml:2:3: warning"#))
        #expect(text.stdout.contains(#"rtl\u{202e}lmay.yaml:2:3"#))
        let github = try run(["lint", "--format", "github"], in: root)
        #expect(github.stdout.split(separator: "\n").count == 3)
        #expect(github.stdout.contains("file=option-values/seer/us/evil%0Ax.yaml%3A1%3A1%3A error%3A forged"))
    }

    @Test("look-alike and invisible characters in a key are named next to the suggestion")
    func lookalikeKeys() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let yaml = "options:\n  autofix.rate_lim\u{456}t: 1\n  \"autofix.enabled\\u200b\": true\n"
        try Data(yaml.utf8).write(to: root.appendingPathComponent("option-values/seer/us/look.yaml"))
        let lint = try run(["lint"], in: root)
        #expect(
            lint.stdout.contains(
                "did you mean 'autofix.rate_limit'? (the key holds U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I)"
            ))
        #expect(
            lint.stdout.contains(
                #"unknown option 'autofix.enabled\u{200b}': namespace 'seer' does not declare it; did you mean "#
                    + "'autofix.enabled'? (the key holds U+200B ZERO WIDTH SPACE)"))
    }

    @Test("a 15 MB scalar is read, shown and refused by the ConfigMap limit within the bounds")
    func hugeScalar() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let huge = String(repeating: "x", count: 15_000_000)
        try Data("options:\n  autofix.prompt_version: \(huge)\n".utf8).write(
            to: root.appendingPathComponent("option-values/seer/us/huge.yaml"))
        let lint = try runBounded(["lint"], in: root)
        expectBounded(lint, "lint")
        #expect(lint.result.status == 0, "\(lint.result.stdout.prefix(500))")
        let show = try runBounded(["show", "seer", "--target", "us"], in: root)
        expectBounded(show, "show")
        #expect(show.result.stdout.utf8.count < 10_000, "show shortens long values")
        let out = root.appendingPathComponent("rendered")
        let write = try runBounded(["write", "--target", "us", "--out", out.path], in: root)
        expectBounded(write, "write")
        #expect(write.result.status == 1)
        #expect(write.result.stderr.contains("ConfigMap 'sentry-options-seer' exceeds Kubernetes"))
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing written")
    }
}

/// `write` into an existing directory: one lock, one all-or-nothing swap, nothing through links.
@Suite("Output: all or nothing, never through a link")
struct OutputSafetyTests {
    /// The `generated_at` of every payload in `directory`, and the siblings staging left.
    func state(of directory: URL) throws -> (stamps: Set<String>, count: Int, leftovers: [String]) {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
        var stamps: Set<String> = []
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            stamps.insert(String(text.dropFirst(#"{"generated_at":""#.count).prefix { $0 != "\"" }))
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.deletingLastPathComponent().path)
            .filter { $0.hasPrefix(directory.lastPathComponent + ".optionsctl-") }
        return (stamps, names.count, leftovers)
    }

    @Test("concurrent writes into one directory leave one complete render and nothing staged")
    func concurrentWrites() async throws {
        let parent = scratchPath("concurrent")
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("out")
        let base = ["write", "--format", "json", "--all-targets", "--root", repositoryRoot.path, "--out", out.path]
        #expect(try run(base + ["--generated-at", "2026-01-01T00:00:00Z"]).status == 0)
        try await withThrowingTaskGroup(of: Int32.self) { group in
            for second in 10..<18 {
                group.addTask { try run(base + ["--generated-at", "2026-01-01T00:00:\(second)Z"]).status }
            }
            for try await status in group { #expect(status == 0) }
        }
        let after = try state(of: out)
        #expect(after.stamps.count == 1, "one render, not a mix: \(after.stamps)")
        #expect(after.count == 11)
        #expect(after.leftovers.isEmpty, "\(after.leftovers)")
    }

    @Test("a write killed at any moment leaves the old render or the new one; the next run removes what it staged")
    func killedWrites() throws {
        let parent = scratchPath("killed")
        defer { try? FileManager.default.removeItem(at: parent) }
        let out = parent.appendingPathComponent("out")
        let base = ["write", "--format", "json", "--all-targets", "--root", repositoryRoot.path, "--out", out.path]
        #expect(try run(base + ["--generated-at", "2026-01-01T00:00:00Z"]).status == 0)
        for attempt in 0..<12 {
            let process = Process()
            process.executableURL = binary
            process.arguments = base + ["--generated-at", "2026-01-01T00:01:\(10 + attempt)Z"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(attempt * 1500))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = try state(of: out)
            #expect(now.stamps.count == 1 && now.count == 11, "attempt \(attempt): \(now.stamps), \(now.count) files")
        }
        #expect(try run(base + ["--generated-at", "2026-01-01T00:02:00Z"]).status == 0)
        let final = try state(of: out)
        #expect(final.stamps == ["2026-01-01T00:02:00Z"])
        #expect(final.leftovers.isEmpty, "leftovers of killed runs are removed: \(final.leftovers)")
    }

    @Test("an existing link inside the output is replaced, never written through; --out itself as a link is refused")
    func links() throws {
        let parent = scratchPath("links")
        defer { try? FileManager.default.removeItem(at: parent) }
        let outside = parent.appendingPathComponent("outside")
        let out = parent.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("mine".utf8).write(to: out.appendingPathComponent("notes.txt"))
        try FileManager.default.createSymbolicLink(at: out.appendingPathComponent("us"), withDestinationURL: outside)
        let result = try run(["write", "--target", "us", "--root", repositoryRoot.path, "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written outside")
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(atPath: out.appendingPathComponent("us").path)) == nil)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("us/sentry-options-seer.yaml").path))
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
        let linked = parent.appendingPathComponent("linked")
        try FileManager.default.createSymbolicLink(at: linked, withDestinationURL: outside)
        let refused = try run(["write", "--target", "us", "--root", repositoryRoot.path, "--out", linked.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("it is a symbolic link; output is never written through a link"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
    }
}

/// Hostile trees committed to git, and hostile volumes.
@Suite("Hostile input: deep trees, big blobs, many problems")
struct HostileVolumeTests {
    /// A committed copy of the example tree, then a second commit made by `git fast-import` from `commands`
    /// (the `M …` lines of one commit on top of HEAD).
    func repository(secondCommit commands: Data) throws -> URL {
        let root = try committedExampleCopy()
        var stream = Data(
            "commit refs/heads/main\ncommitter t <t@example.invalid> 1768348800 +0000\ndata 4\nbig\n".utf8)
        stream += Data("from refs/heads/main^0\n".utf8)
        stream += commands
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "fast-import", "--quiet", "--force"]
        process.currentDirectoryURL = root
        let input = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: stream)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git fast-import")
        // The second commit is read from git objects only (git itself cannot check out 20,000 levels).
        return root
    }

    func inline(_ path: String, _ bytes: Data) -> Data {
        Data("M 100644 inline \(path)\ndata \(bytes.count)\n".utf8) + bytes + Data("\n".utf8)
    }

    @Test("a committed tree nested 30,000 directories deep: --rev and diff finish, no crash")
    func deepGitTree() throws {
        let deep = "option-values/seer/us/" + String(repeating: "d/", count: 30_000) + "x.yaml"
        let root = try repository(secondCommit: inline(deep, Data("options: {}\n".utf8)))
        defer { try? FileManager.default.removeItem(at: root) }
        for command in [
            ["lint", "--rev", "HEAD"], ["diff", "HEAD~1", "HEAD"], ["show", "seer", "--target", "us", "--rev", "HEAD"],
        ] {
            let outcome = try runBounded(command, in: root, seconds: 60)
            #expect(!outcome.timedOut, "\(command)")
            #expect([0, 1].contains(outcome.result.status), "\(command): \(outcome.result.status)")
            #expect(outcome.maxResidentMiB < HostileInputTests.memoryBoundMiB, "\(command)")
        }
        let lint = try run(["lint", "--rev", "HEAD"], in: root)
        #expect(lint.stdout.contains("directory ignored: nested 16 levels below the values directory"))
    }

    @Test("submodules committed in the tree are skipped with a warning naming them, by every git-reading command")
    func submodules() throws {
        let commit = String(repeating: "ab", count: 20)
        let root = try repository(
            secondCommit: Data(
                """
                M 160000 \(commit) option-values/seer/fr
                M 160000 \(commit) option-values/seer/us/sub.yaml
                M 160000 \(commit) schemas/evil

                """.utf8))
        defer { try? FileManager.default.removeItem(at: root) }
        for command in [["lint", "--rev", "HEAD"], ["diff", "HEAD~1", "HEAD"]] {
            let outcome = try runBounded(command, in: root)
            #expect(!outcome.timedOut, "\(command)")
            #expect(outcome.result.status == 0, "\(command): \(outcome.result.stderr)")
            let output = outcome.result.stdout + outcome.result.stderr
            #expect(output.contains("option-values/seer/fr: warning: ignored: a git submodule"), "\(command)")
            #expect(output.contains("option-values/seer/us/sub.yaml: warning: ignored: a git submodule"), "\(command)")
        }
        let lint = try run(["lint", "--rev", "HEAD"], in: root)
        #expect(lint.stdout.contains("schemas/evil: warning: ignored: a git submodule; submodules are not read"))
    }

    @Test("a 64 MB blob that compresses to almost nothing is refused from its header, never inflated")
    func bigBlob() throws {
        let big = Data("options:\n".utf8) + Data(repeating: UInt8(ascii: "#"), count: 64 << 20)
        let root = try repository(secondCommit: inline("option-values/seer/us/big.yaml", big))
        defer { try? FileManager.default.removeItem(at: root) }
        for command in [
            ["lint", "--rev", "HEAD"], ["diff", "HEAD~1", "HEAD"], ["write", "--target", "us", "--rev", "HEAD"],
        ] {
            let outcome = try runBounded(command, in: root, seconds: 60)
            #expect(!outcome.timedOut, "\(command)")
            #expect(outcome.result.status == 1, "\(command): \(outcome.result.stderr)")
            #expect(
                (outcome.result.stdout + outcome.result.stderr).contains("over the limit of 16777216"), "\(command)")
            #expect(outcome.maxResidentMiB < HostileInputTests.memoryBoundMiB, "\(command)")
        }
    }

    @Test("a file with 5,000 unknown keys reports 1,000 problems and counts the rest")
    func manyProblems() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let keys = (0..<5000).map { "  unknown.key_\($0): 1\n" }.joined()
        try Data(("options:\n" + keys).utf8).write(to: root.appendingPathComponent("option-values/seer/us/many.yaml"))
        let text = try run(["lint"], in: root)
        #expect(text.status == 0, "warnings only")
        #expect(text.stdout.split(separator: "\n").count == 1001)
        #expect(text.stdout.contains("4000 more problems in this file are not shown (0 errors, 4000 warnings)"))
        let strict = try run(["lint", "--strict", "--format", "sarif"], in: root)
        #expect(strict.status == 1)
        #expect(strict.stdout.components(separatedBy: "\"ruleId\"").count - 1 == 1001)
    }

    @Test("a values file with a million unknown keys: SARIF lint within the time and memory bounds")
    func millionKeys() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        var text = "options:\n"
        text.reserveCapacity(12_000_000)
        for index in 0..<1_000_000 { text += " k\(index): 1\n" }
        try Data(text.utf8).write(to: root.appendingPathComponent("option-values/seer/us/million.yaml"))
        let outcome = try runBounded(["lint", "--format", "sarif"], in: root, seconds: 90)
        #expect(!outcome.timedOut, "still running after 90 s")
        #expect(outcome.maxResidentMiB < HostileInputTests.memoryBoundMiB, "\(outcome.maxResidentMiB) MiB")
        #expect(outcome.result.status == 0, "warnings only")
        #expect(outcome.result.stdout.components(separatedBy: "\"ruleId\"").count - 1 == 1001)
        #expect(outcome.result.stdout.contains("999000 more problems in this file are not shown"))
    }
}

/// Damaged or forged loose git objects: libgit2 1.5.1 corrupts its heap on an understated header (upstream 7177)
/// and loops forever on a truncated stream (7342); optionsctl checks loose objects before libgit2 reads them, and
/// has libgit2 verify every object's hash.
@Suite("Hostile input: forged loose git objects")
struct ForgedObjectTests {
    @Test(
        "each forgery of a committed values file exits 2 naming the object, quickly",
        arguments: [
            ("understated", "corrupt: longer than its header says"),
            ("truncated", "truncated: the compressed stream ends early"),
            ("mismatch", "hash mismatch"),
        ])
    func forged(_ kind: String, _ message: String) throws {
        let root = try committedExampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try Data("options:\n  autofix.max_concurrent_runs: 3\n".utf8).write(
            to: root.appendingPathComponent("option-values/seer/us/extra.yaml"))
        try runGit(["add", "-A"], in: root)
        try runGit(["commit", "-q", "-m", "extra"], in: root)
        let script = """
            import subprocess, sys, zlib, os
            kind = sys.argv[1]
            blob = subprocess.check_output(["git", "rev-parse", "HEAD:option-values/seer/us/extra.yaml"]).decode().strip()
            path = os.path.join(".git", "objects", blob[:2], blob[2:])
            content = b"options:\\n  autofix.max_concurrent_runs: 3\\n"
            if kind == "understated":
                data = zlib.compress(b"blob 5\\0" + content)
            elif kind == "truncated":
                whole = zlib.compress(b"blob %d\\0" % len(content) + content)
                data = whole[: len(whole) // 2]
            else:
                other = b"options:\\n  autofix.max_concurrent_runs: 4\\n"
                data = zlib.compress(b"blob %d\\0" % len(other) + other)
            os.chmod(path, 0o644)
            open(path, "wb").write(data)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, kind]
        process.currentDirectoryURL = root
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "forging the object")
        for command in [["lint", "--rev", "HEAD"], ["diff", "HEAD~1", "HEAD"]] {
            let outcome = try runBounded(command, in: root, seconds: 30)
            #expect(!outcome.timedOut, "\(command)")
            #expect(outcome.result.status == 2, "\(command): \(outcome.result.stdout)\(outcome.result.stderr)")
            #expect(
                outcome.result.stderr.contains("option-values/seer/us/extra.yaml' from the repository"),
                "\(command): \(outcome.result.stderr)")
            #expect(outcome.result.stderr.contains(message), "\(command): \(outcome.result.stderr)")
        }
    }
}
