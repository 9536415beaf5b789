// Built only with the ConfigurationProvider trait: `swift test --traits ConfigurationProvider`.
#if ConfigurationProvider
    import Configuration
    import Foundation
    import Reader
    import ReaderConfiguration
    import Testing

    @Suite("ReaderConfiguration: the store through swift-configuration's ConfigReader")
    struct OptionsConfigProviderTests {
        /// A store over a scratch directory with one namespace.
        func store() throws -> (OptionsStore, URL) {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("optionsctl-config-\(UUID())")
            let files = [
                "schemas/seer/schema.json":
                    #"{"version": "1.0", "type": "object", "properties": {"#
                    + #""autofix.rate_limit": {"type": "integer", "default": 50, "description": "x"}, "#
                    + #""autofix.enabled": {"type": "boolean", "default": false, "description": "x"}, "#
                    + #""autofix.sample_rate": {"type": "number", "default": 0.5, "description": "x"}, "#
                    + #""autofix.orgs": {"type": "array", "items": {"type": "integer"}, "default": [], "description": "x"}, "#
                    + #""autofix.model": {"type": "string", "default": "small", "description": "x"}}}"#,
                "values/seer/values.json": #"{"options": {"autofix.rate_limit": 200, "autofix.orgs": [1, 2]}}"#,
            ]
            for (path, text) in files {
                let url = root.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return (try OptionsStore(directory: root.path, reload: ReloadPolicy(refreshInterval: nil)), root)
        }

        @Test("set values, schema defaults, arrays and numbers read through ConfigReader")
        func reads() throws {
            let (store, root) = try store()
            defer { try? FileManager.default.removeItem(at: root) }
            let config = ConfigReader(provider: OptionsConfigProvider(store: store))
            #expect(config.int(forKey: "seer.autofix.rate_limit") == 200)
            #expect(config.bool(forKey: "seer.autofix.enabled") == false)
            #expect(config.double(forKey: "seer.autofix.sample_rate") == 0.5)
            #expect(config.double(forKey: "seer.autofix.rate_limit") == 200.0)
            #expect(config.string(forKey: "seer.autofix.model") == "small")
            #expect(config.intArray(forKey: "seer.autofix.orgs") == [1, 2])
            #expect(config.string(forKey: "seer.autofix.unknown") == nil)
            #expect(config.string(forKey: "nope.autofix.model", default: "fallback") == "fallback")
            #expect(throws: (any Error).self) { try config.requiredString(forKey: "seer.autofix.rate_limit") }
        }

        @Test("a reload shows through the provider; a snapshot keeps what it first read")
        func reloads() throws {
            let (store, root) = try store()
            defer { try? FileManager.default.removeItem(at: root) }
            let provider = OptionsConfigProvider(store: store)
            let config = ConfigReader(provider: provider)
            let snapshot = provider.snapshot()
            #expect(
                try snapshot.value(forKey: ["seer", "autofix", "rate_limit"], type: .int).value?.content == .int(200))
            try Data(#"{"options": {"autofix.rate_limit": 7}}"#.utf8).write(
                to: root.appendingPathComponent("values/seer/values.json"))
            #expect(try store.refresh())
            #expect(config.int(forKey: "seer.autofix.rate_limit") == 7)
            #expect(
                try snapshot.value(forKey: ["seer", "autofix", "rate_limit"], type: .int).value?.content == .int(200))
        }
    }
#endif
