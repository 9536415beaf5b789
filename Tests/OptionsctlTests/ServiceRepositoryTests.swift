import Foundation
import Testing

/// A service repository: schemas at `sentry-options/schemas` (or `path`), no `option-values/`, one commit per
/// entry of `commits` (namespace → option → (type, default JSON)). Returns the repository and the commit SHAs.
func serviceRepository(
    _ commits: [[String: [String: (String, String)]]], path: String = "sentry-options/schemas"
) throws -> (root: URL, shas: [String]) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-service-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    try runGit(["init", "-q", "-b", "main"], in: root)
    try "service code\n".write(to: root.appendingPathComponent("README"), atomically: true, encoding: .utf8)
    var shas: [String] = []
    for namespaces in commits {
        try? FileManager.default.removeItem(at: root.appendingPathComponent(path))
        for (namespace, options) in namespaces {
            let directory = root.appendingPathComponent(path).appendingPathComponent(namespace)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let properties = options.keys.sorted().map { key in
                let (type, value) = options[key]!
                let items = type == "array" ? #", "items": {"type": "integer"}"# : ""
                return #"    "\#(key)": {"type": "\#(type)", "default": \#(value), "description": "d"\#(items)}"#
            }
            try """
            {
              "version": "1.0",
              "type": "object",
              "properties": {
            \(properties.joined(separator: ",\n"))
              }
            }

            """.write(to: directory.appendingPathComponent("schema.json"), atomically: true, encoding: .utf8)
        }
        try runGit(["add", "-A"], in: root)
        try runGit(["commit", "-q", "--allow-empty", "-m", "change"], in: root)
        shas.append(try gitOutput(["rev-parse", "HEAD"], in: root))
    }
    return (root, shas)
}

/// What `git arguments` prints, trimmed.
func gitOutput(_ arguments: [String], in directory: URL) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = directory
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

@Suite("validate-schema-changes and diff in a service repository (reference §1.5, §4, tests §6.3)")
struct ServiceRepositoryTests {
    func validate(
        _ repository: (root: URL, shas: [String]), repo: String = "test", quiet: Bool = false,
        environment: [String: String] = [:], base: Int = 0, head: Int = 1
    ) throws -> Run {
        try runCLI(
            (quiet ? ["--quiet"] : []) + [
                "validate-schema-changes", "--base-sha", repository.shas[base], "--head-sha", repository.shas[head],
                "--repo", repo, "--report-deletions",
            ], in: repository.root, environment: environment)
    }

    @Test("identical schemas pass: 'No schema changes', an empty deletions line")
    func identical() throws {
        let repository = try serviceRepository([
            ["test": ["key1": ("string", #""test""#)]], ["test": ["key1": ("string", #""test""#)]],
        ])
        defer { try? FileManager.default.removeItem(at: repository.root) }
        let result = try validate(repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "\n")
        #expect(result.stderr.contains("INFO sentry_options_cli: No schema changes"))
        #expect(result.stderr.contains("INFO sentry_options_cli: Schema validation passed"))
    }

    @Test("a removed option passes and is reported on stdout; added options and namespaces pass")
    func removedAndAdded() throws {
        let repository = try serviceRepository([
            ["test": ["key1": ("string", #""test""#), "key2": ("integer", "42"), "key3": ("boolean", "true")]],
            ["test": ["key1": ("string", #""test""#), "key4": ("integer", "1")], "test-new": ["a": ("integer", "1")]],
        ])
        defer { try? FileManager.default.removeItem(at: repository.root) }
        let result = try validate(repository)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "test:key2 test:key3\n")
        #expect(result.stderr.contains("Schema change detected change=- Option:\t test.key2"))
        #expect(result.stderr.contains("Schema change detected change=+ Namespace:\t test-new"))
        let quiet = try validate(repository, quiet: true)
        #expect(quiet.stdout == "test:key2 test:key3\n")
        #expect(quiet.stderr.isEmpty)
    }

    @Test(
        "forbidden changes fail with exit 1, each named at its place, and print no deletions",
        arguments: [
            (
                "string", #""test""#, "integer", "42",
                ["type changed from 'string' to 'integer'", "default value changed"]
            ),
            (
                "integer", "42", "number", "42.0",
                ["type changed from 'integer' to 'number'", "default value changed from 42 to 42.0"]
            ),
            (
                "string", #""old-value""#, "string", #""new-value""#,
                [#"default value changed from "old-value" to "new-value""#]
            ),
            ("array", "[1]", "array", "[2]", ["default value changed"]),
        ])
    func forbidden(oldType: String, oldDefault: String, newType: String, newDefault: String, messages: [String]) throws
    {
        let repository = try serviceRepository([
            ["test": ["key1": (oldType, oldDefault)]], ["test": ["key1": (newType, newDefault)]],
        ])
        defer { try? FileManager.default.removeItem(at: repository.root) }
        let result = try validate(repository)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        for message in messages {
            #expect(result.stderr.contains(message), "\(message) in \(result.stderr)")
        }
        #expect(result.stderr.contains("sentry-options/schemas/test/schema.json:"))
        #expect(
            result.stderr.contains(
                "Command failed error=Schema validation error: \(messages.count == 1 ? 1 : 2) validation error(s)"))
        #expect(!result.stderr.contains("--allow-forbidden"))
    }

    @Test("a removed namespace is forbidden; namespaces must be named <repo> or <repo>-*")
    func namespaces() throws {
        let removed = try serviceRepository([["test": ["key1": ("string", #""x""#)]], [:]])
        defer { try? FileManager.default.removeItem(at: removed.root) }
        let result = try validate(removed)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Namespace 'test' was removed"))
        let named = try serviceRepository([
            ["myrepo": ["a": ("integer", "1")]],
            [
                "myrepo": ["a": ("integer", "1")], "myrepo-testing": ["a": ("integer", "1")],
                "testing": ["a": ("integer", "1")],
            ],
        ])
        defer { try? FileManager.default.removeItem(at: named.root) }
        let naming = try validate(named, repo: "myrepo")
        #expect(naming.status == 1)
        #expect(
            naming.stderr.contains(
                "Namespace 'testing' is invalid. Expected either 'myrepo' or 'myrepo-*' (e.g., 'myrepo-testing')"))
        #expect(!naming.stderr.contains("Namespace 'myrepo-testing' is invalid"))
    }

    @Test("schemas missing at the base (first onboarding) are an empty set; SENTRY_OPTIONS_DIR moves them")
    func onboardingAndPath() throws {
        let repository = try serviceRepository([[:], ["svc": ["a": ("integer", "1")]]], path: "config/schemas")
        defer { try? FileManager.default.removeItem(at: repository.root) }
        let result = try validate(repository, repo: "svc", environment: ["SENTRY_OPTIONS_DIR": "config/schemas"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("change=+ Namespace:\t svc"))
        #expect(result.stderr.contains("change=+ Option:\t svc.a"))
        // The default path does not exist at either commit: no schema changes at all.
        let defaultPath = try validate(repository, repo: "svc")
        #expect(defaultPath.status == 0)
        #expect(defaultPath.stderr.contains("No schema changes"))
    }

    @Test("a commit missing locally is fetched from origin through libgit2; an unknown one is exit 1")
    func fetchesFromOrigin() throws {
        let origin = try serviceRepository([
            ["test": ["a": ("integer", "1"), "b": ("integer", "2")]], ["test": ["a": ("integer", "1")]],
        ])
        defer { try? FileManager.default.removeItem(at: origin.root) }
        // A branch the clone below does not take holds the head commit.
        try runGit(["branch", "-q", "feature"], in: origin.root)
        try runGit(["reset", "-q", "--hard", "HEAD~1"], in: origin.root)
        let clone = FileManager.default.temporaryDirectory.appendingPathComponent(
            "optionsctl-clone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: clone) }
        try runGit(
            ["clone", "-q", "--single-branch", "-b", "main", "file://" + origin.root.path, clone.path], in: origin.root)
        #expect(throws: (any Error).self) { try gitOutputChecked(["cat-file", "-t", origin.shas[1]], in: clone) }
        let result = try validate((clone, origin.shas))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "test:b\n")
        let unknown = try runCLI(
            [
                "validate-schema-changes", "--base-sha", origin.shas[0], "--head-sha",
                String(repeating: "1", count: 40), "--repo", "test",
            ],
            in: clone)
        #expect(unknown.status == 1)
        #expect(
            unknown.stderr.contains(
                "Command failed error=Git command failed: Failed to fetch 1111111111111111111111111111111111111111"))
    }

    @Test("optionsctl diff A...B --schemas <path> --repo NAME works in a repository without option-values/")
    func diffInServiceRepository() throws {
        let repository = try serviceRepository([
            ["seer": ["a": ("integer", "1"), "b": ("integer", "2")]],
            ["seer": ["a": ("integer", "1"), "c": ("string", #""x""#)]],
        ])
        defer { try? FileManager.default.removeItem(at: repository.root) }
        let result = try run(
            ["diff", "HEAD~1...HEAD", "--schemas", "sentry-options/schemas", "--repo", "seer"], in: repository.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("- Option: seer.b"))
        #expect(result.stdout.contains("+ Option: seer.c"))
        let wrongName = try run(
            ["diff", "HEAD~1...HEAD", "--schemas", "sentry-options/schemas", "--repo", "relay"], in: repository.root)
        #expect(wrongName.status == 1)
        #expect(wrongName.stderr.contains("Namespace 'seer' is invalid. Expected either 'relay' or 'relay-*'"))
    }
}

/// `git arguments`, throwing when git fails.
func gitOutputChecked(_ arguments: [String], in directory: URL) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git"] + arguments
    process.currentDirectoryURL = directory
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    struct GitFailed: Error {}
    if process.terminationStatus != 0 { throw GitFailed() }
}
