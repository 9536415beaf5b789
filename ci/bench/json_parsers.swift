// Measures JSON parsers on the schemas of a corpus: Foundation's JSONSerialization against optionsctl's own
// JSONReader (positions, integers kept apart from floats), and the cost of the schema language on top.
// Built and run by ci/bench/json-parsers; compiled together with Sources/OptionsSchema as one module.
import Foundation

@main
struct JSONParsersBenchmark {
    static func main() throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 2 else {
            print("usage: json-parsers CORPUS [RUNS]")
            exit(2)
        }
        let schemas = URL(fileURLWithPath: arguments[1]).appendingPathComponent("schemas")
        let runs = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
        let names = try FileManager.default.contentsOfDirectory(atPath: schemas.path).sorted()
        let files: [(String, Data)] = try names.map {
            ($0, try Data(contentsOf: schemas.appendingPathComponent($0).appendingPathComponent("schema.json")))
        }
        let arrays = files.map { Array($0.1) }
        let megabytes = Double(files.reduce(0) { $0 + $1.1.count }) / 1_000_000

        func measure(_ name: String, _ body: () throws -> Int) rethrows {
            var times: [Double] = []
            var check = 0
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                check = try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            times.sort()
            let median = times[times.count / 2]
            let line = "| \(name) | \(String(format: "%.3f", median)) | \(String(format: "%.3f", times[0])) | "
                + "\(String(format: "%.0f", megabytes / median)) | \(check) |"
            print(line)
        }

        print("\(files.count) schemas, \(String(format: "%.1f", megabytes)) MB, \(runs) runs, one core\n")
        print("| parser | median s | min s | MB/s | check |")
        print("|---|---|---|---|---|")
        try measure("Foundation JSONSerialization (no positions; ints and floats both NSNumber)") {
            var count = 0
            for (_, data) in files {
                let object = try JSONSerialization.jsonObject(with: data)
                count += ((object as? [String: Any])?["properties"] as? [String: Any])?.count ?? 0
            }
            return count
        }
        try measure("optionsctl JSONReader (positions, int/float kept apart)") {
            var count = 0
            for bytes in arrays {
                count += try JSONReader.parse(bytes)["properties"]?.members?.count ?? 0
            }
            return count
        }
        try measure("optionsctl JSONTape (positions, int/float kept apart, no tree)") {
            var count = 0
            for bytes in arrays {
                let tape = try JSONTape(bytes)
                count += tape.count(tape.root)
            }
            return count
        }
        try measure("optionsctl SchemaParser: tape + schema language") {
            var count = 0
            for (index, bytes) in arrays.enumerated() {
                let result = try SchemaParser.parse(json: bytes, namespace: files[index].0)
                count += result.schema?.options.count ?? 0
            }
            return count
        }
    }
}
