import Foundation
import Reader
import Testing

/// A value behind an `NSLock` (which the thread sanitizer understands), for what handlers report.
final class Guarded<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<Result>(_ body: (inout Value) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}

/// Events the reload handlers saw, for assertions.
final class ReloadEvents: Sendable {
    let errors = Guarded<[String]>([])
    let propagations = Guarded<[(String, Double)]>([])

    var policy: ReloadPolicy {
        ReloadPolicy(
            refreshInterval: nil,
            onError: { namespace, error in self.errors.withLock { $0.append("\(namespace): \(error)") } },
            onPropagation: { namespace, delay in self.propagations.withLock { $0.append((namespace, delay)) } })
    }
}

/// A values payload with a given `generated_at`.
func payload(_ options: String, generatedAt: String = "2026-01-14T00:00:00+00:00") -> String {
    #"{"generated_at": ""# + generatedAt + #"", "options": "# + options + "}"
}

let countSchema = #""count": {"type": "integer", "default": 1, "description": "x"}"#

@Suite("Reader: hot reload (reference §5.5–5.7)")
struct HotReloadTests {
    @Test("refresh() reports no change for an untouched file, then publishes a rewritten one")
    func refresh() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: nil))
        let test = try store.namespace("test")
        #expect(try store.refresh() == false)
        try directory.write("values/test/values.json", payload(#"{"count": 30}"#, generatedAt: "2026-01-15T00:00:00Z"))
        #expect(try test.int("count") == 2, "no refresh on reads when the interval is nil")
        #expect(try store.refresh() == true)
        #expect(try test.int("count") == 30)
        #expect(try test.generatedAt == "2026-01-15T00:00:00Z")
        #expect(try store.refresh() == false)
    }

    @Test("a namespace's snapshot is made at its first read from what the last load checked, not from the file now")
    func snapshotAtFirstRead() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema + #", "name": {"type": "string", "default": "n", "description": "x"}"#)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: nil))
        // Changed before any read: the first read still sees what construction checked.
        try directory.write("values/test/values.json", payload(#"{"count": "two"}"#))
        let test = try store.namespace("test")
        #expect(try test.int("count") == 2)
        #expect(try test.string("name") == "n")
        #expect(try test.isSet("count") && !test.isSet("name"))
        #expect(throws: OptionsError.self) { try store.refresh() }
        #expect(try test.int("count") == 2, "a bad file keeps the last good snapshot")
        // Two reloads before the next read: it sees the last one.
        try directory.write("values/test/values.json", payload(#"{"count": 5}"#, generatedAt: "2026-01-15T00:00:00Z"))
        #expect(try store.refresh() == true)
        try directory.write("values/test/values.json", payload(#"{"name": "m"}"#, generatedAt: "2026-01-16T00:00:00Z"))
        #expect(try store.refresh() == true)
        #expect(try test.values() == ["count": .integer(1), "name": .string("m")])
        #expect(try test.generatedAt == "2026-01-16T00:00:00Z")
    }

    @Test("a read after the interval reloads; within it, the snapshot is served")
    func refreshOnRead() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let eager = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: .zero))
        let patient = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: .seconds(3600)))
        try directory.write("values/test/values.json", payload(#"{"count": 3}"#))
        #expect(try eager.namespace("test").int("count") == 3)
        #expect(try patient.namespace("test").int("count") == 2)
        #expect(try patient.refresh() == true)
        #expect(try patient.namespace("test").int("count") == 3)
    }

    @Test("the Kubernetes ..data symbolic-link swap is seen even when time and size do not change")
    func symlinkSwap() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        let mount = directory.url.appendingPathComponent("values/test")
        let files = FileManager.default
        // As the kubelet lays out a ConfigMap volume: values.json -> ..data/values.json, ..data -> ..<timestamp>.
        try directory.write("values/test/..2026_01_14_00_00_00.1/values.json", payload(#"{"count": 2}"#))
        try files.createSymbolicLink(
            atPath: mount.appendingPathComponent("..data").path, withDestinationPath: "..2026_01_14_00_00_00.1")
        try files.createSymbolicLink(
            atPath: mount.appendingPathComponent("values.json").path, withDestinationPath: "..data/values.json")
        let stamp = Date(timeIntervalSince1970: 1_768_348_800)
        let first = mount.appendingPathComponent("..2026_01_14_00_00_00.1/values.json")
        try files.setAttributes([.modificationDate: stamp], ofItemAtPath: first.path)
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: nil))
        #expect(try store.namespace("test").int("count") == 2)
        // Same size, same modification time, new directory: only the resolved path (and inode) differ.
        try directory.write("values/test/..2026_01_14_00_01_00.2/values.json", payload(#"{"count": 3}"#))
        let second = mount.appendingPathComponent("..2026_01_14_00_01_00.2/values.json")
        try files.setAttributes([.modificationDate: stamp], ofItemAtPath: second.path)
        try files.createSymbolicLink(
            atPath: mount.appendingPathComponent("..data_tmp").path, withDestinationPath: "..2026_01_14_00_01_00.2")
        #expect(
            rename(mount.appendingPathComponent("..data_tmp").path, mount.appendingPathComponent("..data").path) == 0)
        try files.removeItem(at: mount.appendingPathComponent("..2026_01_14_00_00_00.1"))
        #expect(try store.refresh() == true)
        #expect(try store.namespace("test").int("count") == 3)
    }

    @Test(
        "a truncated or invalid file keeps the last good snapshot, tells the handler, and is retried",
        arguments: [
            #"{"generated_at": "2026-01-14T00:00:00+00:00", "options": {"cou"#,
            payload(#"{"count": "many"}"#),
        ])
    func badFileKeepsSnapshot(_ bad: String) async throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let events = ReloadEvents()
        var policy = events.policy
        policy.refreshInterval = .zero
        let store = try OptionsStore(directory: directory.path, reload: policy)
        let test = try store.namespace("test")
        try directory.write("values/test/values.json", bad)
        #expect(try test.int("count") == 2, "the read that found the bad file still answers")
        #expect(events.errors.withLock { $0.count } == 1)
        #expect(events.errors.withLock { $0.first?.hasPrefix("test: ") ?? false })
        #expect(throws: OptionsError.self) { try store.refresh() }
        #expect(try test.int("count") == 2)
        try directory.write("values/test/values.json", payload(#"{"count": 4}"#))
        #expect(try test.int("count") == 4, "the repaired file is read")
    }

    @Test("one bad namespace does not hold back the reload of another (unlike the reference)")
    func independentNamespaces() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("good", countSchema)
        try directory.schema("bad", countSchema)
        try directory.write("values/good/values.json", payload(#"{"count": 2}"#))
        try directory.write("values/bad/values.json", payload(#"{"count": 2}"#))
        let events = ReloadEvents()
        let store = try OptionsStore(directory: directory.path, reload: events.policy)
        try directory.write("values/good/values.json", payload(#"{"count": 5}"#))
        try directory.write("values/bad/values.json", payload(#"{"count": 5.5}"#))
        #expect(throws: OptionsError.self) { try store.refresh() }
        #expect(try store.namespace("good").int("count") == 5)
        #expect(try store.namespace("bad").int("count") == 2)
        #expect(events.errors.withLock { $0.map { $0.prefix(5) } } == ["bad: "])
    }

    @Test("a values file that disappears means defaults; when it comes back, its values")
    func appearsAndDisappears() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: nil))
        let test = try store.namespace("test")
        #expect(try test.int("count") == 1 && test.isSet("count") == false)
        try directory.write("values/test/values.json", payload(#"{"count": 7}"#))
        #expect(try store.refresh() == true)
        #expect(try test.int("count") == 7 && test.isSet("count") == true)
        try FileManager.default.removeItem(at: directory.url.appendingPathComponent("values/test/values.json"))
        #expect(try store.refresh() == true)
        #expect(try test.int("count") == 1 && test.isSet("count") == false)
        #expect(try test.generatedAt == nil)
    }

    @Test("the propagation callback fires when generated_at changes, with the delay; never on the first load")
    func propagation() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let events = ReloadEvents()
        let store = try OptionsStore(directory: directory.path, reload: events.policy)
        #expect(events.propagations.withLock { $0.isEmpty })
        // Same generated_at, new content: a reload, no callback (observed in the reference).
        try directory.write("values/test/values.json", payload(#"{"count": 3}"#))
        #expect(try store.refresh() == true)
        #expect(events.propagations.withLock { $0.isEmpty })
        // Generated ten seconds ago.
        let tenSecondsAgo = Date().addingTimeInterval(-10)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        try directory.write(
            "values/test/values.json", payload(#"{"count": 4}"#, generatedAt: formatter.string(from: tenSecondsAgo)))
        #expect(try store.refresh() == true)
        let seen = events.propagations.withLock { $0 }
        #expect(seen.count == 1)
        #expect(seen.first?.0 == "test")
        #expect((9.0..<60.0).contains(seen.first?.1 ?? -1))
        // A generated_at in the future (clock skew) is a delay of 0; an unparseable one fires nothing.
        try directory.write("values/test/values.json", payload(#"{"count": 5}"#, generatedAt: "2999-01-01T00:00:00Z"))
        #expect(try store.refresh() == true)
        try directory.write("values/test/values.json", payload(#"{"count": 6}"#, generatedAt: "yesterday"))
        #expect(try store.refresh() == true)
        #expect(events.propagations.withLock { $0.map(\.1) }.dropFirst() == [0.0])
    }

    @Test("a lazy namespace that cannot be read yet has its flags off, and on once its file is repaired")
    func lazyFlags() throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", ##""feature.beta": {"$ref": "#/definitions/Feature"}"##)
        try directory.write("values/test/values.json", #"{"options": {"feature.beta": 1}}"#)
        let store = try OptionsStore(
            directory: directory.path, loading: .lazy, reload: ReloadPolicy(refreshInterval: nil))
        let features = store.features("test")
        #expect(!features.isEnabled("beta", context: FeatureContext()))
        #expect(throws: OptionsError.self) { try store.namespace("test") }
        try directory.write(
            "values/test/values.json",
            #"{"options": {"feature.beta": {"owner": {"team": "t"}, "created_at": "2024-01-01", "segments": [{"name": "all", "conditions": []}]}}}"#
        )
        #expect(features.isEnabled("beta", context: FeatureContext()))
        #expect(features.evaluate("beta", context: FeatureContext())?.segment == "all")
    }

    @Test("polling in a background task picks up a change without any read-triggered refresh")
    func polling() async throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema("test", countSchema)
        try directory.write("values/test/values.json", payload(#"{"count": 2}"#))
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: nil))
        let test = try store.namespace("test")
        let polling = Task { await store.pollForChanges(every: .milliseconds(5)) }
        defer { polling.cancel() }
        try directory.write("values/test/values.json", payload(#"{"count": 9}"#))
        var seen = try test.int("count")
        for _ in 0..<2000 where seen != 9 {
            try await Task.sleep(for: .milliseconds(5))
            seen = try test.int("count")
        }
        #expect(seen == 9)
    }

    @Test("many tasks reading while the file is swapped again and again only ever see whole snapshots")
    func concurrentSwaps() async throws {
        let directory = try OptionsDirectory()
        defer { directory.remove() }
        try directory.schema(
            "test", countSchema + #", "twin": {"type": "integer", "default": 1, "description": "x"}"#)
        try directory.write("values/test/values.json", payload(#"{"count": 0, "twin": 0}"#))
        let store = try OptionsStore(directory: directory.path, reload: ReloadPolicy(refreshInterval: .zero))
        let test = try store.namespace("test")
        let valuesFile = directory.url.appendingPathComponent("values/test/values.json")
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                // The writer: each version replaces the file atomically, count and twin always equal.
                for version in 1...200 {
                    try Data(payload(#"{"count": \#(version), "twin": \#(version)}"#).utf8).write(
                        to: valuesFile, options: .atomic)
                    _ = try? store.refresh()
                }
                return 0
            }
            for _ in 0..<8 {
                group.addTask {
                    var mismatches = 0
                    var last = 0
                    for _ in 0..<300 {
                        let values = try test.values()
                        guard case .integer(let count) = values["count"], case .integer(let twin) = values["twin"]
                        else {
                            return 1
                        }
                        if count != twin || Int(count) < last { mismatches += 1 }
                        last = Int(count)
                    }
                    return mismatches
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        _ = try store.refresh()
        #expect(try test.int("count") == 200)
    }
}
