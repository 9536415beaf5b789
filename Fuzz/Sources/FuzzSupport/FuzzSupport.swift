import CFuzzer
import OptionsSchema
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What every fuzz target shares: the input as bytes, splitting it, the example schemas, and a failed property.
public enum Fuzz {
    /// The test the driver calls: set once by `run`, before libFuzzer starts.
    nonisolated(unsafe) static var test: ([UInt8]) -> Void = { _ in }

    /// Runs libFuzzer on `test` with this process's arguments (libFuzzer's flags and corpus directories) and
    /// exits with libFuzzer's status. `test` gets each input as bytes; a failed `require` or a crash in it is
    /// what libFuzzer reports and saves.
    public static func run(_ test: @escaping ([UInt8]) -> Void) -> Never {
        Self.test = test
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
    }

    /// The input cut at the first NUL byte: two documents from one input.
    public static func halves(_ bytes: [UInt8]) -> ([UInt8], [UInt8]) {
        guard let cut = bytes.firstIndex(of: 0) else { return (bytes, []) }
        return (Array(bytes[..<cut]), Array(bytes[(cut + 1)...]))
    }

    /// Stops the run as a crash when a property does not hold, so libFuzzer keeps the input that broke it.
    public static func require(_ condition: Bool, _ message: @autoclosure () -> String) {
        guard condition else {
            let text = Array("fuzz property failed: \(message())\n".utf8)
            _ = text.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            abort()
        }
    }

    /// The example tree's schemas (relay and seer): every option type, structs, dicts, arrays and feature flags.
    /// Read once from the repository this package sits in.
    public static let schemas: [NamespaceSchema] = ["relay", "seer"].map { name in
        let root = #filePath.split(separator: "/").dropLast(4).joined(separator: "/")
        let path = "/" + root + "/schemas/\(name)/schema.json"
        guard let file = fopen(path, "rb") else { fatalError("cannot open \(path)") }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[..<count]
        }
        guard let schema = try? SchemaParser.parse(json: bytes, namespace: name).schema else {
            fatalError("the example schema \(path) does not parse")
        }
        return schema
    }

    /// The number of lines in a YAML text, as YAML counts them: CR LF, CR, LF, NEL, LS and PS each end a line.
    public static func yamlLineCount(_ bytes: [UInt8]) -> Int {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = 1
        var previous: Unicode.Scalar = " "
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines += 1
            default: break
            }
            previous = scalar
        }
        return lines
    }

    /// The node written as JSON and read back.
    public static func roundTrip(_ node: Node) -> Node? {
        var output: [UInt8] = []
        JSONWriter.write(node, into: &output)
        return try? JSONReader.parse(output)
    }
}

/// The entry point libFuzzer's runtime expects (its own `main`, linked whole but replaced by SwiftPM's, refers to
/// it); the driver started by `Fuzz.run` calls it with every input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Fuzz.test(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
