import Foundation
import OptionsSchema
import Testing

@testable import Pipeline

/// Inputs the fuzz targets (Fuzz/, `ci/fuzz`) found, kept in Fuzz/Regressions and checked here with the outcome
/// they must have. `ci/fuzz` also replays them through the targets' own properties.
@Suite("Fuzz regressions: every input the fuzzers found")
struct FuzzRegressionTests {
    static let regressions = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Regressions")

    func input(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.regressions.appendingPathComponent(path)))
    }

    @Test("fuzz-values: a syntax error at the end of a file without a final newline is located inside the file")
    func errorPastTheEnd() throws {
        let bytes = Array(try input("values/error-past-the-end.bin").dropFirst())  // the first byte picks the schema
        let document = YAMLLoader.load(bytes)
        let issue = try #require(document.issues.first)
        #expect(issue.code == .yamlSyntax)
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 6)
        #expect(issue.position == SourcePosition(line: 6, column: lines[5].count + 1), "the end of the last line")
    }

    @Test("fuzz-json: an object with a key twice is the same value after a JSON round trip (the last one counts)")
    func duplicateKeys() throws {
        let node = try JSONReader.parse(try input("json/duplicate-keys.json"))
        var output: [UInt8] = []
        JSONWriter.write(node, into: &output)
        #expect(try JSONReader.parse(output).isSameValue(as: node))
        let first = try JSONReader.parse(Array(#"{"a": 1, "a": 2}"#.utf8))
        #expect(first.isSameValue(as: try JSONReader.parse(Array(#"{"a": 2}"#.utf8))))
        #expect(!first.isSameValue(as: try JSONReader.parse(Array(#"{"a": 1}"#.utf8))))
    }

    @Test("fuzz-values: lines end at CR as YAML says, in parse errors and in encoding errors alike")
    func carriageReturns() throws {
        let bytes = Array(try input("values/carriage-returns.bin").dropFirst())
        let text = String(decoding: bytes, as: UTF8.self)
        let lines = text.unicodeScalars.count { $0 == "\r" || $0 == "\n" } + 1
        let document = YAMLLoader.load(bytes)
        #expect(!document.issues.isEmpty)
        for issue in document.issues {
            let position = try #require(issue.position)
            #expect(position.line <= lines, "\(position) in a \(lines)-line file: \(issue.message)")
        }
        let encoding = YAMLLoader.load(Array("options:\r  a: 1\r\n  b: x".utf8) + [0xFF, 0x0A])
        #expect(encoding.issues.first?.code == .yamlEncoding)
        #expect(encoding.issues.first?.position == SourcePosition(line: 3, column: 7), "CR, then CR LF")
    }

    @Test("fuzz-diff: -0.0 and 0.0 are different values, as the differ and the rendered payload say")
    func negativeZero() throws {
        let bytes = try input("diff/negative-zero.bin")
        let cut = try #require(bytes.firstIndex(of: 0))
        let before = try JSONReader.parse(Array(bytes[..<cut]))
        let after = try JSONReader.parse(Array(bytes[(cut + 1)...]))
        #expect(!before.isSameValue(as: after))
        #expect(ValueDiffer.changes(from: before, to: after).count == 1)
        #expect(before.isSameValue(as: try JSONReader.parse(Array("-0.0".utf8))))
    }

    @Test("fuzz-values: an empty document after '---' without a final newline is reported inside the file")
    func emptyDocument() throws {
        let bytes = Array(try input("values/empty-document.bin").dropFirst())
        #expect(bytes == Array("---".utf8))
        let file = ValuesFile(path: "option-values/ns/us/values.yaml", namespace: "ns", target: "us")
        let result = ValuesChecker(schema: nil).check(bytes, file: file, displayPath: file.path)
        let diagnostic = try #require(result.diagnostics.first)
        #expect(diagnostic.message.contains("found an empty document"))
        #expect(diagnostic.position == SourcePosition(line: 1, column: 4), "the end of the only line")
    }
}
