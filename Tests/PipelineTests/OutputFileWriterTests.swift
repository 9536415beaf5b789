import Foundation
import Testing

@testable import Pipeline

@Suite("OutputFileWriter: one file, written whole")
struct OutputFileWriterTests {
    func scratch() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "optionsctl-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    @Test("creates missing parents, replaces an existing file, and leaves no temporary file")
    func writes() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("a/b/out.yaml").path
        try OutputFileWriter.write(Array("one\n".utf8), to: path)
        try OutputFileWriter.write(Array("two\n".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two\n")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("a/b").path) == [
                "out.yaml"
            ])
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)
    }

    @Test("a symbolic link at the path is replaced, never followed")
    func replacesLinks() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let victim = directory.appendingPathComponent("victim")
        try "keep\n".write(to: victim, atomically: true, encoding: .utf8)
        let link = directory.appendingPathComponent("out.yaml")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        try OutputFileWriter.write(Array("new\n".utf8), to: link.path)
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep\n")
        #expect(try String(contentsOf: link, encoding: .utf8) == "new\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == nil)
    }

    @Test("a directory at the path, or a path ending in a slash, is an error naming it")
    func refusesDirectories() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: OutputFileWriter.Failure.self) { try OutputFileWriter.write([], to: directory.path) }
        #expect(throws: OutputFileWriter.Failure.self) { try OutputFileWriter.write([], to: directory.path + "/x/") }
        do {
            try OutputFileWriter.write([], to: directory.path)
        } catch {
            #expect(error.description == "cannot write '\(directory.path)': it is a directory")
        }
    }
}
