/// The namespaces and targets a command was asked for (`--namespace`, `--target`), checked against those a tree
/// has, so that a typo is an error with a suggestion rather than a run that quietly selects nothing.
///
/// ```swift
/// let problems = Selection(namespaces: ["legder"], targets: ["US"]).problems(in: ["ledger": ["default", "us"]])
/// // ["Namespace 'legder' not found in values; did you mean 'ledger'?",
/// //  "Target 'US' not found in any namespace; did you mean 'us'?"]
/// ```
public struct Selection: Sendable, Equatable {
    /// The namespaces asked for; empty means every namespace.
    public var namespaces: [String]
    /// The targets asked for; empty means every target.
    public var targets: [String]

    /// Creates a selection.
    public init(namespaces: [String] = [], targets: [String] = []) {
        self.namespaces = namespaces
        self.targets = targets
    }

    /// One message per name asked for that `available` (namespace → its targets) does not have, in the order
    /// given, each name once:
    ///
    /// - a namespace not in `available`: `Namespace 'x' not found in <namespacePlace>` (the reference's words);
    /// - a target no namespace has: `Target 'x' not found in any namespace`;
    /// - a target some namespaces have but a namespace asked for by name lacks (when `requiresEveryTarget`):
    ///   `Target 'x' not found in namespace 'y'` (the reference's words).
    ///
    /// Each ends with `; did you mean 'z'?` when one candidate is close, else with the list of candidates.
    public func problems(
        in available: [String: Set<String>], namespacePlace: String = "values", requiresEveryTarget: Bool = true
    ) -> [String] {
        var problems: [String] = []
        var seen: Set<String> = []
        let namespaceNames = available.keys.sorted()
        for namespace in namespaces where seen.insert("n/" + namespace).inserted && available[namespace] == nil {
            problems.append(
                Self.notFound(
                    "Namespace", namespace, in: namespacePlace, candidates: namespaceNames, plural: "namespaces"))
        }
        let everyTarget = available.values.reduce(into: Set<String>()) { $0.formUnion($1) }.sorted()
        for target in targets where seen.insert("t/" + target).inserted {
            guard everyTarget.contains(target) else {
                // `default` is a valid target (and a suggestion), but the list names the regions.
                problems.append(
                    Self.notFound(
                        "Target", target, in: "any namespace", candidates: everyTarget, plural: "targets",
                        listing: everyTarget.filter { $0 != TreeLayout.defaultTarget }))
                continue
            }
            guard requiresEveryTarget else { continue }
            for namespace in namespaces where seen.insert("nt/" + namespace + "/" + target).inserted {
                guard let present = available[namespace], !present.contains(target) else { continue }
                problems.append(
                    Self.notFound(
                        "Target", target, in: "namespace '\(namespace)'", candidates: present.sorted(),
                        plural: "targets"))
            }
        }
        return problems
    }

    /// `<Kind> '<name>' not found in <place>`, then a suggestion among `candidates`, or else the names of
    /// `listing` (the candidates unless given; at most 20 of them).
    public static func notFound(
        _ kind: String, _ name: String, in place: String, candidates: [String], plural: String,
        listing: [String]? = nil
    ) -> String {
        let message = "\(kind) '\(Self.printable(name))' not found in \(place)"
        if let close = Suggestion.closest(to: name, in: candidates) {
            return message + "; did you mean '\(Self.printable(close))'?"
        }
        let listed = listing ?? candidates
        if listed.isEmpty { return message + " (there are no \(plural))" }
        let shown = listed.prefix(20).map(Self.printable).joined(separator: ", ")
        let more = listed.count > 20 ? ", and \(listed.count - 20) more" : ""
        return message + " (\(plural): \(shown)\(more))"
    }

    /// `name` with control characters written as `\u{…}`, so a name from the command line cannot forge output.
    static func printable(_ name: String) -> String {
        name.escapingControlCharacters
    }
}
