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

    /// Files of namespace `n` and target `t` named as given.
    func outputs(_ names: [(String, String)], namespace: String = "n", target: String = "t") -> [OutputFile] {
        names.map { OutputFile(name: $0.0, namespace: namespace, target: target, bytes: Array($0.1.utf8)) }
    }

    @Test("output files are written whole, stale generated files removed, other files never touched")
    func outputDirectory() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-out-\(UUID())/a/b")
        defer {
            try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent())
        }
        let output = OutputDirectory(path: directory.path)
        let first = try await output.write(outputs([("one.json", "1"), ("two.json", "2")]), scope: .everything)
        #expect(first == OutputDirectory.Summary(written: ["one.json", "two.json"], removed: []))
        try Data("mine".utf8).write(to: directory.appendingPathComponent("notes.txt"))
        let second = try await output.write(outputs([("two.json", "22")]), scope: .everything)
        #expect(second.removed == ["one.json"])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == [".optionsctl-generated", "notes.txt", "two.json"])
        #expect(try String(contentsOf: directory.appendingPathComponent("two.json"), encoding: .utf8) == "22")
    }

    @Test("stale removal is scoped to the run's targets and namespaces; the manifest keeps the others")
    func scopedRemoval() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-scope-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = OutputDirectory(path: directory.path)
        let us = outputs([("a-us", "1"), ("b-us", "1")], target: "us")
        let de = outputs([("a-de", "1"), ("b-de", "1")], target: "de")
        _ = try await output.write(us, scope: OutputScope(targets: ["us"]))
        let second = try await output.write(de, scope: OutputScope(targets: ["de"]))
        #expect(second.removed == [], "a de run keeps the us files")
        // A us run that no longer produces b-us removes it, and only it.
        let third = try await output.write([us[0]], scope: OutputScope(targets: ["us"]))
        #expect(third.removed == ["b-us"])
        // A run for namespace m only removes nothing of namespace n.
        let fourth = try await output.write(
            outputs([("m-de", "1")], namespace: "m", target: "de"),
            scope: OutputScope(targets: ["de"], namespaces: ["m"]))
        #expect(fourth.removed == [])
        // Every target and namespace: what this run does not produce goes.
        let fifth = try await output.write(
            outputs([("m-de", "2")], namespace: "m", target: "de"), scope: .everything)
        #expect(fifth.removed == ["a-de", "a-us", "b-de"])
        let manifest = try String(
            contentsOf: directory.appendingPathComponent(OutputDirectory.manifestName), encoding: .utf8)
        #expect(manifest == OutputDirectory.manifestHeader + "\nde\tm\tm-de\n")
    }

    @Test("a forged manifest cannot remove anything outside the directory, through a link, or not a regular file")
    func forgedManifest() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-forged-\(UUID())")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("out")
        let outside = parent.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: outside.appendingPathComponent("victim"))
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("link"), withDestinationURL: outside)
        try FileManager.default.createSymbolicLink(
            at: directory.appendingPathComponent("filelink"),
            withDestinationURL: outside.appendingPathComponent("victim"))
        let records = [
            "t\tn\t../outside/victim", "t\tn\t\(outside.path)/victim", "t\tn\tlink/victim", "t\tn\tsub",
            "t\tn\tfilelink", "t\tn\t.optionsctl-generated", "t\tn\t./x/../../outside/victim", "garbage",
        ]
        try Data((OutputDirectory.manifestHeader + "\n" + records.joined(separator: "\n") + "\n").utf8).write(
            to: directory.appendingPathComponent(OutputDirectory.manifestName))
        let output = OutputDirectory(path: directory.path)
        #expect(output.plan(outputs([("new", "1")]), scope: .everything).removed == [])
        let summary = try await output.write(outputs([("new", "1")]), scope: .everything)
        #expect(summary.removed == [])
        #expect(try String(contentsOf: outside.appendingPathComponent("victim"), encoding: .utf8) == "keep")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("sub").path))
        #expect(
            (try? FileManager.default.destinationOfSymbolicLink(
                atPath: directory.appendingPathComponent("filelink").path)) != nil)
        // A manifest from before scoped removal (no header) lists nothing removable.
        try Data("new\n".utf8).write(to: directory.appendingPathComponent(OutputDirectory.manifestName))
        #expect(try await output.write([], scope: .everything).removed == [])
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("new").path))
    }

    @Test("a plan reads and never writes: added, changed with the bytes there, unchanged, removed")
    func plan() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-plan-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = OutputDirectory(path: directory.path)
        #expect(output.plan(outputs([("a", "1")]), scope: .everything).added == ["a"], "no directory yet")
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        _ = try await output.write(outputs([("a", "1"), ("b", "1"), ("d/c", "1")]), scope: .everything)
        let plan = output.plan(outputs([("a", "1"), ("b", "2"), ("e", "1")]), scope: .everything)
        #expect(plan.added == ["e"])
        #expect(plan.changed == [OutputDirectory.Plan.Change(name: "b", current: Array("1".utf8))])
        #expect(plan.unchanged == ["a"])
        #expect(plan.removed == ["d/c"])
        #expect(output.plan(outputs([("a", "1")]), scope: OutputScope(targets: ["other"])).removed == [])
    }

    @Test("a new output directory appears whole, nested names included, with nothing staged left beside it")
    func newOutputDirectory() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-new-\(UUID())")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("x/out")
        let summary = try await OutputDirectory(path: directory.path + "/").write(
            outputs([("us/a.yaml", "a"), ("us/deep/b.yaml", "b"), ("c.json", "c")]), scope: .everything)
        #expect(summary == OutputDirectory.Summary(written: ["us/a.yaml", "us/deep/b.yaml", "c.json"], removed: []))
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.appendingPathComponent("x").path) == ["out"])
        #expect(try String(contentsOf: directory.appendingPathComponent("us/deep/b.yaml"), encoding: .utf8) == "b")
        let manifest = try String(
            contentsOf: directory.appendingPathComponent(OutputDirectory.manifestName), encoding: .utf8)
        #expect(manifest == OutputDirectory.manifestHeader + "\nt\tn\tc.json\nt\tn\tus/a.yaml\nt\tn\tus/deep/b.yaml\n")
        // The next run into the now existing directory replaces and prunes as usual.
        let again = try await OutputDirectory(path: directory.path).write(
            outputs([("c.json", "cc")]), scope: .everything)
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
            try await OutputDirectory(path: directory.path).write(
                outputs([("b.json", "b"), ("us/a.yaml", "a"), ("us", "x")]), scope: .everything)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [])
    }

    @Test("a failed write into an existing directory leaves it exactly as it was, nothing staged beside it")
    func failedExistingOutputDirectory() async throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-fail2-\(UUID())")
        defer { try? FileManager.default.removeItem(at: parent) }
        let directory = parent.appendingPathComponent("out")
        let output = OutputDirectory(path: directory.path)
        _ = try await output.write(outputs([("a.json", "1"), ("b.json", "1")]), scope: .everything)
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        await #expect(throws: SourceError.self) {
            try await output.write(
                outputs([("a.json", "2"), ("us/a.yaml", "a"), ("us", "x")]), scope: .everything)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
        #expect(try String(contentsOf: directory.appendingPathComponent("a.json"), encoding: .utf8) == "1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["out"])
    }

    @Test("an output path that is a file is an error")
    func outputIsAFile() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-file-\(UUID())")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        await #expect(throws: SourceError.self) {
            try await OutputDirectory(path: file.path).write(outputs([("x.json", "")]), scope: .everything)
        }
    }
}
