import Foundation
import Testing

@Suite("optionsctl lint --staged: what the commit will contain")
struct StagedLintTests {
    func repository() throws -> URL { try committedExampleCopy() }

    @Test("nothing staged: nothing to check, exit 0")
    func nothingStaged() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["lint", "--staged"], in: root)
        #expect(result.status == 0)
        #expect(result.stderr.contains("no staged change to schemas or values"))
    }

    @Test("a staged deletion of a namespace's default target is an error")
    func deletedDefault() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        try runGit(["rm", "-rq", "option-values/snuba/default"], in: root)
        let result = try run(["lint", "--staged"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Namespace 'snuba' is missing required 'default' target"))
        #expect(result.stderr.contains("in 1 schema and 2 values files staged"), "\(result.stderr)")
    }

    @Test("a staged file over the size limit is an error for that file; the other files are still checked")
    func oversizeStagedFile() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let big = Data("options:\n".utf8) + Data(repeating: UInt8(ascii: "#"), count: 17 << 20)
        try big.write(to: root.appendingPathComponent("option-values/seer/us/big.yaml"))
        try replace(
            "autofix.rate_limit: 200", with: "autofix.rate_limit: fast",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        try runGit(["add", "-A"], in: root)
        let result = try run(["lint", "--staged"], in: root)
        #expect(result.status == 1, "\(result.stderr)")
        #expect(
            result.stdout.contains(
                "option-values/seer/us/big.yaml: error: cannot read 'option-values/seer/us/big.yaml': git object"))
        #expect(result.stdout.contains("over the limit of 16777216 (raise it with --max-file-size) [unreadable-file]"))
        #expect(result.stdout.contains("option-values/seer/us/values.yaml:3:23: error:"), "the rest is checked")
        let raised = try run(["lint", "--staged", "--max-file-size", "32M"], in: root)
        #expect(!raised.stdout.contains("[unreadable-file]"))
        #expect(raised.stdout.contains("option-values/seer/us/values.yaml:3:23: error:"))
    }

    @Test("the index is checked, not the working tree")
    func indexNotWorkingTree() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let values = root.appendingPathComponent("option-values/seer/us/values.yaml")
        try replace("autofix.rate_limit: 200", with: "autofix.rate_limit: fast", in: values)
        #expect(try run(["lint", "--staged"], in: root).status == 0, "an unstaged error is not in the commit")
        try runGit(["add", "-A"], in: root)
        let staged = try run(["lint", "--staged"], in: root)
        #expect(staged.status == 1)
        #expect(staged.stdout.contains("option-values/seer/us/values.yaml:3:23: error:"))
        // Fixed in the working tree but not staged: the commit would still carry the error.
        try replace("autofix.rate_limit: fast", with: "autofix.rate_limit: 200", in: values)
        #expect(try run(["lint", "--staged"], in: root).status == 1)
        #expect(try run(["lint"], in: root).status == 0)
    }

    @Test("a removed schema option whose values remain fails under --strict; a rename is checked at its new place")
    func removedOptionAndRename() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        let schema = root.appendingPathComponent("schemas/relay/schema.json")
        let text = try String(contentsOf: schema, encoding: .utf8)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var properties = try #require(object["properties"] as? [String: Any])
        #expect(properties.removeValue(forKey: "processing.enabled") != nil)
        object["properties"] = properties
        try JSONSerialization.data(withJSONObject: object).write(to: schema)
        try runGit(["add", "-A"], in: root)
        let result = try run(["lint", "--staged", "--strict"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.contains("Ignoring unknown option 'processing.enabled'"))
        try runGit(["reset", "-q", "--hard"], in: root)
        try runGit(["mv", "option-values/seer/us", "option-values/seer/US"], in: root)
        let renamed = try run(["lint", "--staged"], in: root)
        #expect(renamed.status == 1)
        #expect(renamed.stdout.contains("option-values/seer/US"), "\(renamed.stdout)")
    }

    @Test("--staged takes no paths and no --rev")
    func usage() throws {
        let root = try repository()
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(["lint", "--staged", "schemas/seer/schema.json"], in: root).status == 2)
        #expect(try run(["lint", "--staged", "--rev", "HEAD"], in: root).status == 2)
    }
}
