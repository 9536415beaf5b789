import Foundation
import Testing

@Suite("the commands for people who write options, on a generated corpus")
struct GeneratedCorpusTests {
    /// ci/bench/gen_corpus.py's small corpus (5 namespaces × 50 options, 3 targets).
    func corpus() throws -> (root: URL, firstNamespace: String, namespaces: Int, files: Int) {
        let root = try scratchDirectory("corpus")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", repositoryRoot.appendingPathComponent("ci/bench/gen_corpus.py").path, "--size", "small", "--out",
            root.path, "--force",
        ]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stats =
            try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("corpus.json")))
            as! [String: Any]
        return (root, stats["ns0"] as! String, stats["namespaces"] as! Int, stats["values_files"] as! Int)
    }

    @Test("describe, list, docs, schema export, generate swift, flags and lint --pedantic all run on it")
    func everyCommand() throws {
        let corpus = try corpus()
        defer { try? FileManager.default.removeItem(at: corpus.root) }
        let root = corpus.root
        let namespaces = try run(["list"], in: root)
        #expect(namespaces.stdout.split(separator: "\n").count == corpus.namespaces)
        let keys = try run(["list", "options", "--namespace", corpus.firstNamespace], in: root)
        #expect(keys.stdout.split(separator: "\n").count == 50)
        let describe = try run(["describe", corpus.firstNamespace, "--format", "json"], in: root)
        #expect(describe.status == 0, "\(describe.stderr)")
        let document = try JSONSerialization.jsonObject(with: Data(describe.stdout.utf8)) as! [String: Any]
        #expect((document["options"] as! [Any]).count == 50)
        #expect(document["targets"] as? [String] == ["default", "de", "us"])
        let docs = try run(["docs", "--out", "reference"], in: root)
        #expect(docs.status == 0, "\(docs.stderr)")
        #expect(docs.stderr.contains("wrote \(corpus.namespaces + 1) pages"))
        let export = try run(["schema", "export", "--out", "jsonschema"], in: root)
        #expect(export.status == 0, "\(export.stderr)")
        let swift = try run(
            ["generate", "swift", "--namespace", corpus.firstNamespace, "--out", "View.swift"], in: root)
        #expect(swift.status == 0, "\(swift.stderr)")
        let view = try String(contentsOf: root.appendingPathComponent("View.swift"), encoding: .utf8)
        #expect(view.components(separatedBy: "get throws(OptionsError)").count - 1 == 50)
        #expect(try run(["flags"], in: root).status == 0)
        let pedantic = try run(["lint", "--pedantic", "--format", "json"], in: root)
        #expect(pedantic.status == 0, "\(pedantic.stdout)")
    }
}
