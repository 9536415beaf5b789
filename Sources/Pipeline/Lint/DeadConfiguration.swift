public import OptionsSchema

extension IssueCode {
    /// A target sets an option to the value `default` already gives it.
    public static let redundantOverride = IssueCode(rawValue: "redundant-override")
    /// A target sets an option `default` does not set to the schema default.
    public static let redundantSchemaDefault = IssueCode(rawValue: "redundant-schema-default")
    /// A namespace has values for `default` only: no region deploys it.
    public static let defaultOnlyNamespace = IssueCode(rawValue: "default-only-namespace")
}

/// Configuration that changes nothing (`lint --pedantic`): values a target sets to what it would read anyway, and
/// namespaces no region deploys. Advice, not problems: warnings that `--strict` does not turn into errors.
///
/// ```swift
/// let report = try await Linter(source: source, retainsValues: true).lint()
/// let advice = DeadConfiguration.findings(in: report)
/// ```
public enum DeadConfiguration {
    /// The codes of the advice.
    public static let codes: Set<IssueCode> = [.redundantOverride, .redundantSchemaDefault, .defaultOnlyNamespace]

    /// The advice for a report made with `retainsValues`, in path and position order. Namespaces whose schema is
    /// missing or broken are judged by their values alone.
    public static func findings(in report: LintReport) -> [Diagnostic] {
        var findings: [Diagnostic] = []
        for (namespace, files) in report.values {
            let schema = report.schemas.schemas[namespace]
            let defaults = DefaultLayer(files: files.filter { $0.file.target == TreeLayout.defaultTarget })
            let byKey = Dictionary(defaults.options.map { ($0.key, $0) }) { _, last in last }
            var targets: Set<String> = []
            for file in files where file.file.target != TreeLayout.defaultTarget {
                targets.insert(file.file.target)
                for member in file.options {
                    if let inherited = byKey[member.key], let value = inherited.value {
                        guard value.isSameValue(as: member.value),
                            case .defaultTarget(let place, let position) =
                                inherited.provenance
                        else { continue }
                        findings.append(
                            Diagnostic(
                                .warning, .redundantOverride,
                                "'\(member.key)' is set to the value default already gives it (\(place):\(position)); "
                                    + "remove it here, or it keeps \(file.file.target) pinned when default changes",
                                file: file.displayPath, at: member.keyPosition))
                    } else if let option = schema?.options[member.key],
                        option.defaultValue.isSameValue(as: member.value)
                    {
                        findings.append(
                            Diagnostic(
                                .warning, .redundantSchemaDefault,
                                "'\(member.key)' is set to its schema default, which \(file.file.target) reads anyway "
                                    + "(default does not set it); remove it here",
                                file: file.displayPath, at: member.keyPosition))
                    }
                }
            }
            if targets.isEmpty, let first = files.first {
                let directory = first.displayPath.split(separator: "/", omittingEmptySubsequences: false).dropLast(2)
                findings.append(
                    Diagnostic(
                        .warning, .defaultOnlyNamespace,
                        "namespace '\(namespace)' has values for default only: no region deploys it (add a target "
                            + "directory, or remove its values)", file: directory.joined(separator: "/")))
            }
        }
        return findings.sorted(by: Diagnostic.precedes)
    }
}
