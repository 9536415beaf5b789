import Foundation
import Testing

/// Rendered output compared byte for byte with checked-in files under `Golden/<case>/`.
/// Re-record with `OPTIONSCTL_RECORD_GOLDEN=1 swift test --filter GoldenTests`, then review the diff.
@Suite("Golden files: rendered output, byte for byte")
struct GoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let tricky = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/tricky").path

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var arguments: [String]
        /// Whether the output is standard output (stored as `stdout`) rather than a directory.
        var isStdout = false
        /// Whether to run with the repository root as the current directory.
        var runsInRepository = false
        var description: String { name }
    }

    static let fixed = ["--generated-at", "2026-01-14T00:00:00Z"]
    static let commit = [
        "--commit-sha", "0975c393ca55d59801664218febbe3f507c2d21f", "--commit-timestamp", "1768348800",
    ]

    static let cases: [Case] = [
        Case(
            name: "example-json",
            arguments: ["write", "--format", "json", "--all-targets", "--root", repositoryRoot.path] + fixed),
        Case(
            name: "example-configmap",
            arguments: ["write", "--format", "configmap", "--all-targets", "--root", repositoryRoot.path] + fixed
                + commit),
        Case(
            name: "example-runtime",
            arguments: ["write", "--format", "runtime", "--target", "us", "--root", repositoryRoot.path] + fixed),
        // Run from the repository root, so the file paths in the output are relative and the same on every machine.
        Case(
            name: "example-show-seer-de", arguments: ["show", "seer", "--target", "de", "--format", "json"],
            isStdout: true, runsInRepository: true),
        Case(name: "tricky-json", arguments: ["write", "--format", "json", "--all-targets", "--root", tricky] + fixed),
        Case(
            name: "tricky-configmap-stream",
            arguments: ["write", "--format", "configmap", "--target", "us", "--root", tricky] + fixed + commit,
            isStdout: true),
    ]

    /// Every regular file below `directory`, relative path → bytes.
    func files(in directory: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            return result
        }
        for case let url as URL in enumerator {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if !isDirectory.boolValue {
                let relative = String(
                    url.standardizedFileURL.path.dropFirst(directory.standardizedFileURL.path.count + 1))
                result[relative] = try Data(contentsOf: url)
            }
        }
        return result
    }

    @Test("matches the recorded output", arguments: cases)
    func matches(_ testCase: Case) throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-golden-\(UUID())")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = testCase.arguments
        if !testCase.isStdout { arguments += ["--out", out.path] }
        let result = try run(arguments, in: testCase.runsInRepository ? repositoryRoot : nil)
        #expect(result.status == 0, "\(result.stderr)")
        if testCase.isStdout {
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try Data(result.stdout.utf8).write(to: out.appendingPathComponent("stdout"))
        }
        let expectedDirectory = Self.golden.appendingPathComponent(testCase.name)
        if ProcessInfo.processInfo.environment["OPTIONSCTL_RECORD_GOLDEN"] != nil {
            try? FileManager.default.removeItem(at: expectedDirectory)
            try FileManager.default.createDirectory(
                at: expectedDirectory.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: out, to: expectedDirectory)
            return
        }
        let actual = try files(in: out)
        let expected = try files(in: expectedDirectory)
        #expect(!expected.isEmpty, "no golden files for \(testCase.name); record them")
        #expect(actual.keys.sorted() == expected.keys.sorted())
        for (name, bytes) in expected {
            #expect(actual[name] == bytes, "\(testCase.name)/\(name) differs from the golden file")
        }
    }
}

/// `diff` output in every format for one change of the example repository, byte for byte.
@Suite("Golden files: diff")
struct DiffGoldenTests {
    @Test(
        "text, json, markdown and github output of a change with fan-out, an override, changes inside values, a new and a removed target, an added option and a forbidden default change"
    )
    func diff() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        // Fixed identities and dates make the commit id, and so the output, the same on every machine.
        let environment = [
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_AUTHOR_DATE": "2026-01-14T00:00:00Z",
            "GIT_COMMITTER_DATE": "2026-01-14T00:00:00Z",
        ]
        for arguments in [["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "example"]] {
            try runGit(arguments, in: root, environment: environment)
        }
        try replace(
            "inference.request_timeout_seconds: 30", with: "inference.request_timeout_seconds: 45",
            in: root.appendingPathComponent("option-values/seer/default/values.yaml"))
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: 99",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        // Inside values: a feature-flag segment, an array of scalars, a struct field; and a new target.
        try replace(
            "rollout: 25", with: "rollout: 50",
            in: root.appendingPathComponent("option-values/seer/default/autofix.yaml"))
        try replace(
            "[1, 447951, 1267915]", with: "[1, 1267915, 12]",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        try replace(
            "max_attempts: 5", with: "max_attempts: 6",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("option-values/snuba/de"), withIntermediateDirectories: true)
        try Data("options:\n  consumer.max_batch_size: 5\n".utf8).write(
            to: root.appendingPathComponent("option-values/snuba/de/values.yaml"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("option-values/snuba/s4s"))
        let schema = root.appendingPathComponent("schemas/seer/schema.json")
        try replace(
            #""properties": {\#n    "autofix.enabled""#,
            with:
                #""properties": {"autofix.max_retries": {"type": "integer", "default": 3, "description": "Retries."}, "autofix.enabled""#,
            in: schema)
        try replace(#""default": 30,"#, with: #""default": 31,"#, in: schema)

        let directory = GoldenTests.golden.appendingPathComponent("example-diff")
        let record = ProcessInfo.processInfo.environment["OPTIONSCTL_RECORD_GOLDEN"] != nil
        if record { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        for format in ["text", "json", "markdown", "github"] {
            let result = try run(["diff", "--format", format], in: root)
            #expect(result.status == 1, "the default change in the schema is forbidden")
            let file = directory.appendingPathComponent(format)
            if record {
                try Data(result.stdout.utf8).write(to: file)
            } else {
                #expect(result.stdout == (try String(contentsOf: file, encoding: .utf8)), "example-diff/\(format)")
            }
        }
    }
}
