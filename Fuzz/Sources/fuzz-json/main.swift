import FuzzSupport
import OptionsSchema

/// The JSON tape and reader, and the schema parser on top: any input parses or is a syntax error with a
/// position, a parsed value writes JSON that reads back the same, and the schema rules never crash.
Fuzz.run { bytes in
    if let node = try? JSONReader.parse(bytes) {
        let back = Fuzz.roundTrip(node)
        Fuzz.require(back?.isSameValue(as: node) == true, "JSON round trip changed \(JSONWriter.compact(node))")
    }
    if let result = try? SchemaParser.parse(json: bytes, namespace: "fuzz"), let schema = result.schema {
        Fuzz.require(
            !result.issues.contains { $0.severity == .error }, "a schema was built although an error was reported")
        _ = schema.allKeys
    }
}
