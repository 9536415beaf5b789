// reader-bench: times what a service pays for the Reader on a rendered options directory.
//
//     reader-bench DIR [NAMESPACE KEY_SET KEY_DEFAULT]
//
// Prints store creation (median of 5; every file read and checked), the first read of every namespace (each
// makes its snapshot then), and the cost of one read of a set value and of a default (median of 7 rounds of
// 1,000,000 reads each). ci/bench/run builds DIR with `optionsctl write --format runtime`.
// READER_BENCH_ROUNDS=N creates the store N times instead of 5, and loops N times instead of 20 in the
// single-phase modes below (N=1 under `valgrind --tool=callgrind` counts one creation's instructions, which
// this machine's noise does not blur).
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
let roundCount = getenv("READER_BENCH_ROUNDS").flatMap { Int(String(cString: $0)) }
var creations: [Double] = []
var store: OptionsStore?
for _ in 0..<(roundCount ?? 5) {
    store = nil  // the previous store's teardown is not part of creating the next one
    let start = now()
    store = try OptionsStore(directory: arguments[1])
    creations.append(now() - start)
}
guard let store else { exit(1) }

// READER_BENCH_CREATION=N: print the creation time, then only create the store N more times (for profiling
// creation alone).
if let rounds = getenv("READER_BENCH_CREATION").flatMap({ Int(String(cString: $0)) }) {
    print(
        "store creation: \(store.namespaceNames.count) namespaces: \(Int((median(creations) * 1000).rounded())) ms median"
    )
    // Kept alive, so a profile shows creation without teardown.
    var kept: [OptionsStore] = []
    for _ in 0..<rounds { kept.append(try OptionsStore(directory: arguments[1])) }
    withExtendedLifetime(kept) { exit(0) }
}

let names = store.namespaceNames
var options = 0
// Creation checks every file; each namespace's snapshot is made at its first read, timed here for all of them.
let firstReads = now()
for name in names { options += try store.namespace(name).schema.options.count }
let firstReadsTime = now() - firstReads
print(
    "store creation: \(names.count) namespaces, \(options) options: \(Int((median(creations) * 1000).rounded())) ms median"
)
print(
    "first read of every namespace (each makes its snapshot), one thread: \(Int((firstReadsTime * 1000).rounded())) ms"
)
// READER_BENCH_PHASES=1: what creation does, phase by phase, on one thread (sums over every namespace).
if getenv("READER_BENCH_PHASES") != nil {
    func read(_ path: String) -> [UInt8] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes += buffer[0..<count]
        }
        return bytes
    }
    let schemaBytes = names.map { read(arguments[1] + "/schemas/\($0)/schema.json") }
    let valueBytes = names.map { read(arguments[1] + "/values/\($0)/values.json") }
    // READER_BENCH_PHASES=tokens: only tokenise the schemas, over and over (for profiling the tokeniser alone).
    if String(cString: getenv("READER_BENCH_PHASES")) == "tokens" {
        let start = now()
        let passes = roundCount ?? 20
        for _ in 0..<passes { for bytes in schemaBytes { _ = try JSONTape(bytes) } }
        print("tokenising every schema: \(Int(((now() - start) / Double(passes) * 1000).rounded())) ms a pass")
        exit(0)
    }
    // READER_BENCH_PHASES=schemas: only parse the schemas (tokens, then the schema language), over and over.
    if String(cString: getenv("READER_BENCH_PHASES")) == "schemas" {
        let start = now()
        let passes = roundCount ?? 20
        for _ in 0..<passes {
            for (bytes, name) in zip(schemaBytes, names) { _ = try SchemaParser.parse(json: bytes, namespace: name) }
        }
        print("parsing every schema: \(Int(((now() - start) / Double(passes) * 1000).rounded())) ms a pass")
        exit(0)
    }
    var phases: [(String, Double)] = []
    // Each phase five times; the fastest run counts (the others show the machine's noise).
    func phase<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
        var best = Double.infinity
        var result: T?
        for _ in 0..<5 {
            let start = now()
            result = try body()
            best = min(best, now() - start)
        }
        phases.append((label, best))
        return result!
    }
    let tapes = try phase("schemas: JSON tokens") { try schemaBytes.map { try JSONTape($0) } }
    let schemas = phase("schemas: schema language") {
        zip(tapes, names).map { SchemaParser.parse($0, namespace: $1).schema }
    }
    let trees = try phase("values: JSON tree") { try valueBytes.map { try JSONReader.parse($0) } }
    try phase("whole creation, one thread") {
        let single = try OptionsStore(directory: arguments[1], loading: .lazy)
        for name in names { _ = try single.namespace(name) }
    }
    let bytes = (schemaBytes + valueBytes).reduce(0) { $0 + $1.count }
    print(
        "creation phases on one thread (\(bytes / 1_000_000) MB, \(schemas.count) schemas, "
            + "\(trees.count) values files):")
    for (label, seconds) in phases { print("  \(label): \(Int((seconds * 1000).rounded())) ms") }
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
// READER_BENCH_READS_ONLY=1: stop after the reads (for profiling them alone).
if getenv("READER_BENCH_READS_ONLY") != nil { exit(0) }

// Feature flags: a store of its own with the shapes the reference's features_bench times.
func writeFile(_ path: String, _ text: String) {
    var directory = ""
    for part in path.split(separator: "/").dropLast() {
        directory += "/" + part
        mkdir(directory, 0o755)
    }
    // Unwrapped: newer glibc marks fputs' and fclose's stream nonnull.
    guard let file = fopen(path, "w") else {
        print("reader-bench: cannot write \(path)")
        exit(2)
    }
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
