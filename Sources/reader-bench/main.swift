// reader-bench: times what a service pays for the Reader on a rendered options directory.
//
//     reader-bench DIR [NAMESPACE KEY_SET KEY_DEFAULT]
//
// Prints store creation (median of 5) and the cost of one read of a set value and of a default (median of
// 7 rounds of 1,000,000 reads each). ci/bench/run builds DIR with `optionsctl write --format runtime`.
import OptionsSchema
import Reader

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    print("usage: reader-bench DIR [NAMESPACE KEY_SET KEY_DEFAULT]")
    exit(2)
}
var creations: [Double] = []
var store: OptionsStore?
for _ in 0..<5 {
    store = nil  // the previous store's teardown is not part of creating the next one
    let start = now()
    store = try OptionsStore(directory: arguments[1])
    creations.append(now() - start)
}
guard let store else { exit(1) }
let names = store.namespaceNames
var options = 0
for name in names { options += try store.namespace(name).schema.options.count }
print(
    "store creation: \(names.count) namespaces, \(options) options: \(Int((median(creations) * 1000).rounded())) ms median"
)
// READER_BENCH_CREATION=N: only create the store N more times (for profiling creation alone).
if let rounds = getenv("READER_BENCH_CREATION").flatMap({ Int(String(cString: $0)) }) {
    for _ in 0..<rounds { _ = try OptionsStore(directory: arguments[1]) }
    exit(0)
}

var lazyCreations: [Double] = []
var firstUses: [Double] = []
for _ in 0..<5 {
    let start = now()
    let lazy = try OptionsStore(directory: arguments[1], loading: .lazy)
    let created = now()
    _ = try lazy.namespace(arguments.count >= 3 ? arguments[2] : names[0])
    lazyCreations.append(created - start)
    firstUses.append(now() - created)
}
print(
    "store creation, lazy: \(Int((median(lazyCreations) * 1e6).rounded())) µs median; first use of one namespace: "
        + "\(Int((median(firstUses) * 1e6).rounded())) µs")

if arguments.count >= 5 {
    let namespace = try store.namespace(arguments[2])
    for (label, key) in [("set value", arguments[3]), ("schema default", arguments[4])] {
        var rounds: [Double] = []
        var sink = 0
        for _ in 0..<7 {
            let start = now()
            for _ in 0..<1_000_000 {
                if case .integer(let number) = try namespace.value(key) { sink &+= Int(number) } else { sink &+= 1 }
            }
            rounds.append((now() - start) / 1_000_000)
        }
        print("read of a \(label) (\(key)): \(Int((median(rounds) * 1e9).rounded())) ns median (\(sink & 1))")
    }
}

// Feature flags: a store of its own with the shapes the reference's features_bench times.
func writeFile(_ path: String, _ text: String) {
    var directory = ""
    for part in path.split(separator: "/").dropLast() {
        directory += "/" + part
        mkdir(directory, 0o755)
    }
    let file = fopen(path, "w")
    fputs(text, file)
    fclose(file)
}
let flagDirectory = "/tmp/reader-bench-flags-\(getpid())"
let owner = #""owner": {"team": "bench"}, "created_at": "2024-01-01""#
func flagValue(rollout: Int, enabled: Bool = true, _ condition: String) -> String {
    #"{\#(owner), "enabled": \#(enabled), "segments": [{"name": "s", "rollout": \#(rollout), "conditions": [\#(condition)]}]}"#
}
let inCondition = #"{"property": "organization_id", "operator": "in", "value": [1, 2, 3, 5, 8, 13, 21, 34, 55, 123]}"#
let flags = [
    ("enabled_100pct", flagValue(rollout: 100, inCondition)),
    ("disabled", flagValue(rollout: 100, enabled: false, inCondition)),
    ("rollout_zero", flagValue(rollout: 0, inCondition)),
    ("rollout_50pct", flagValue(rollout: 50, inCondition)),
    (
        "no_match",
        flagValue(rollout: 100, #"{"property": "slug", "operator": "matches", "value": ["acme-*", "*-test"]}"#)
    ),
]
writeFile(
    flagDirectory + "/schemas/bench/schema.json",
    #"{"version": "1.0", "type": "object", "properties": {"#
        + (flags.map(\.0) + ["undefined"]).map { ##""feature.\##($0)": {"$ref": "#/definitions/Feature"}"## }
        .joined(separator: ", ") + "}}")
writeFile(
    flagDirectory + "/values/bench/values.json",
    #"{"options": {"# + flags.map { #""feature.\#($0.0)": \#($0.1)"# }.joined(separator: ", ") + "}}")
let features = try OptionsStore(directory: flagDirectory).features("bench")
let context = FeatureContext(
    ["organization_id": .integer(123), "slug": .string("sentry"), "user_id": .integer(42)],
    identityFields: ["organization_id"])
for name in flags.map(\.0) + ["undefined"] {
    var rounds: [Double] = []
    var sink = 0
    for _ in 0..<7 {
        let start = now()
        for _ in 0..<200_000 where features.isEnabled(name, context: context) { sink &+= 1 }
        rounds.append((now() - start) / 200_000)
    }
    print("flag evaluation, \(name): \(Int((median(rounds) * 1e9).rounded())) ns median (\(sink & 1))")
}
// A context built for every call computes its identity hash (SHA-1) every time.
var fresh: [Double] = []
for _ in 0..<7 {
    let start = now()
    var sink = 0
    for id in 0..<200_000 {
        let context = FeatureContext(["organization_id": .integer(Int64(id))], identityFields: ["organization_id"])
        if features.isEnabled("rollout_50pct", context: context) { sink &+= 1 }
    }
    fresh.append((now() - start) / 200_000)
}
print("flag evaluation, rollout_50pct with a new context each call: \(Int((median(fresh) * 1e9).rounded())) ns median")
_ = try? { () throws -> Void in
    for path in ["/values/bench/values.json", "/schemas/bench/schema.json"] { unlink(flagDirectory + path) }
    for path in ["/values/bench", "/values", "/schemas/bench", "/schemas", ""] { rmdir(flagDirectory + path) }
}()
