import OptionsSchema

/// Kubernetes ConfigMaps holding a values payload, exactly as sentry-options renders them (reference §1.3):
///
/// ```yaml
/// apiVersion: v1
/// kind: ConfigMap
/// metadata:
///   name: sentry-options-seer
///   labels:
///     app.kubernetes.io/managed-by: sentry-options
///   annotations:
///     commit_sha: 4544fec4…        # when known
///     commit_timestamp: '1768348800'  # when known
///     generated_at: 2026-01-14T00:00:00+00:00
/// data:
///   values.json: '{"generated_at":…,"options":{…}}'
/// ```
public enum ConfigMapRenderer {
    /// The largest serialised ConfigMap accepted: 1 MiB less a 1,000-byte margin.
    public static let sizeLimit = 1024 * 1024 - 1000

    /// A ConfigMap problem, with the reference's message.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The message.
        public var description: String
    }

    /// `sentry-options-<namespace>` or `sentry-options-<namespace>-<suffix>`, checked as a DNS-1123 label.
    public static func name(namespace: String, suffix: String?) throws(Failure) -> String {
        let name = "sentry-options-\(namespace)" + (suffix.map { "-\($0)" } ?? "")
        if suffix == "" {
            throw Failure(description: "Invalid ConfigMap name '\(name)': must start and end with alphanumeric")
        }
        if let problem = KubernetesName.problem(with: name, label: "ConfigMap name") {
            throw Failure(description: problem)
        }
        return name
    }

    /// One ConfigMap document (with its leading `---`).
    public static func render(
        name: String, payload: [UInt8], generatedAt: String, commitSHA: String?, commitTimestamp: String?
    ) throws(Failure) -> [UInt8] {
        var annotations: [(String, YAMLOutput)] = []
        if let commitSHA { annotations.append(("commit_sha", .string(commitSHA))) }
        if let commitTimestamp { annotations.append(("commit_timestamp", .string(commitTimestamp))) }
        annotations.append(("generated_at", .string(generatedAt)))
        let document: YAMLOutput = .mapping([
            ("apiVersion", .string("v1")),
            ("kind", .string("ConfigMap")),
            (
                "metadata",
                .mapping([
                    ("name", .string(name)),
                    ("labels", .mapping([("app.kubernetes.io/managed-by", .string("sentry-options"))])),
                    ("annotations", .mapping(annotations)),
                ])
            ),
            ("data", .mapping([("values.json", .string(String(decoding: payload, as: UTF8.self)))])),
        ])
        let bytes: [UInt8]
        do {
            bytes = try YAMLEmitter.render([document])
        } catch {
            throw Failure(description: "cannot render ConfigMap '\(name)': \(error)")
        }
        // Measured without the document marker, as the reference measures serde_yaml's output.
        let size = bytes.starts(with: Array("---\n".utf8)) ? bytes.count - 4 : bytes.count
        if size > sizeLimit {
            throw Failure(
                description:
                    "ConfigMap '\(name)' exceeds Kubernetes (1MiB - 1000B margin) limit (currently \(size) bytes)")
        }
        return bytes
    }
}
