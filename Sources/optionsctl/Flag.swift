import ArgumentParser
import OptionsSchema
import Pipeline
import Reader

/// `optionsctl flag`: how a feature flag evaluates for a context in a target, as the runtime clients evaluate it.
struct FlagCommand: AsyncParsableCommand, CheckedArguments {
    static let configuration = CommandConfiguration(
        commandName: "flag",
        abstract: "Evaluate a feature flag for a context, as a service in the target would.",
        discussion: """
            Reads the flag's value as `show` does (default merged with the target), then evaluates it exactly as \
            the sentry-options clients do: segments in order, the first whose conditions all hold decides by its \
            rollout against the context's bucket (SHA-1 of the identity fields).

            Context values are typed as in YAML: org_id=123 is an integer, slug=sentry a string, trial=true a \
            boolean, ids=[1,2] an array; quote to force a string (slug='123'). --context-json takes a whole JSON \
            object for anything else; --context entries are added to it.

            Prints the verdict, the context's bucket and the segment that decided; --format json prints \
            {"enabled": bool, "bucket": int, "segment": string|null}.
            Exit codes: 0 whatever the verdict, 1 unknown namespace, target or flag (or an invalid tree), \
            2 usage or environment error.
            """
    )

    @Argument(help: "The namespace.", completion: .custom(Completions.namespaces))
    var namespace: String

    @Argument(
        help: "The flag name, without the 'feature.' prefix (e.g. organizations:new-billing).",
        completion: .custom(Completions.flags))
    var name: String

    @Option(
        help: ArgumentHelp("The target (region), or 'default'.", valueName: "target"),
        completion: .custom(Completions.targets))
    var target: String

    @Option(
        name: .customLong("context"),
        help: ArgumentHelp("A context value, key=value, typed as in YAML (repeatable).", valueName: "key=value"))
    var contextValues: [String] = []

    @Option(help: ArgumentHelp("The context as a JSON object.", valueName: "json"))
    var contextJSON: String?

    @Option(
        help: ArgumentHelp(
            "The fields that identify the context for rollout, comma-separated (default: every field).",
            valueName: "a,b"))
    var identityFields: String?

    @OptionGroup var tree: TreeOptions

    @Option(help: "Output format: text or json.")
    var format: ShowFormat = .text

    @OptionGroup var colorOptions: ColorOptions

    func checkArguments() throws {
        _ = try context()
    }

    /// The context the flags see, from `--context-json` and `--context` (parsed by `ContextArguments`).
    func context() throws -> FeatureContext {
        do {
            let parsed = try ContextArguments(
                json: contextJSON, entries: contextValues, identityFields: identityFields)
            return FeatureContext(parsed.values.mapValues(JSONValue.init), identityFields: parsed.identityFields)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() async throws {
        let context = try context()
        let linted = try await LintedNamespace.load(
            namespace, tree: tree, purpose: "evaluate its flags", diagnosticsToStandardOutput: false,
            color: colorOptions)
        let schema = linted.schema
        let key = "feature." + name
        guard let declared = schema.featureFlags[key] else {
            let flags = schema.featureFlags.keys.sorted().map { String($0.dropFirst("feature.".count)) }
            // A close name, or the one flag whose name after the scope (`organizations:`) is what was typed.
            let unscoped = flags.filter { $0.split(separator: ":").last.map(String.init) == name }
            let close = Suggestion.closest(to: name, in: flags) ?? (unscoped.count == 1 ? unscoped[0] : nil)
            let hint =
                close.map { "; did you mean '\($0)'?\n" }
                ?? (flags.isEmpty ? " (it declares none)\n" : " (flags: \(flags.joined(separator: ", ")))\n")
            Output.standardError("optionsctl: error: Unknown feature flag '\(name)' in namespace '\(namespace)'" + hint)
            terminate(1)
        }
        let configuration = linted.configuration(in: target)
        let option = configuration[key]
        let flag = option?.value.map { FeatureFlag(JSONValue($0)) }
        let verdict = flag?.evaluate(context)
        let enabled = verdict?.isEnabled ?? false
        let segment = verdict?.segment
        switch format {
        case .json:
            var output: [UInt8] = Array(#"{"bucket":"#.utf8)
            output += Array(String(context.bucket).utf8)
            output += Array(#","enabled":\#(enabled),"segment":"#.utf8)
            if let segment { JSONWriter.writeString(segment, into: &output) } else { output += Array("null".utf8) }
            Output.standardOutput(String(decoding: output, as: UTF8.self) + "}\n")
        case .text:
            var lines = ["\(name) in \(namespace) (target \(target)): \(enabled ? "enabled" : "disabled")"]
            if let option, let flag {
                if !flag.isEnabled {
                    lines.append("  the flag is disabled ('enabled: false')")
                } else if let segment, let decided = flag.segments.first(where: { $0.name == segment }) {
                    let rollout = decided.rollout
                    if rollout >= 100 {
                        lines.append("  decided by segment '\(segment)' (rollout 100%)")
                    } else if rollout == 0 {
                        lines.append("  decided by segment '\(segment)': rollout 0%, off for every context")
                    } else {
                        let inside = UInt64(context.bucket) <= rollout
                        lines.append(
                            "  decided by segment '\(segment)': bucket \(context.bucket) is \(inside ? "inside" : "outside") "
                                + "its rollout of \(rollout)% (buckets 0–\(rollout))")
                    }
                } else {
                    lines.append("  no segment's conditions hold for this context")
                }
                lines.append("  value from \(Self.describe(option.provenance))")
            } else {
                lines.append(
                    "  no value is set for '\(key)' (declared at schema.json:\(declared)); a flag without one is off")
            }
            let identity = context.identityString
            lines.append("  bucket \(context.bucket) (SHA-1 of \"\(identity)\")")
            Output.standardOutput(lines.joined(separator: "\n") + "\n")
        }
        terminate(0)
    }

    static func describe(_ provenance: Provenance) -> String {
        switch provenance {
        case .target(let file, let position), .defaultTarget(let file, let position): "\(file):\(position)"
        case .schemaDefault: "the schema default"
        case .unset: "nowhere"
        }
    }
}
