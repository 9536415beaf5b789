import Foundation
import Testing

@Suite("optionsctl --version: what ran, for a bug report")
struct VersionTests {
    @Test("prints the version, the commit and the linked libgit2 and libyaml versions, and exits 0")
    func version() throws {
        let result = try run(["--version"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4, "\(result.stdout)")
        #expect(lines.first?.hasPrefix("optionsctl ") == true)
        #expect(lines.dropFirst().first?.hasPrefix("commit ") == true)
        let versioned = try Regex(#"^lib(git2|yaml) [0-9]+\.[0-9]+\.[0-9]+$"#)
        #expect(lines.dropFirst(2).allSatisfy { $0.wholeMatch(of: versioned) != nil }, "\(lines)")
    }
}
