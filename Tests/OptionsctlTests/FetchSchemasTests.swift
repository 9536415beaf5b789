import Foundation
import Testing

/// A scratch directory for one test.
func scratchDirectory(_ label: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
        "optionsctl-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}

/// `git http-backend` behind a small Python server on 127.0.0.1, serving the repositories under `root`.
final class SmartHTTPServer {
    let process = Process()
    let port: Int

    init(root: URL) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repositoryRoot.appendingPathComponent("Tests/OptionsctlTests/Fixtures/git-http-serve.py").path,
            root.path, "0",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            struct NoPort: Error {}
            throw NoPort()
        }
        self.port = port
    }

    /// Stops the server. SIGKILL: a child spawned from a test's worker thread inherits its blocked signals,
    /// SIGTERM among them.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

@Suite("fetch-schemas: pinned commits through libgit2, checked, written whole")
struct FetchSchemasTests {
    /// A service repository whose first commit has `namespace` with option `first`, and whose second commit (the
    /// default branch) renames it to `second`.
    func serviceWithTwoCommits(_ namespace: String, path: String = "sentry-options/schemas") throws -> (
        root: URL, shas: [String]
    ) {
        try serviceRepository(
            [[namespace: ["first": ("integer", "1")]], [namespace: ["second": ("integer", "2")]]], path: path)
    }

    func reposJSON(_ entries: [(name: String, url: String, path: String, sha: String?)], in directory: URL) throws {
        let text = entries.map { entry in
            let sha = entry.sha.map { #", "sha": "\#($0)""# } ?? ""
            return #""\#(entry.name)": {"url": "\#(entry.url)", "path": "\#(entry.path)"\#(sha)}"#
        }.joined(separator: ", ")
        try #"{"repos": {\#(text)}}"#.write(
            to: directory.appendingPathComponent("repos.json"), atomically: true, encoding: .utf8)
    }

    @Test("the pinned commit is read, not the default branch; a second run takes it from the cache")
    func pinnedAndCached() throws {
        let service = try serviceWithTwoCommits("seer")
        let work = try scratchDirectory("fetch")
        defer {
            try? FileManager.default.removeItem(at: service.root)
            try? FileManager.default.removeItem(at: work)
        }
        try reposJSON([("seer", "file://" + service.root.path, "sentry-options/schemas/", service.shas[0])], in: work)
        let first = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
            in: work)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("seer at \(service.shas[0].prefix(12)) (fetched): seer"))
        let schema = try String(contentsOf: work.appendingPathComponent("schemas/seer/schema.json"), encoding: .utf8)
        #expect(schema.contains(#""first""#))
        #expect(!schema.contains(#""second""#))
        // The origin is gone: the cache alone serves the pinned commit.
        try FileManager.default.removeItem(at: service.root)
        let second = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "again", "--cache", "cache", "--allow-local"], in: work
        )
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("(from the cache)"))
        #expect(
            try Data(contentsOf: work.appendingPathComponent("again/seer/schema.json"))
                == Data(contentsOf: work.appendingPathComponent("schemas/seer/schema.json")))
        let exists = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "again", "--cache", "cache", "--allow-local"], in: work
        )
        #expect(exists.status == 2)
        #expect(exists.stderr.contains("Output directory already exists: again"))
    }

    @Test("file:// URLs and local paths are refused unless --allow-local is given")
    func refusesLocal() throws {
        let service = try serviceWithTwoCommits("seer")
        let work = try scratchDirectory("fetch")
        defer {
            try? FileManager.default.removeItem(at: service.root)
            try? FileManager.default.removeItem(at: work)
        }
        for url in ["file://" + service.root.path, service.root.path, "../\(service.root.lastPathComponent)"] {
            try reposJSON([("seer", url, "sentry-options/schemas", service.shas[0])], in: work)
            let refused = try run(
                ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache"], in: work)
            #expect(refused.status == 1, "\(url)")
            #expect(
                refused.stderr.contains(
                    "is a repository on this machine; only remote repositories are fetched unless --allow-local is given"
                ))
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("schemas").path))
        }
    }

    @Test("without a pin the remote's HEAD is read, with a warning")
    func unpinned() throws {
        let service = try serviceWithTwoCommits("seer")
        let work = try scratchDirectory("fetch")
        defer {
            try? FileManager.default.removeItem(at: service.root)
            try? FileManager.default.removeItem(at: work)
        }
        try reposJSON([("seer", service.root.path, "sentry-options/schemas", nil)], in: work)
        let result = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
            in: work)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("warning: seer: no 'sha' pin: read the default branch at \(service.shas[1])"))
        let schema = try String(contentsOf: work.appendingPathComponent("schemas/seer/schema.json"), encoding: .utf8)
        #expect(schema.contains(#""second""#))
    }

    @Test("a bad pin, a missing path, an invalid schema and a collision: each named, nothing written")
    func failures() throws {
        let seer = try serviceWithTwoCommits("seer")
        let other = try serviceWithTwoCommits("seer", path: "schemas")
        let broken = try serviceRepository([["relay": ["a": ("integer", #""not a number""#)]]])
        let work = try scratchDirectory("fetch")
        defer {
            for url in [seer.root, other.root, broken.root, work] { try? FileManager.default.removeItem(at: url) }
        }
        func attempt(_ entries: [(name: String, url: String, path: String, sha: String?)]) throws -> Run {
            try reposJSON(entries, in: work)
            let result = try run(
                ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
                in: work)
            #expect(result.status == 1, "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("schemas").path))
            #expect(result.stderr.contains("nothing written"))
            return result
        }
        let missingCommit = String(repeating: "ab", count: 20)
        let badPin = try attempt([("seer", "file://" + seer.root.path, "sentry-options/schemas", missingCommit)])
        #expect(
            badPin.stderr.contains("seer: cannot fetch file://\(seer.root.path): commit \(missingCommit) is not in"))
        let badPath = try attempt([("seer", "file://" + seer.root.path, "nowhere", seer.shas[1])])
        #expect(badPath.stderr.contains("seer: Schemas path does not exist: nowhere"))
        let invalid = try attempt([("relay", "file://" + broken.root.path, "sentry-options/schemas", broken.shas[0])])
        #expect(invalid.stderr.contains("relay@\(broken.shas[0].prefix(12)):sentry-options/schemas/relay/schema.json:"))
        #expect(invalid.stderr.contains("default value does not match schema"))
        let collision = try attempt([
            ("seer", "file://" + seer.root.path, "sentry-options/schemas", seer.shas[1]),
            ("seer-fork", "file://" + other.root.path, "schemas", other.shas[1]),
        ])
        #expect(
            collision.stderr.contains(
                "namespace 'seer' is provided by both 'seer' and 'seer-fork'; each namespace must come from one repository"
            ))
    }

    @Test("plain files and directories without schema.json are skipped, as the reference copies them")
    func skipsWhatIsNotASchema() throws {
        let service = try serviceRepository([["relay": ["a": ("integer", "1")]]])
        let work = try scratchDirectory("fetch")
        defer {
            try? FileManager.default.removeItem(at: service.root)
            try? FileManager.default.removeItem(at: work)
        }
        let schemas = service.root.appendingPathComponent("sentry-options/schemas")
        try "notes\n".write(to: schemas.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: schemas.appendingPathComponent("empty"), withIntermediateDirectories: true)
        try "\n".write(to: schemas.appendingPathComponent("empty/.keep"), atomically: true, encoding: .utf8)
        try runGit(["add", "-A"], in: service.root)
        try runGit(["commit", "-q", "-m", "extras"], in: service.root)
        let sha = try gitOutput(["rev-parse", "HEAD"], in: service.root)
        try reposJSON([("relay", service.root.path, "sentry-options/schemas", sha)], in: work)
        let result = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
            in: work)
        #expect(result.status == 0, "\(result.stderr)")
        let written = try FileManager.default.contentsOfDirectory(atPath: work.appendingPathComponent("schemas").path)
        #expect(written == ["relay"])
        let missing = try run(["fetch-schemas", "--config", "nope.json", "--out", "schemas2"], in: work)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("nope.json"))
    }

    @Test(
        "repos.json is read as strictly as the reference reads it, every problem at its place",
        arguments: [
            (
                #"{"repos": {"a": {"url": "u", "path": "p", "unknown_field": 1}}}"#,
                "unknown field `unknown_field`, expected one of `url`, `path`, `sha`"
            ),
            (#"{"repos": {"a": {"url": "u"}}}"#, "missing field `path`"),
            (#"{ invalid json }"#, "JSON error:"),
            (
                #"{"repos": {"a": {"url": "u", "path": "p", "sha": "abc123"}}}"#,
                "'sha' must be a full 40-digit commit id"
            ),
            (#"{"repos": {"a": {"url": "u", "path": "../p"}}}"#, "'path' must stay inside the repository"),
            (#"{"repositories": {}}"#, "unknown field `repositories`, expected `repos`"),
        ])
    func strictConfig(text: String, message: String) throws {
        let work = try scratchDirectory("fetch")
        defer { try? FileManager.default.removeItem(at: work) }
        try text.write(to: work.appendingPathComponent("repos.json"), atomically: true, encoding: .utf8)
        let result = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
            in: work)
        #expect(result.status == 1)
        #expect(result.stderr.contains("repos.json:1:"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        let empty = try scratchDirectory("fetch")
        defer { try? FileManager.default.removeItem(at: empty) }
        try #"{"repos": {}}"#.write(to: empty.appendingPathComponent("repos.json"), atomically: true, encoding: .utf8)
        let none = try run(
            ["fetch-schemas", "--config", "repos.json", "--out", "schemas", "--cache", "cache", "--allow-local"],
            in: empty)
        #expect(none.status == 0, "\(none.stderr)")
    }

    @Test(
        "over smart HTTP on 127.0.0.1 (git http-backend): by commit id when the server allows it, else by its branches")
    func smartHTTP() throws {
        let served = try scratchDirectory("served")
        let service = try serviceWithTwoCommits("seer")
        let work = try scratchDirectory("fetch")
        defer {
            for url in [served, service.root, work] { try? FileManager.default.removeItem(at: url) }
        }
        try runGit(
            ["clone", "-q", "--bare", service.root.path, served.appendingPathComponent("seer.git").path], in: served)
        let server = try SmartHTTPServer(root: served)
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/seer.git"
        for allowsIDs in [false, true] {
            try runGit(
                ["config", "uploadpack.allowReachableSHA1InWant", allowsIDs ? "true" : "false"],
                in: served.appendingPathComponent("seer.git"))
            try reposJSON([("seer", url, "sentry-options/schemas", service.shas[0])], in: work)
            let out = "schemas-\(allowsIDs)"
            let result = try run(
                ["fetch-schemas", "--config", "repos.json", "--out", out, "--cache", "cache-\(allowsIDs)"], in: work)
            #expect(result.status == 0, "\(allowsIDs): \(result.stderr)")
            let schema = try String(contentsOf: work.appendingPathComponent("\(out)/seer/schema.json"), encoding: .utf8)
            #expect(schema.contains(#""first""#))
        }
        // The surface prints the reference's lines; "Cloned repo" even with --quiet.
        let compat = try runCLI(
            ["--quiet", "fetch-schemas", "--config", "repos.json", "--out", "compat", "--cache", "cache-true"], in: work
        )
        #expect(compat.status == 0, "\(compat.stderr)")
        #expect(compat.stderr == " INFO sentry_options_cli: Cloned repo repo=seer sha=\(service.shas[0])\n")
        let again = try runCLI(["fetch-schemas", "--config", "repos.json", "--out", "compat"], in: work)
        #expect(again.status == 1)
        #expect(again.stderr.contains("Command failed error=Output directory already exists: compat"))
    }
}
