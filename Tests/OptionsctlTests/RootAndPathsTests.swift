import Foundation
import Testing

@Suite("The root is found from a subdirectory; SARIF and annotations name files from the repository root")
struct RootAndPathsTests {
    @Test("every command works from inside the tree, with paths relative to where the user stands")
    func subdirectory() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: fast")
        defer { try? FileManager.default.removeItem(at: root) }
        try runGit(["init", "-q", "-b", "main"], in: root)
        let seer = root.appendingPathComponent("option-values/seer")
        let lint = try run(["lint"], in: seer)
        #expect(lint.status == 1)
        #expect(lint.stdout.hasPrefix("../../option-values/seer/us/values.yaml:3:23: error:"), "\(lint.stdout)")
        #expect(try run(["show", "relay", "--target", "us"], in: seer).status == 0)
        #expect(try run(["write", "--target", "us"], in: seer).status == 1, "the error is found from here too")
        #expect(
            try run(["lint", "--format", "github"], in: seer).stdout.hasPrefix(
                "::error file=option-values/seer/us/values.yaml,line=3,col=23,"))
        // Without a git repository, the nearest directory holding schemas/ and option-values/ is the root.
        try FileManager.default.removeItem(at: root.appendingPathComponent(".git"))
        #expect(try run(["lint"], in: root.appendingPathComponent("schemas/seer")).status == 1)
    }

    @Test("with an absolute --root, SARIF uses %SRCROOT% and repository-relative paths; so do annotations")
    func absoluteRoot() throws {
        let repository = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-repo-\(UUID())")
        defer { try? FileManager.default.removeItem(at: repository) }
        let tree = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: fast")
        try FileManager.default.createDirectory(at: repository, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: tree, to: repository.appendingPathComponent("config"))
        try runGit(["init", "-q", "-b", "main"], in: repository)
        let configRoot = repository.appendingPathComponent("config").path
        let sarif = try run(["lint", "--root", configRoot, "--format", "sarif"], in: URL(fileURLWithPath: "/"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        let runs = try #require(document["runs"] as? [[String: Any]])
        let results = try #require(runs.first?["results"] as? [[String: Any]])
        let location = try #require((results.first?["locations"] as? [[String: Any]])?.first)
        let artifact = try #require(
            (location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: String])
        #expect(artifact == ["uri": "config/option-values/seer/us/values.yaml", "uriBaseId": "%SRCROOT%"])
        let github = try run(["lint", "--root", configRoot, "--format", "github"])
        #expect(github.stdout.hasPrefix("::error file=config/option-values/seer/us/values.yaml,line=3,"))
        let text = try run(["lint", "--root", configRoot])
        #expect(text.stdout.hasPrefix(configRoot + "/option-values/seer/us/values.yaml:3:23:"), "text keeps --root")
    }
}
