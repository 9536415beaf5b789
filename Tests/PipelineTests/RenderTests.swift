import Foundation
import OptionsSchema
import Testing

@testable import Pipeline

@Suite("Payload rendering and output files")
struct RenderTests {
    @Test(
        "timestamps are RFC 3339 in UTC with chrono's fraction digits",
        arguments: [
            (Int64(0), Int32(0), "1970-01-01T00:00:00+00:00"), (1_705_180_800, 0, "2024-01-13T21:20:00+00:00"),
            (1_709_164_800, 0, "2024-02-29T00:00:00+00:00"),
            (1_768_348_800, 123_000_000, "2026-01-14T00:00:00.123+00:00"),
            (1_768_348_800, 123_456_000, "2026-01-14T00:00:00.123456+00:00"),
            (1_768_348_800, 1, "2026-01-14T00:00:00.000000001+00:00"), (-1, 0, "1969-12-31T23:59:59+00:00"),
            (253_402_300_799, 0, "9999-12-31T23:59:59+00:00"),
        ])
    func timestamps(seconds: Int64, nanoseconds: Int32, expected: String) {
        #expect(Timestamp(seconds: seconds, nanoseconds: nanoseconds).description == expected)
    }

    @Test("the payload is the reference's exact shape: compact, sorted, types kept (catalogue 17, 18, 6.2 #1)")
    func payload() throws {
        let merged = EffectiveConfiguration(
            namespace: "myns", target: "default",
            defaultFiles: [
                try loaded(
                    "option-values/myns/default/values.yaml",
                    "options:\n  string_val: \"z\"\n  bool_val: true\n  int_val: 42\n  float_val: 7.77\n  cfg: {b: 1.0, a: \"é\\n\"}\n"
                )
            ], targetFiles: [])
        let text = String(decoding: PayloadRenderer.render(merged, generatedAt: "2026-01-14T00:00:00Z"), as: UTF8.self)
        #expect(
            text
                == #"{"generated_at":"2026-01-14T00:00:00Z","options":{"bool_val":true,"cfg":{"a":"é\n","b":1.0},"float_val":7.77,"int_val":42,"string_val":"z"}}"#
        )
        #expect(PayloadRenderer.fileName(namespace: "seer", target: "s4s") == "sentry-options-seer-s4s.json")
    }

    @Test("output files are written whole, stale generated files removed, other files never touched")
    func outputDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-out-\(UUID())/a/b")
        defer {
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent())
        }
        let output = OutputDirectory(path: directory.path)
        let first = try await output.write([("one.json", Array("1".utf8)), ("two.json", Array("2".utf8))])
        #expect(first == OutputDirectory.Summary(written: ["one.json", "two.json"], removed: []))
        try Data("mine".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let second = try await output.write([("two.json", Array("22".utf8))])
        #expect(second.removed == ["one.json"])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == [".optionsctl-generated", "notes.txt", "two.json"])
        #expect(try String(contentsOf: directory.appendingPathComponent("two.json"), encoding: .utf8) == "22")
    }

    @Test("a new output directory appears whole, nested names included, with nothing staged left beside it")
    func newOutputDirectory() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-new-\(UUID())")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("x/out")
        let summary = try await OutputDirectory(path: directory.path + "/").write([
            ("us/a.yaml", Array("a".utf8)), ("us/deep/b.yaml", Array("b".utf8)), ("c.json", Array("c".utf8)),
        ])
        #expect(summary == OutputDirectory.Summary(written: ["us/a.yaml", "us/deep/b.yaml", "c.json"], removed: []))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.appendingPathComponent("x").path) == ["out"])
        #expect(try String(contentsOf: directory.appendingPathComponent("us/deep/b.yaml"), encoding: .utf8) == "b")
        let manifest = try String(
            contentsOf: directory.appendingPathComponent(OutputDirectory.manifestName), encoding: .utf8)
        #expect(manifest == "c.json\nus/a.yaml\nus/deep/b.yaml\n")
        // The next run into the now existing directory replaces and prunes as usual.
        let again = try await OutputDirectory(path: directory.path).write([("c.json", Array("cc".utf8))])
        #expect(again.removed == ["us/a.yaml", "us/deep/b.yaml"])
    }

    @Test("a failed write into a new output directory leaves no directory and no staging behind")
    func failedNewOutputDirectory() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-fail-\(UUID())")
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("out")
        // "us" is both a file and the directory of "us/a.yaml": writing the file fails after others were written.
        await #expect(throws: SourceError.self) {
            try await OutputDirectory(path: directory.path).write([
                ("b.json", Array("b".utf8)), ("us/a.yaml", Array("a".utf8)), ("us", Array("x".utf8)),
            ])
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
    }

    @Test("an output path that is a file is an error")
    func outputIsAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-file-\(UUID())")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect(throws: SourceError.self) { try await OutputDirectory(path: file.path).write([("x.json", [])]) }
    }
}
