import Foundation
import Reader
import Testing

/// Runs the built `optionsctl` binary.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
}

let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The `optionsctl` next to the test bundle in the build directory.
let binary: URL = {
    let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var directory = executable.deletingLastPathComponent()
    // On macOS the bundle is .../debug/optionsctlPackageTests.xctest/Contents/MacOS/…
    while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("optionsctl").path)
        && directory.path != "/"
    {
        directory = directory.deletingLastPathComponent()
    }
    return directory.appendingPathComponent("optionsctl")
}()

func run(
    _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:], executable: URL = binary
) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    var env = ProcessInfo.processInfo.environment
    env.removeValue(forKey: "NO_COLOR")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// The `sentry-options-cli` launcher `swift build` leaves beside `optionsctl`.
let sentryOptionsCLI = binary.deletingLastPathComponent().appendingPathComponent("sentry-options-cli")

/// A scratch copy of the example tree at the repository root.
func exampleCopy() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    for name in ["schemas", "option-values"] {
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent(name), to: directory.appendingPathComponent(name))
    }
    return directory
}

/// A scratch copy of the example tree in a new git repository, committed once (a fixed identity, `main`).
func committedExampleCopy(environment: [String: String] = [:]) throws -> URL {
    let root = try exampleCopy()
    try runGit(["init", "-q", "-b", "main"], in: root)
    try runGit(["add", "-A"], in: root)
    try runGit(["commit", "-q", "-m", "example"], in: root, environment: environment)
    return root
}

/// A scratch copy of the example tree where line 3 of `option-values/seer/us/values.yaml`
/// (`  autofix.rate_limit: 200`) reads `  <line>` instead.
func exampleCopy(settingRateLimitLine line: String) throws -> URL {
    let root = try exampleCopy()
    try replace(
        "autofix.rate_limit: 200", with: line, in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
    return root
}

/// Runs git in `directory` with a fixed identity (and `environment` on top); a non-zero exit is a test failure.
func runGit(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "git \(arguments)")
}

func replace(_ old: String, with new: String, in file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "fixture changed: \(old) not in \(file.lastPathComponent)")
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
}

@Suite("optionsctl lint, end to end")
struct LintCommandTests {
    @Test("the example repository is clean")
    func exampleIsClean() throws {
        let result = try run(["lint", "--root", repositoryRoot.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("no problems in 3 schemas"))
    }

    @Test("a bad value fails with exit 1 and file:line:col on stdout")
    func badValue() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["lint"], in: root)
        #expect(result.status == 1)
        #expect(
            result.stdout
                == "option-values/seer/us/values.yaml:3:23: error: 'autofix.rate_limit': \"fast\" is not of type \"integer\" [type-mismatch]\n"
        )
        #expect(result.stderr.contains("1 error, 0 warnings"))
    }

    @Test("--root reports paths under the root as given")
    func rootPrefix() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: 2.5")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["lint", "--root", root.lastPathComponent], in: root.deletingLastPathComponent())
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("\(root.lastPathComponent)/option-values/seer/us/values.yaml:3:23: error:"))
    }

    @Test("paths limit the check to their namespaces; unrelated paths check nothing")
    func paths() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: x")
        defer { try? FileManager.default.removeItem(at: root) }
        let relay = try run(["lint", "option-values/relay/us/values.yaml"], in: root)
        #expect(relay.status == 0, "\(relay.stdout)")
        #expect(relay.stderr.contains("1 schema and"))
        let schemaChange = try run(["lint", "schemas/seer/schema.json"], in: root)
        #expect(schemaChange.status == 1, "a changed schema re-checks its values")
        let unrelated = try run(["lint", "README.md"], in: root)
        #expect(unrelated.status == 0)
        #expect(unrelated.stderr.contains("0 schemas and 0 values files"))
    }

    @Test("unknown options warn, --strict fails, --quiet hides warnings")
    func strictAndQuiet() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limt: 200")
        defer { try? FileManager.default.removeItem(at: root) }
        let plain = try run(["lint"], in: root)
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("warning: Ignoring unknown option 'autofix.rate_limt'"))
        #expect(plain.stdout.contains("did you mean 'autofix.rate_limit'?"))
        let strict = try run(["lint", "--strict"], in: root)
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("error: Ignoring unknown option"))
        let quiet = try run(["lint", "--quiet"], in: root)
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty && quiet.stderr.isEmpty)
    }

    @Test("every format renders the same problem")
    func formats() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let json = try run(["lint", "--format", "json"], in: root)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["line"] as? Int == 3)
        #expect(first["column"] as? Int == 23)
        #expect(json.stderr.isEmpty)
        let github = try run(["lint", "--format", "github"], in: root)
        #expect(github.stdout.hasPrefix("::error file=option-values/seer/us/values.yaml,line=3,col=23,"))
        let sarif = try run(["lint", "--format", "sarif"], in: root)
        #expect(sarif.stdout.contains("\"version\":\"2.1.0\""))
    }

    @Test("colour only on a terminal: never when piped")
    func noColourWhenPiped() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: no")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["lint"], in: root)
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test(
        "colour on a terminal, none with NO_COLOR",
        .enabled(
            if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a pseudo-terminal"
        ))
    func colourOnTerminal() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: no")
        defer { try? FileManager.default.removeItem(at: root) }
        // script(1) runs the command on a pseudo-terminal, so optionsctl sees a terminal on stdout.
        func onTerminal(_ environment: [String: String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "'\(binary.path)' lint", "/dev/null"]
            process.currentDirectoryURL = root
            var env = ProcessInfo.processInfo.environment
            env.removeValue(forKey: "NO_COLOR")
            env.merge(environment) { $1 }
            process.environment = env
            let out = Pipe()
            process.standardOutput = out
            process.standardInput = FileHandle.nullDevice
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
        let coloured = try onTerminal([:])
        #expect(coloured.contains("\u{1B}[1;31merror:\u{1B}[0m"), "\(coloured)")
        let plain = try onTerminal(["NO_COLOR": "1"])
        #expect(plain.contains("error: 'autofix.rate_limit'"))
        #expect(!plain.contains("\u{1B}["))
    }

    @Test("--rev reads a git revision, not the working tree")
    func revision() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        func git(_ arguments: String...) throws {
            try runGit(arguments, in: root)
        }
        try git("init", "-q")
        try git("add", "-A")
        try git("commit", "-q", "-m", "clean example")
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: \"fast\"",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let working = try run(["lint"], in: root)
        #expect(working.status == 1)
        let head = try run(["lint", "--rev", "HEAD"], in: root)
        #expect(head.status == 0, "\(head.stdout)")
        #expect(head.stderr.contains("no problems in 3 schemas and 13 values files at HEAD ("))
        try git("commit", "-q", "-am", "bad value")
        let committed = try run(["lint", "--rev", "HEAD", "--format", "github"], in: root)
        #expect(committed.status == 1)
        #expect(committed.stdout.hasPrefix("::error file=option-values/seer/us/values.yaml,line=3,col=23,"))
        #expect(try run(["lint", "--rev", "HEAD~1"], in: root).status == 0)
        let unknown = try run(["lint", "--rev", "nosuchrev"], in: root)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown revision 'nosuchrev'"))
    }

    @Test("--rev outside a git repository exits 2")
    func revisionOutsideRepository() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["lint", "--rev", "HEAD"], in: root)
        #expect(result.status == 2)
        #expect(result.stderr.contains("not a git repository"))
    }

    @Test("usage and environment errors exit 2")
    func usageErrors() throws {
        let missing = try run(["lint", "--root", "/nonexistent/optionsctl"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("root directory '/nonexistent/optionsctl' does not exist"))
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
            "optionsctl-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        let noSchemas = try run(["lint", "--root", empty.path])
        #expect(noSchemas.status == 2)
        #expect(noSchemas.stderr.contains("schemas directory"))
        let badFlag = try run(["lint", "--format", "xml"])
        #expect(badFlag.status == 2)
        let unknown = try run(["lint", "--bogus"])
        #expect(unknown.status == 2)
        let missingValues = try run(["lint", "--root", repositoryRoot.path, "--values", "/nonexistent/values"])
        #expect(missingValues.status == 2)
    }

    @Test("help and version exit 0 on stdout")
    func helpAndVersion() throws {
        let help = try run(["lint", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: optionsctl lint"))
        let version = try run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("optionsctl "), "the full report is tested in VersionTests")
    }
}

@Suite("optionsctl show, end to end")
struct ShowCommandTests {
    @Test("lists every option with its effective value and source; overridden defaults are marked")
    func text() throws {
        let result = try run(["show", "seer", "--target", "us", "--root", repositoryRoot.path])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "seer in us (working tree)")
        let rateLimit = try #require(lines.first { $0.hasPrefix("autofix.rate_limit ") })
        #expect(rateLimit.contains(" 200 "))
        #expect(rateLimit.hasSuffix("us/values.yaml:3:3, overrides default/autofix.yaml:4:3"))
        let runs = try #require(lines.first { $0.hasPrefix("autofix.max_concurrent_runs ") })
        #expect(runs.contains(" 4 ") && runs.hasSuffix("schema default"))
        let threshold = try #require(lines.first { $0.hasPrefix("severity.high_threshold ") })
        #expect(threshold.hasSuffix("default/values.yaml:4:3"))
        #expect(lines.last == "12 options: 4 set in us, 7 from default, 1 schema default")
    }

    @Test("json output parses and names every source")
    func json() throws {
        let result = try run(["show", "seer", "--target", "de", "--format", "json", "--root", repositoryRoot.path])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let options = try #require(object["options"] as? [[String: Any]])
        #expect(options.count == 12)
        let sources = Set(options.compactMap { $0["source"] as? String })
        #expect(sources == ["target", "default", "schema-default"])
        let runs = try #require(options.first { $0["key"] as? String == "autofix.max_concurrent_runs" })
        #expect(runs["value"] as? Int == 4)
    }

    @Test("unknown namespace or target exit 1; an invalid namespace prints its errors and exits 1")
    func errors() throws {
        let target = try run(["show", "seer", "--target", "eu", "--root", repositoryRoot.path])
        #expect(target.status == 1)
        #expect(target.stderr.contains("Target 'eu' not found in any namespace (targets: de, s4s, us)"))
        let missing = try run(["show", "snuba", "--target", "de", "--root", repositoryRoot.path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Target 'de' not found in namespace 'snuba'"))
        let namespace = try run(["show", "nope", "--target", "us", "--root", repositoryRoot.path])
        #expect(namespace.status == 1)
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let invalid = try run(["show", "seer", "--target", "us"], in: root)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("option-values/seer/us/values.yaml:3:23: error:"))
        #expect(try run(["show", "seer"], in: root).status == 2, "--target is required")
    }
}

@Suite("optionsctl diff, end to end")
struct DiffCommandTests {
    /// A copy of the example repository committed once, and a `git` runner in it.
    func repository() throws -> (URL, (String...) throws -> Void) {
        let root = try exampleCopy()
        func git(_ arguments: String...) throws {
            try runGit(arguments, in: root)
        }
        try git("init", "-q", "-b", "main")
        try git("add", "-A")
        try git("commit", "-q", "-m", "example")
        return (root, git)
    }

    @Test("a default change fans out to the regions that inherit it; --exit-code says something differs")
    func defaultChange() throws {
        let (root, git) = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(["diff"], in: root).stdout.contains("no effective change: no schema or values file differs"))
        #expect(
            try run(["diff", "--format", "markdown"], in: root).stdout.contains(
                "No effective change: no schema or values file differs."))
        let values = root.appendingPathComponent("option-values/seer/default/values.yaml")
        try replace(
            "inference.request_timeout_seconds: 30", with: "inference.request_timeout_seconds: 45", in: values)
        let text = try run(["diff"], in: root)
        #expect(text.status == 0, "\(text.stderr)")
        for region in ["default", "de", "s4s", "us"] { #expect(text.stdout.contains("\nregion \(region)\n")) }
        #expect(text.stdout.contains("    inference.request_timeout_seconds: 30 → 45 (seer/default/values.yaml:5:3)\n"))
        #expect(text.stdout.hasSuffix("4 value changes in 4 regions; 0 schema changes\n"))
        #expect(try run(["diff", "--exit-code"], in: root).status == 3)
        #expect(try run(["diff", "--target", "us", "--format", "json"], in: root).stdout.contains(#""target":"us""#))
        try git("commit", "-q", "-am", "longer timeout")
        #expect(try run(["diff"], in: root).stdout.contains("no effective change"))
        let committed = try run(["diff", "HEAD~1", "HEAD", "--format", "json"], in: root)
        #expect(committed.status == 0)
        #expect(
            committed.stdout.contains(
                #""before":{"column":3,"declared":true,"file":"option-values/seer/default/values.yaml","line":5,"source":"default","value":30}"#
            ))
        let range = try run(["diff", "HEAD~1...HEAD"], in: root)
        #expect(range.stdout.contains("4 value changes"))
    }

    @Test("a forbidden schema change fails with its place in schema.json; bad revisions exit 2")
    func forbidden() throws {
        let (root, _) = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let schema = root.appendingPathComponent("schemas/seer/schema.json")
        let text = try String(contentsOf: schema, encoding: .utf8)
        let changed = text.replacingOccurrences(
            of: #""default": 30"#, with: #""default": 31"#, options: [], range: nil)
        #expect(changed != text, "the example schema has a default of 30")
        try changed.write(to: schema, atomically: true, encoding: .utf8)
        let result = try run(["diff"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("schemas/seer/schema.json:"))
        #expect(result.stderr.contains("default value changed from 30 to 31; to change what services read"))
        #expect(result.stdout.contains("FORBIDDEN"))
        #expect(result.stdout.contains("way forward: to change what services read"))
        let allowed = try run(["diff", "--allow-forbidden", "seer:inference.request_timeout_seconds"], in: root)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(
            allowed.stdout.contains("FORBIDDEN, allowed by --allow-forbidden seer:inference.request_timeout_seconds"))
        let typo = try run(["diff", "--allow-forbidden", "seer:inference.request_timeout"], in: root)
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains(
                "--allow-forbidden seer:inference.request_timeout matches no forbidden schema change (forbidden: "
                    + "seer:inference.request_timeout_seconds)"))
        #expect(try run(["diff", "--allow-forbidden", "seer:"], in: root).status == 2)
        #expect(try run(["diff", "nosuchrev"], in: root).status == 2)
        #expect(try run(["diff", "HEAD", "--rev", "HEAD"], in: root).status == 2)
    }
}

@Suite("Reader reads what write --format runtime renders")
struct ReaderRoundTripTests {
    @Test("every option of every namespace reads back as show --format json reports it")
    func roundTrip() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-runtime-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let written = try run([
            "write", "--format", "runtime", "--target", "us", "--out", out.path, "--root", repositoryRoot.path,
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let store = try OptionsStore(directory: out.path)
        #expect(store.namespaceNames == ["relay", "seer", "snuba"])
        for namespace in store.namespaceNames {
            let options = try store.namespace(namespace)
            let shown = try run(["show", namespace, "--target", "us", "--format", "json"], in: repositoryRoot)
            let document = try #require(
                try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
            for entry in try #require(document["options"] as? [[String: Any]]) {
                let key = try #require(entry["key"] as? String)
                if entry["source"] as? String == "unset" {
                    #expect(try options.isSet(key) == false)
                    continue
                }
                let expected = try JSONSerialization.data(
                    withJSONObject: entry["value"] ?? NSNull(), options: [.sortedKeys, .fragmentsAllowed])
                let actual = try JSONSerialization.data(
                    withJSONObject: try JSONSerialization.jsonObject(
                        with: Data(options.value(key).jsonText.utf8), options: .fragmentsAllowed),
                    options: [.sortedKeys, .fragmentsAllowed])
                #expect(actual == expected, "\(namespace).\(key)")
                #expect(
                    try options.isSet(key) == (entry["source"] as? String != "schema-default"), "\(namespace).\(key)")
            }
        }
    }
}

@Suite("optionsctl flag, end to end")
struct FlagCommandTests {
    let flag = "organizations:autofix-on-issue-create"

    @Test("a context matching the first segment is on; the text names the segment, the source and the bucket")
    func firstSegment() throws {
        let result = try run(
            ["flag", "seer", flag, "--target", "us", "--context", "organization_slug=sentry"], in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                organizations:autofix-on-issue-create in seer (target us): enabled
                  decided by segment 'internal orgs' (rollout 100%)
                  value from option-values/seer/default/autofix.yaml:11:3
                  bucket 69 (SHA-1 of "organization_slug:sentry")

                """)
    }

    @Test("context values are typed as in YAML: a bool and a string match, the quoted 'true' does not")
    func yamlTyping() throws {
        func verdict(_ context: [String]) throws -> String {
            let result = try run(
                ["flag", "seer", flag, "--target", "us", "--format", "json", "--identity-fields", "organization_id"]
                    + context.flatMap { ["--context", $0] } + ["--root", repositoryRoot.path])
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
        // organization_id 5 is bucket 5 (inside the 25% rollout), 42 is bucket 30 (outside); checked with hashlib.
        let early = ["organization_is_early_adopter=true", "organization_plan=business"]
        #expect(
            try verdict(early + ["organization_id=5"]) == #"{"bucket":5,"enabled":true,"segment":"early adopters"}"#
                + "\n")
        #expect(
            try verdict(early + ["organization_id=42"]) == #"{"bucket":30,"enabled":false,"segment":"early adopters"}"#
                + "\n")
        #expect(
            try verdict(["organization_is_early_adopter='true'", "organization_plan=business", "organization_id=5"])
                == #"{"bucket":5,"enabled":false,"segment":null}"# + "\n")
    }

    @Test("the command and the Reader agree on a rendered flag, context by context")
    func agreesWithReader() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-flag-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        let written = try run([
            "write", "--format", "runtime", "--target", "de", "--out", out.path, "--root", repositoryRoot.path,
        ])
        #expect(written.status == 0, "\(written.stderr)")
        let features = try OptionsStore(directory: out.path).features("seer")
        for id in 0..<40 {
            let context = FeatureContext(
                [
                    "organization_id": .integer(Int64(id)), "organization_is_early_adopter": .bool(id % 3 != 0),
                    "organization_plan": .string(id % 2 == 0 ? "Business" : "team"),
                ], identityFields: ["organization_id"])
            let result = try run([
                "flag", "seer", flag, "--target", "de", "--format", "json", "--identity-fields", "organization_id",
                "--context", "organization_id=\(id)", "--context", "organization_is_early_adopter=\(id % 3 != 0)",
                "--context", "organization_plan=\(id % 2 == 0 ? "Business" : "team")", "--root", repositoryRoot.path,
            ])
            let enabled = features.isEnabled(flag, context: context)
            #expect(result.stdout.contains(#""enabled":\#(enabled)"#), "organization \(id): \(result.stdout)")
            #expect(result.stdout.hasPrefix(#"{"bucket":\#(context.bucket),"#))
        }
    }

    @Test("an unknown flag or namespace exits 1; bad context arguments exit 2")
    func errors() throws {
        let unknownFlag = try run(["flag", "seer", "nope", "--target", "us", "--root", repositoryRoot.path])
        #expect(unknownFlag.status == 1)
        #expect(unknownFlag.stderr.contains("Unknown feature flag 'nope' in namespace 'seer'"))
        #expect(try run(["flag", "nope", flag, "--target", "us", "--root", repositoryRoot.path]).status == 1)
        #expect(try run(["flag", "seer", flag, "--target", "eu", "--root", repositoryRoot.path]).status == 1)
        let notObject = try run(["flag", "seer", flag, "--target", "us", "--context-json", "[1]"])
        #expect(notObject.status == 2)
        #expect(notObject.stderr.contains("--context-json must be a JSON object"))
        #expect(try run(["flag", "seer", flag, "--target", "us", "--context", "novalue"]).status == 2)
    }
}
