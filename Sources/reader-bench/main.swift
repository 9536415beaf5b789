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
