import OptionsSchema

/// The sentry-options values payload (reference §1.3): `{"generated_at": …, "options": {…}}`, compact, keys
/// sorted at every depth, integers and floats kept apart, strings escaped as serde_json does.
///
/// Only values set in `default` or the target are written; schema defaults are not materialised (clients fall
/// back to them), and keys the schema does not declare are passed through, as sentry-options does.
public enum PayloadRenderer {
    /// The payload bytes of a merged configuration.
    public static func render(_ configuration: EffectiveConfiguration, generatedAt: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64 + 32 * configuration.options.count)
        output.append(contentsOf: #"{"generated_at":"#.utf8)
        JSONWriter.writeString(generatedAt, into: &output)
        output.append(contentsOf: #","options":{"#.utf8)
        // The configuration is sorted by key already, as the payload wants.
        var first = true
        for option in configuration.options {
            guard let value = option.value else { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.writeString(option.key, into: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &output)
        }
        output.append(contentsOf: "}}".utf8)
        return output
    }

    /// The file name the reference gives the payload of a namespace and target.
    public static func fileName(namespace: String, target: String) -> String {
        "sentry-options-\(namespace)-\(target).json"
    }
}
