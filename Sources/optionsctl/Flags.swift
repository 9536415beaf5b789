import ArgumentParser
import OptionsSchema
import Pipeline

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A number of days given as `90d`, `12w` or `90`.
struct DayCount: ExpressibleByArgument, Sendable {
    var days: Int

    init(days: Int) { self.days = days }

    init?(argument: String) {
        var digits = Substring(argument)
        var unit = 1
        if argument.hasSuffix("d") { digits = digits.dropLast() }
        if argument.hasSuffix("w") {
            digits = digits.dropLast()
            unit = 7
        }
        guard let value = Int(digits), value >= 0, value < 1_000_000 else { return nil }
        days = value * unit
    }

    var defaultValueDescription: String { "\(days)d" }
}

/// `optionsctl flags`: every feature flag with its owner, age and state per region; `--stale` keeps the
/// candidates for removal.
struct Flags: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flags",
        abstract: "List feature flags with owner, age and state per region; --stale: the ones that can go.",
        discussion: """
            A flag's state in a region is that of its effective value (default merged with the region): 'on for \
            all' (enabled, one segment, no conditions, rollout 100), 'off' (enabled: false, no segment, or \
            rollout 0), or its segment count. With --stale, only flags created more than --older-than ago \
            (created_at) that are on for all in every region, or off in every region: their checks can be \
            removed from the code, then the flag. Owners come from the flag's owner (team and email).

            Exit codes: 0 success (whatever is found), 1 invalid tree, 2 usage or environment error.
            """
    )

    @Flag(help: "Only flags that can be removed: old, and on for all or off in every region.")
    var stale = false

    @Option(help: ArgumentHelp("With --stale: the age a flag must exceed (days: 90d, 12w).", valueName: "age"))
    var olderThan = DayCount(days: 90)

    @Option(help: ArgumentHelp("The day ages are counted to, YYYY-MM-DD (default: today, UTC).", valueName: "date"))
    var asOf: String?

    @Option(
        name: .customLong("namespace"), help: ArgumentHelp("Only this namespace; repeatable.", valueName: "namespace"),
        completion: .custom(Completions.namespaces))
    var namespaces: [String] = []

    @Option(help: "Output format: text or json.")
    var format: ShowFormat = .text

    @OptionGroup var tree: TreeOptions

    @OptionGroup var colorOptions: ColorOptions

    func validate() throws {
        if let asOf, FlagInventory.day(ofDate: asOf) == nil || asOf.utf8.count != 10 {
            throw ValidationError("--as-of takes a date, YYYY-MM-DD, got '\(asOf)'")
        }
    }

    func run() async throws {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let inventory = TreeInventory(source: opened.source, layout: opened.layout)
        let problems = Selection(namespaces: namespaces).problems(
            in: inventory.namespaces, namespacePlace: "schemas or values")
        if !problems.isEmpty {
            for problem in problems { Output.standardError("optionsctl: error: \(problem)\n") }
            terminate(1)
        }
        let report = try await CheckedTree.lint(
            Linter(source: opened.source, layout: opened.layout, retainsValues: true),
            namespaces: namespaces.isEmpty ? nil : Set(namespaces), consequence: "fix them to list the flags",
            color: colorOptions)
        let today = asOf.flatMap(FlagInventory.day(ofDate:)) ?? FlagInventory.day(ofUnixSeconds: Int64(time(nil)))
        var flags = FlagInventory(report: report).flags
        if stale { flags.removeAll { !$0.isStale(olderThanDays: olderThan.days, today: today) } }
        switch format {
        case .json: Output.standardOutput(json(flags, today: today))
        case .text: Output.standardOutput(text(flags, today: today))
        }
        terminate(0)
    }

    func owner(_ flag: FlagInventory.Flag) -> String {
        [flag.team, flag.email.map { "<\($0)>" }].compactMap { $0 }.joined(separator: " ")
    }

    func text(_ flags: [FlagInventory.Flag], today: Int) -> String {
        let paint = colorOptions.paint(on: 1)
        if flags.isEmpty {
            return stale
                ? "no stale flags (older than \(olderThan.days) days, on for all or off everywhere)\n"
                : "no feature flags\n"
        }
        var out = ""
        for flag in flags {
            let age = flag.age(today: today).map { "\($0) days old" } ?? "created_at unreadable"
            out += paint("\(flag.namespace) \(flag.key)".escapingControlCharacters, .strong) + "\n"
            out += "  owner    \(owner(flag).isEmpty ? "-" : owner(flag).escapingControlCharacters)\n"
            out += "  created  \((flag.createdAt ?? "-").escapingControlCharacters) (\(age))\n"
            out += "  state    " + flag.states.map { "\($0.target): \($0.state.text)" }.joined(separator: ", ") + "\n"
            if let reason = flag.removalReason, stale {
                out += "  stale    \(reason): remove its checks, then the flag\n"
            }
        }
        out += "\(flags.count) flag\(flags.count == 1 ? "" : "s")" + (stale ? " can be removed" : "") + "\n"
        return out
    }

    func json(_ flags: [FlagInventory.Flag], today: Int) -> String {
        let items = flags.map { flag -> Node in
            var pairs: [(String, Node)] = [("namespace", .string(flag.namespace)), ("key", .string(flag.key))]
            pairs.append(("team", flag.team.map { .string($0) } ?? Node(.null)))
            pairs.append(("email", flag.email.map { .string($0) } ?? Node(.null)))
            pairs.append(("createdAt", flag.createdAt.map { .string($0) } ?? Node(.null)))
            pairs.append(("ageDays", flag.age(today: today).map { .integer($0) } ?? Node(.null)))
            pairs.append(("states", .object(flag.states.map { ($0.target, .string($0.state.text)) })))
            pairs.append(("removable", flag.removalReason.map { .string($0) } ?? Node(.null)))
            return .object(pairs)
        }
        return JSONWriter.compact(Node(.array(items))) + "\n"
    }
}
