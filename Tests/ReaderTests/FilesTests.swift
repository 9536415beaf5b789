import Foundation
import Testing

@testable import Reader

@Suite("Reader: reading files")
struct FilesTests {
    @Test("a file reads whole at every size around the chunk boundary; a missing one is nil; a directory throws")
    func contents() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        for size in [0, 1, 4095, 65535, 65536, 65537, 300_001] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
            try directory.write("f\(size)", "")
            try Data(bytes).write(to: directory.url.appendingPathComponent("f\(size)"))
            #expect(try Files.contents(of: directory.path + "/f\(size)") == bytes, "\(size) bytes")
        }
        #expect(try Files.contents(of: directory.path + "/missing") == nil)
        try directory.write("sub/x", "")
        #expect(throws: OptionsError.self) { try Files.contents(of: directory.path + "/sub") }
    }
}
