import OptionsSchema

/// The sentry-options values payload (reference §1.3): `{"generated_at": …, "options": {…}}`, compact, keys
/// sorted at every depth, integers and floats kept apart, strings escaped as serde_json does.
///
/// Only values set in `default` or the target are written; schema defaults are not materialised (clients fall
/// back to them), and keys the schema does not declare are passed through, as sentry-options does.
public enum PayloadRenderer {
    /// The payload bytes of a merged configuration.
    public static func render(_ configuration: EffectiveConfiguration, generatedAt: String) -> [UInt8] {
        let options = configuration.set.values.compactMap { option in option.value.map { (option.key, $0) } }
        var output: [UInt8] = []
        JSONWriter.write(
            .object([("generated_at", .string(generatedAt)), ("options", .object(options))]), into: &output)
        return output
    }

    /// The file name the reference gives the payload of a namespace and target.
    public static func fileName(namespace: String, target: String) -> String {
        "sentry-options-\(namespace)-\(target).json"
    }
}
