import Foundation
import OptionsSchema
import Testing

@testable import Pipeline

/// A git repository built by the test with the `git` command, removed afterwards.
final class GitFixture {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-git-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    @discardableResult
    func git(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid"] + arguments
        process.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_DATE"] = "2026-01-14T00:00:00Z"
        environment["GIT_COMMITTER_DATE"] = "2026-01-14T00:00:00Z"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        process.environment = environment
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw FixtureError(message: "git \(arguments) failed") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    func commit(_ message: String) throws -> String {
        try git("add", "-A")
        try git("commit", "-q", "-m", message)
        return try git("rev-parse", "HEAD")
    }

    func source(_ revision: String, root subdirectory: String = "") throws -> GitTreeSource {
        let path = subdirectory.isEmpty ? root.path : root.appendingPathComponent(subdirectory).path
        return try GitTreeSource(discoveringFrom: path, revision: revision, currentDirectory: "/")
    }
}

struct FixtureError: Error {
    var message: String
}

/// Three commits: a valid tree; a bad value plus a removed file; a fix on a branch, tagged.
func historyFixture() throws -> (GitFixture, [String]) {
    let fixture = try GitFixture()
    try fixture.write("schemas/test/schema.json", cliSchema)
    try fixture.write("option-values/test/default/values.yaml", "options:\n  int_val: 1\n")
    try fixture.write("option-values/test/us/values.yaml", "options:\n  int_val: 2\n")
    try fixture.write("option-values/test/us/extra.yaml", "options:\n  string_val: x\n")
    let first = try fixture.commit("valid")
    try fixture.write("option-values/test/us/values.yaml", "options:\n  int_val: \"two\"\n")
    try fixture.remove("option-values/test/us/extra.yaml")
    let second = try fixture.commit("bad value, extra.yaml removed")
    try fixture.git("tag", "v2")
    try fixture.git("checkout", "-q", "-b", "fix", first)
    try fixture.write("option-values/test/us/values.yaml", "options:\n  int_val: 3\n")
    let third = try fixture.commit("fix on a branch")
    try fixture.git("checkout", "-q", "main")
    return (fixture, [first, second, third])
}

@Suite("Reading git revisions through libgit2")
struct GitTreeSourceTests {
    @Test("resolves HEAD, HEAD~1, branches, tags, short and full SHAs, and A...B as the merge base")
    func revisions() throws {
        let (fixture, commits) = try historyFixture()
        let repository = try Repository(discoveringFrom: fixture.root.path)
        #expect(try repository.resolve("HEAD").sha == commits[1])
        #expect(try repository.resolve("HEAD~1").sha == commits[0])
        #expect(try repository.resolve("main").sha == commits[1])
        #expect(try repository.resolve("fix").sha == commits[2])
        #expect(try repository.resolve("v2").sha == commits[1])
        #expect(try repository.resolve(String(commits[2].prefix(7))).sha == commits[2])
        #expect(try repository.resolve(commits[0]).sha == commits[0])
        #expect(try repository.resolve("main...fix").sha == commits[0])
        #expect(try repository.resolve("HEAD").time == 1_768_348_800)
    }

    @Test("lists the paths two revisions differ in: changed, deleted and added files")
    func changedPaths() throws {
        let (fixture, commits) = try historyFixture()
        let repository = try Repository(discoveringFrom: fixture.root.path)
        let first = try repository.resolve(commits[0])
        #expect(
            try repository.changedPaths(from: first, to: try repository.resolve("main")) == [
                "option-values/test/us/extra.yaml", "option-values/test/us/values.yaml",
            ])
        #expect(
            try repository.changedPaths(from: first, to: try repository.resolve("fix")) == [
                "option-values/test/us/values.yaml"
            ])
        #expect(try repository.changedPaths(from: first, to: first).isEmpty)
        try fixture.write("schemas/new/schema.json", cliSchema)
        _ = try fixture.commit("a namespace added")
        #expect(
            try repository.changedPaths(from: try repository.resolve("HEAD~1"), to: try repository.resolve("HEAD")) == [
                "schemas/new/schema.json"
            ])
    }

    @Test("tree comparison agrees with git diff --name-only, also when a directory becomes a file")
    func changedPathsLikeGit() throws {
        let (fixture, _) = try historyFixture()
        let repository = try Repository(discoveringFrom: fixture.root.path)
        let before = try repository.resolve("HEAD")
        try fixture.remove("option-values/test/us")
        try fixture.remove("option-values/test/default/values.yaml")
        try fixture.write("option-values/test/us", "now a file\n")
        try fixture.write("option-values/other/default/values.yaml", "options: {}\n")
        let after = try repository.resolve(try fixture.commit("directory replaced by a file, namespace added"))
        let git = try fixture.git("diff", "--name-only", before.sha, after.sha)
        let expected = git.split(separator: "\n").map(String.init).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        #expect(try repository.changedPaths(from: before, to: after) == expected)
        #expect(expected.contains("option-values/test/us") && expected.contains("option-values/test/us/values.yaml"))
        #expect(try repository.changedPaths(from: after, to: before) == expected)
    }

    @Test("lists the paths the working tree differs in from a revision: modified, deleted and untracked files")
    func changedInWorkingTree() throws {
        let (fixture, _) = try historyFixture()
        let repository = try Repository(discoveringFrom: fixture.root.path)
        let head = try repository.resolve("HEAD")
        #expect(try repository.changedPathsInWorkingTree(from: head).isEmpty)
        try fixture.write("option-values/test/us/values.yaml", "options:\n  int_val: 77\n")
        try fixture.write("option-values/test/de/values.yaml", "options:\n  int_val: 1\n")
        try fixture.remove("option-values/test/default/values.yaml")
        #expect(
            try repository.changedPathsInWorkingTree(from: head) == [
                "option-values/test/de/values.yaml", "option-values/test/default/values.yaml",
                "option-values/test/us/values.yaml",
            ])
    }

    @Test("a bad revision or a directory outside any repository is a clear error")
    func errors() throws {
        let (fixture, _) = try historyFixture()
        let repository = try Repository(discoveringFrom: fixture.root.path)
        #expect(throws: GitError.self) { try repository.resolve("nosuchrev") }
        do {
            _ = try repository.resolve("nosuchrev")
        } catch {
            #expect(error.message.hasPrefix("unknown revision 'nosuchrev'"))
        }
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-nogit-\(UUID())")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        #expect(throws: GitError.self) { try Repository(discoveringFrom: outside.path) }
    }

    @Test("lists and reads the tree of each revision, never the working tree")
    func readsRevisions() throws {
        let (fixture, _) = try historyFixture()
        // The working tree says something else again; none of it may be read.
        try fixture.write("option-values/test/us/values.yaml", "options:\n  int_val: 99\n")
        try fixture.write("option-values/test/us/untracked.yaml", "options: {}\n")
        let old = try fixture.source("HEAD~1")
        #expect(try old.entries(of: "option-values/test/us").map(\.name) == ["extra.yaml", "values.yaml"])
        #expect(try old.contents(of: "option-values/test/us/values.yaml") == Array("options:\n  int_val: 2\n".utf8))
        let head = try fixture.source("HEAD")
        #expect(try head.entries(of: "option-values/test/us").map(\.name) == ["values.yaml"])
        #expect(head.kind(of: "option-values/test/us/extra.yaml") == nil)
        #expect(head.kind(of: "option-values/test") == .directory)
        #expect(head.kind(of: "schemas/test/schema.json") == .file)
        #expect(throws: SourceError.notFound(head.displayPath("option-values/test/us/extra.yaml"))) {
            try head.contents(of: "option-values/test/us/extra.yaml")
        }
        #expect(throws: SourceError.notFound(head.displayPath("nope"))) { try head.entries(of: "nope") }
    }

    @Test("lint at a revision sees that revision's errors only")
    func lintAtRevisions() async throws {
        let (fixture, _) = try historyFixture()
        let clean = try await Linter(source: try fixture.source("HEAD~1")).lint()
        #expect(clean.diagnostics.isEmpty)
        #expect(clean.valuesFileCount == 3)
        let bad = try await Linter(source: try fixture.source("main")).lint()
        let prefix = fixture.root.path + "/"
        #expect(
            bad.errors.map { "\($0.file ?? ""):\($0.position?.description ?? "")" } == [
                prefix + "option-values/test/us/values.yaml:2:12"
            ])
        let fixed = try await Linter(source: try fixture.source("fix")).lint()
        #expect(fixed.diagnostics.isEmpty)
    }

    @Test("a root below the repository root reads that subdirectory of the revision")
    func subdirectoryRoot() async throws {
        let fixture = try GitFixture()
        try fixture.write("config/schemas/test/schema.json", cliSchema)
        try fixture.write("config/option-values/test/default/values.yaml", "options:\n  bool_val: 1\n")
        _ = try fixture.commit("nested")
        let source = try fixture.source("HEAD", root: "config")
        #expect(source.prefix == "config")
        let report = try await Linter(source: source).lint()
        #expect(report.errors.map(\.code) == [.typeMismatch])
    }

    @Test("a corrupt blob is an unreadable-file error, not a crash")
    func corruptBlob() throws {
        let fixture = try GitFixture()
        try fixture.write("schemas/test/schema.json", cliSchema)
        try fixture.write("option-values/test/default/values.yaml", "options:\n  int_val: 12345\n")
        _ = try fixture.commit("one")
        let blob = try fixture.git("rev-parse", "HEAD:option-values/test/default/values.yaml")
        let object = fixture.root.appendingPathComponent(".git/objects/\(blob.prefix(2))/\(blob.dropFirst(2))")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: object.path)
        try Data("not a zlib stream".utf8).write(to: object)
        let source = try fixture.source("HEAD")
        #expect(throws: SourceError.self) { try source.contents(of: "option-values/test/default/values.yaml") }
    }
}

@Suite("Linting a second revision from the namespaces of the first")
struct LintCacheTests {
    /// Three namespaces; the second commit changes one value of `b` and breaks a value of `c`.
    func fixture() throws -> GitFixture {
        let fixture = try GitFixture()
        for namespace in ["a", "b", "c"] {
            try fixture.write("schemas/\(namespace)/schema.json", cliSchema)
            try fixture.write("option-values/\(namespace)/default/values.yaml", "options:\n  int_val: 1\n")
            try fixture.write("option-values/\(namespace)/us/values.yaml", "options:\n  string_val: x\n")
        }
        _ = try fixture.commit("one")
        try fixture.write("option-values/b/us/values.yaml", "options:\n  string_val: y\n")
        try fixture.write("option-values/c/default/values.yaml", "options:\n  int_val: one\n")
        _ = try fixture.commit("two")
        return fixture
    }

    @Test("a cached lint reports exactly what a fresh one does, and reads only the namespaces that changed")
    func sameReport() async throws {
        let fixture = try fixture()
        let head = try fixture.source("HEAD")
        let base = try fixture.source("HEAD~1")
        #expect(head.contentID(of: "schemas/a") == base.contentID(of: "schemas/a"))
        #expect(head.contentID(of: "option-values/b") != base.contentID(of: "option-values/b"))
        #expect(head.contentID(of: "option-values/nope") == nil)
        let cache = LintCache()
        var headLinter = Linter(source: head, retainsValues: true)
        headLinter.cache = cache
        let headReport = try await headLinter.lint()
        #expect(cache.namespaces.withLock { $0.count } == 3)
        #expect(cache.schemas.withLock { $0.count } == 3)
        #expect(cache.files.withLock { $0.count } == 6)
        var baseLinter = Linter(source: base, retainsValues: true)
        baseLinter.cache = cache
        let cached = try await baseLinter.lint()
        #expect(cache.namespaces.withLock { $0.count } == 5, "a reused, b and c read again")
        #expect(cache.schemas.withLock { $0.count } == 3, "the schemas of b and c reused")
        #expect(cache.files.withLock { $0.count } == 8, "b/default and c/us reused, b/us and c/default checked")
        let fresh = try await Linter(source: base, retainsValues: true).lint()
        let render = { (report: LintReport) in
            DiagnosticRenderer(toolVersion: "t").render(report.diagnostics, as: .text)
        }
        #expect(render(cached) == render(fresh))
        #expect(render(cached).isEmpty && !render(headReport).isEmpty, "the base is valid, the head is not")
        #expect(cached.values.keys.sorted() == fresh.values.keys.sorted())
        for (namespace, files) in fresh.values {
            #expect(cached.values[namespace]?.map(\.displayPath) == files.map(\.displayPath))
            #expect(
                cached.values[namespace]?.map { $0.options.map { JSONWriter.compact($0.value) } }
                    == files.map { $0.options.map { JSONWriter.compact($0.value) } })
        }
    }

    @Test("a values file is checked again when the schema it is checked against changed")
    func schemaChangeInvalidatesFiles() async throws {
        let fixture = try GitFixture()
        try fixture.write("schemas/a/schema.json", cliSchema)
        try fixture.write("option-values/a/default/values.yaml", "options:\n  int_val: 1\n")
        _ = try fixture.commit("one")
        try fixture.write(
            "schemas/a/schema.json",
            cliSchema.replacingOccurrences(
                of: #""int_val": {"type": "integer", "default": 0"#,
                with: #""int_val": {"type": "string", "default": """#))
        _ = try fixture.commit("two")
        let head = try fixture.source("HEAD")
        let base = try fixture.source("HEAD~1")
        #expect(head.contentID(of: "option-values/a/default/values.yaml") != nil)
        #expect(
            head.contentID(of: "option-values/a/default/values.yaml")
                == base.contentID(of: "option-values/a/default/values.yaml"))
        let cache = LintCache()
        var headLinter = Linter(source: head, retainsValues: true)
        headLinter.cache = cache
        let headReport = try await headLinter.lint()
        var baseLinter = Linter(source: base, retainsValues: true)
        baseLinter.cache = cache
        let baseReport = try await baseLinter.lint()
        #expect(headReport.errorCount == 1, "1 is not a string in the head")
        #expect(baseReport.errorCount == 0, "the same file is valid against the base schema")
        #expect(cache.files.withLock { $0.count } == 2)
    }

    @Test("diff of every namespace finds what the diff of the touched ones finds")
    func allEqualsTouched() async throws {
        let fixture = try fixture()
        let differ = Differ(base: try fixture.source("HEAD~1"), head: try fixture.source("HEAD"))
        let all = try await differ.diff()
        let touched = try await differ.diff(namespaces: ["b", "c"])
        #expect(all.targets.map { "\($0.namespace)/\($0.target)" } == ["b/us", "c/default", "c/us"])
        #expect(all.targets.map(\.namespace) == touched.targets.map(\.namespace))
        #expect(all.targets.map { $0.changes.map(\.key) } == touched.targets.map { $0.changes.map(\.key) })
        #expect(all.diagnostics.count == touched.diagnostics.count && !all.diagnostics.isEmpty)
    }
}
