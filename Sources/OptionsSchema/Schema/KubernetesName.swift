/// The Kubernetes DNS-1123 label rules that sentry-options applies to namespace, target and ConfigMap names.
public enum KubernetesName {
    /// The longest label allowed.
    public static let maximumLength = 63

    /// Why `name` is not a valid DNS-1123 label, in the reference's words, or `nil` when it is valid.
    ///
    /// Checks run in the reference's order: length, then characters (`[a-z0-9-]`), then first and last character.
    /// - Parameter label: what the name is, for the message (`namespace name`, `target name`, `ConfigMap name`).
    public static func problem(with name: String, label: String) -> String? {
        let prefix = "Invalid \(label) '\(name)': "
        if name.utf8.count > maximumLength { return prefix + "must be at most \(maximumLength) characters" }
        if let bad = name.first(where: { !($0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-")) }) {
            return prefix + "character '\(bad)' not allowed. Use lowercase alphanumeric or '-'"
        }
        guard let first = name.first, let last = name.last, first != "-", last != "-" else {
            return prefix + "must start and end with alphanumeric"
        }
        return nil
    }
}
