import Foundation
import Testing

@Suite("optionsctl generate swift")
struct GenerateSwiftTests {
    @Test(
        "the views compiled in GeneratedAccessorsTests are what the generator writes today",
        arguments: ["seer", "relay", "snuba"])
    func committedViewsAreCurrent(namespace: String) throws {
        let file =
            "Tests/GeneratedAccessorsTests/Generated/\(namespace.prefix(1).uppercased() + namespace.dropFirst())Options.swift"
        let result = try run(
            ["generate", "swift", "--namespace", namespace, "--out", file, "--check"], in: repositoryRoot)
        #expect(result.status == 0, "regenerate with: optionsctl generate swift --namespace \(namespace) --out \(file)")
    }

    @Test("--type-name, a typo'd namespace, and a schema with errors")
    func options() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let named = try run(
            ["generate", "swift", "--namespace", "seer", "--out", "Sources/App/Seer.swift", "--type-name", "Seer"],
            in: root)
        #expect(named.status == 0, "\(named.stderr)")
        let text = try String(contentsOf: root.appendingPathComponent("Sources/App/Seer.swift"), encoding: .utf8)
        #expect(text.contains("public struct Seer: Sendable {"))
        let typo = try run(["generate", "swift", "--namespace", "sear", "--out", "x.swift"], in: root)
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("did you mean 'seer'?"))
        let badName = try run(
            ["generate", "swift", "--namespace", "seer", "--out", "x.swift", "--type-name", "9x"], in: root)
        #expect(badName.status == 2)
        try replace(
            #""description": "Maximum number of Autofix runs per organization per hour.""#, with: #""title": "x""#,
            in: root.appendingPathComponent("schemas/seer/schema.json"))
        let invalid = try run(["generate", "swift", "--namespace", "seer", "--out", "y.swift"], in: root)
        #expect(invalid.status == 1)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("y.swift").path))
    }
}
