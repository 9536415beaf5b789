public import OptionsSchema

/// Every feature flag of a tree with its owner, age and state in each region (`optionsctl flags`), and which are
/// candidates for removal: old, and either on for everyone or off in every region.
///
/// ```swift
/// let report = try await Linter(source: source, retainsValues: true).lint()
/// let flags = FlagInventory(report: report, today: FlagInventory.day(ofUnixSeconds: now))
/// for flag in flags.flags where flag.isStale(olderThanDays: 90) { print(flag.key, flag.owner) }
/// ```
public struct FlagInventory: Sendable {
    /// A flag's state in one target.
    public enum State: Sendable, Equatable {
        /// One segment, no conditions, rollout 100, enabled: on for every context.
        case fullyOn
        /// `enabled: false`, or no segment: off for every context.
        case off
        /// Anything else: on for some contexts; the segment count.
        case partial(segments: Int)
        /// The flag is declared but no file sets it in this target (off).
        case unset

        /// Whether the flag is off for every context.
        public var isOff: Bool { self == .off || self == .unset }

        /// `on for all`, `off`, `2 segments`, `not set (off)`.
        public var text: String {
            switch self {
            case .fullyOn: "on for all"
            case .off: "off"
            case .partial(let segments): "\(segments) segment\(segments == 1 ? "" : "s")"
            case .unset: "not set (off)"
            }
        }
    }

    /// One flag.
    public struct Flag: Sendable {
        public var namespace: String
        /// The key, `feature.…`.
        public var key: String
        /// `owner.team`, and `owner.email` when set (from the `default` value, else the first target's).
        public var team: String?
        public var email: String?
        /// `created_at` as written.
        public var createdAt: String?
        /// Days since 1970 of `created_at`'s date, when it parses.
        public var createdDay: Int?
        /// The state in each region (the targets other than `default`; `default` itself when there are none).
        public var states: [(target: String, state: State)]

        /// Why the flag can go, or `nil`: on for everyone in every region, or off in every region.
        public var removalReason: String? {
            guard !states.isEmpty else { return nil }
            if states.allSatisfy({ $0.state == .fullyOn }) { return "on for all in every region" }
            if states.allSatisfy({ $0.state.isOff }) { return "off in every region" }
            return nil
        }

        /// Days between `created_at` and `today`.
        public func age(today: Int) -> Int? { createdDay.map { today - $0 } }

        /// Whether the flag is older than `days` and can go (`removalReason`).
        public func isStale(olderThanDays days: Int, today: Int) -> Bool {
            guard let age = age(today: today), age > days else { return false }
            return removalReason != nil
        }
    }

    /// Every flag, by namespace and key.
    public var flags: [Flag] = []

    /// The flags of a report made with `retainsValues`.
    public init(report: LintReport) {
        for namespace in report.schemas.schemas.keys.sorted() {
            guard let schema = report.schemas.schemas[namespace], !schema.featureFlags.isEmpty else { continue }
            let files = report.values[namespace] ?? []
            let others = Set(files.map(\.file.target)).subtracting([TreeLayout.defaultTarget]).sorted()
            let regions = others.isEmpty ? [TreeLayout.defaultTarget] : others
            let merged = NamespaceValues.configurations(of: namespace, files: files, targets: regions)
            let defaults = NamespaceValues.configurations(
                of: namespace, files: files, targets: [TreeLayout.defaultTarget])[0]
            for key in schema.featureFlags.keys.sorted() {
                let values = merged.map { $0[key]?.value }
                let described = defaults[key]?.value ?? values.compactMap { $0 }.first
                var flag = Flag(
                    namespace: namespace, key: key, team: described?["owner"]?["team"]?.stringValue,
                    email: described?["owner"]?["email"]?.stringValue,
                    createdAt: described?["created_at"]?.stringValue, createdDay: nil, states: [])
                flag.createdDay = flag.createdAt.flatMap(Self.day(ofDate:))
                flag.states = zip(regions, values).map { ($0, $1.map(Self.state) ?? .unset) }
                flags.append(flag)
            }
        }
    }

    /// The state a flag's value gives every context.
    static func state(_ value: Node) -> State {
        if case .bool(false)? = value["enabled"]?.content { return .off }
        guard case .array(let segments)? = value["segments"]?.content, !segments.isEmpty else { return .off }
        if segments.count == 1, let segment = segments.first {
            let rollout: Int64 =
                switch segment["rollout"]?.content {
                case .integer(let value)?: value
                case nil: 100
                default: -1
                }
            if case .array(let conditions)? = segment["conditions"]?.content, conditions.isEmpty, rollout == 100 {
                return .fullyOn
            }
            if rollout == 0 { return .off }
        }
        if segments.allSatisfy({ if case .integer(0)? = $0["rollout"]?.content { true } else { false } }) {
            return .off
        }
        return .partial(segments: segments.count)
    }

    /// Days since 1970 of the `YYYY-MM-DD` that starts `text`.
    public static func day(ofDate text: String) -> Int? {
        let digits = Array(text.utf8.prefix(10))
        guard digits.count == 10, digits[4] == UInt8(ascii: "-"), digits[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in digits[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month),
            day >= 1, day <= RFC3339.daysIn(month, of: year)
        else { return nil }
        return RFC3339.days(year: year, month: month, day: day)
    }

    /// Days since 1970 of a Unix time.
    public static func day(ofUnixSeconds seconds: Int64) -> Int {
        Int(seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400)
    }
}
