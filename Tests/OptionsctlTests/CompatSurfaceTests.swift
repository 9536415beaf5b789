import Foundation
import Testing

/// Runs `sentry-options-cli` (the launcher beside optionsctl) with `arguments`.
func runCLI(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
    try run(arguments, in: directory, environment: environment, executable: sentryOptionsCLI)
}

/// A fixed generated_at, so two renders compare byte for byte.
let fixedEpoch = ["SOURCE_DATE_EPOCH": "1768348800"]

@Suite("sentry-options-cli surface: validate-schema, validate-values, write")
struct CompatSurfaceTests {
    @Test("--version names the reference version and optionsctl's")
    func version() throws {
        let result = try runCLI(["--version"], in: repositoryRoot)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("sentry-options-cli 1.2.5 (optionsctl "))
    }

    @Test("validate-schema succeeds with the reference's log line on stderr; --quiet before or after silences it")
    func validateSchema() throws {
        let result = try runCLI(["validate-schema", "--schemas", "schemas"], in: repositoryRoot)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == " INFO sentry_options_cli: Schema validation successful\n")
        for arguments in [
            ["--quiet", "validate-schema", "--schemas", "schemas"],
            ["validate-schema", "--schemas", "schemas", "--quiet"],
        ] {
            let quiet = try runCLI(arguments, in: repositoryRoot)
            #expect(quiet.status == 0)
            #expect(quiet.stderr.isEmpty, "\(arguments)")
        }
    }

    @Test("optionsctl compat takes the same commands")
    func compatGroup() throws {
        let result = try run(
            ["compat", "--quiet", "validate-values", "--schemas", "schemas", "--root", "option-values"],
            in: repositoryRoot)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
    }

    @Test("validate-schema lists every problem with file:line:col, then fails with exit 1")
    func validateSchemaErrors() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        try replace(
            #""description": "Maximum number of Autofix runs per organization per hour.""#, with: #""title": "x""#,
            in: root.appendingPathComponent("schemas/seer/schema.json"))
        let result = try runCLI(["validate-schema", "--schemas", "schemas"], in: root)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(#"schemas/seer/schema.json:"#))
        #expect(result.stderr.contains(#""description" is a required property"#))
        #expect(
            result.stderr.contains(
                "ERROR sentry_options_cli: Command failed error=Schema validation error: In file schemas/seer/schema.json:"
            ))
    }

    @Test("a missing --schemas directory is exit 1 with the reference's prefix")
    func missingSchemas() throws {
        let result = try runCLI(["validate-schema", "--schemas", "nowhere"], in: repositoryRoot)
        #expect(result.status == 1)
        #expect(result.stderr.contains("Command failed error=Schema validation error: Failed to read file:"))
        let values = try runCLI(["validate-values", "--schemas", "schemas", "--root", "nowhere"], in: repositoryRoot)
        #expect(values.status == 1)
        #expect(values.stderr.contains("Command failed error=Directory walk error:"))
    }

    @Test("validate-values: a bad value fails at its place; an unknown key is only a warning")
    func validateValues() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let bad = try runCLI(["validate-values", "--schemas", "schemas", "--root", "option-values"], in: root)
        #expect(bad.status == 1)
        #expect(
            bad.stderr.contains(
                #"option-values/seer/us/values.yaml:3:23: error: 'autofix.rate_limit': "fast" is not of type "integer""#
            ))
        try replace(
            "autofix.rate_limit: \"fast\"", with: "autofix.not_declared: 1",
            in: root.appendingPathComponent("option-values/seer/us/values.yaml"))
        let warned = try runCLI(["validate-values", "--schemas", "schemas", "--root", "option-values"], in: root)
        #expect(warned.status == 0)
        #expect(warned.stderr.contains("warning: Ignoring unknown option 'autofix.not_declared'"))
        #expect(warned.stderr.contains("INFO sentry_options_cli: Values validation successful"))
    }

    @Test(
        "usage errors exit 2: a missing required flag, an unknown flag, an unknown output format",
        arguments: [
            ["validate-values", "--schemas", "schemas"], ["validate-schema", "--schemas", "schemas", "--strict"],
            ["write", "--schemas", "schemas", "--root", "option-values", "--output-format", "yaml"],
            ["fetch-everything"],
        ])
    func usageErrors(arguments: [String]) throws {
        let result = try runCLI(arguments, in: repositoryRoot)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test("write (json, the default) writes every namespace and target, default included, compact with sorted keys")
    func writeJSON() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runCLI(
            ["write", "--schemas", "schemas", "--root", "option-values", "--out", "out"], in: root,
            environment: fixedEpoch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("INFO sentry_options_cli: Successfully wrote output files num_files=11"))
        let names = try regularFiles(in: root.appendingPathComponent("out")).keys.filter { !$0.hasPrefix(".") }.sorted()
        #expect(names.count == 11)
        #expect(names.contains("sentry-options-seer-default.json"))
        #expect(names.contains("sentry-options-snuba-s4s.json"))
        let payload = try String(
            contentsOf: root.appendingPathComponent("out/sentry-options-seer-us.json"), encoding: .utf8)
        #expect(payload.hasPrefix(#"{"generated_at":"2026-01-14T00:00:00+00:00","options":{"autofix.enabled":true,"#))
        #expect(!payload.hasSuffix("\n"))
        let missing = try runCLI(["write", "--schemas", "schemas", "--root", "option-values"], in: root)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("Command failed error=--out is required for json output format"))
    }

    @Test("write --output-format configmap: the integration guide's line prints one ConfigMap holding the JSON payload")
    func writeConfigMap() throws {
        let root = try exampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runCLI(
            [
                "write", "--schemas", "schemas/", "--root", "option-values/", "--output-format", "configmap",
                "--namespace", "seer", "--target", "us", "--commit-sha", "abc123", "--commit-timestamp", "1705180800",
            ], in: root, environment: fixedEpoch)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sentry-options-seer\n"))
        #expect(result.stdout.contains("commit_sha: abc123\n"))
        #expect(result.stdout.contains("commit_timestamp: '1705180800'\n"))
        #expect(
            result.stderr.contains("INFO sentry_options_cli: Successfully generated ConfigMap name=sentry-options-seer")
        )
        // data."values.json" is the JSON format's payload for the same pair.
        _ = try runCLI(
            ["write", "--schemas", "schemas", "--root", "option-values", "--out", "json"], in: root,
            environment: fixedEpoch)
        let payload = try String(
            contentsOf: root.appendingPathComponent("json/sentry-options-seer-us.json"), encoding: .utf8)
        #expect(result.stdout.contains("values.json: '\(payload.replacingOccurrences(of: "'", with: "''"))'"))
        // The same through `optionsctl compat`, and to a file (parents created, written whole).
        let file = try run(
            [
                "compat", "write", "--schemas", "schemas/", "--root", "option-values/", "--output-format", "configmap",
                "--namespace", "seer", "--target", "us", "--commit-sha", "abc123", "--commit-timestamp", "1705180800",
                "--out", "deploy/us/seer.yaml",
            ], in: root, environment: fixedEpoch)
        #expect(file.status == 0, "\(file.stderr)")
        #expect(file.stdout.isEmpty)
        #expect(file.stderr.contains("Successfully wrote ConfigMap path=deploy/us/seer.yaml"))
        #expect(
            try String(contentsOf: root.appendingPathComponent("deploy/us/seer.yaml"), encoding: .utf8) == result.stdout
        )
        #expect(try regularFiles(in: root.appendingPathComponent("deploy/us")).keys.sorted() == ["seer.yaml"])
    }

    @Test("write --output-format configmap: suffixes, names and lookups as the reference checks them")
    func configMapChecks() throws {
        let base = ["write", "--schemas", "schemas", "--root", "option-values", "--output-format", "configmap"]
        let suffixed = try runCLI(
            base + ["--namespace", "relay", "--target", "de", "--configmap-suffix", "control"], in: repositoryRoot)
        #expect(suffixed.status == 0)
        #expect(suffixed.stdout.contains("name: sentry-options-relay-control\n"))
        for suffix in ["Control", "control_silo", "control-", ""] {
            let result = try runCLI(
                base + ["--namespace", "relay", "--target", "de", "--configmap-suffix", suffix], in: repositoryRoot)
            #expect(result.status == 1, "suffix '\(suffix)'")
            #expect(
                result.stderr.contains(
                    "error=Schema validation error: Invalid ConfigMap name 'sentry-options-relay-\(suffix)'"))
            #expect(result.stdout.isEmpty)
        }
        let namespace = try runCLI(base + ["--namespace", "sear", "--target", "us"], in: repositoryRoot)
        #expect(namespace.status == 1)
        #expect(namespace.stderr.contains("error=Namespace 'sear' not found in values; did you mean 'seer'?"))
        let target = try runCLI(base + ["--namespace", "snuba", "--target", "de"], in: repositoryRoot)
        #expect(target.status == 1)
        #expect(target.stderr.contains("error=Target 'de' not found in namespace 'snuba'"))
        let noNamespace = try runCLI(base + ["--target", "us"], in: repositoryRoot)
        #expect(noNamespace.status == 1)
        #expect(noNamespace.stderr.contains("error=--namespace is required for configmap output format"))
        let noTarget = try runCLI(base + ["--namespace", "seer"], in: repositoryRoot)
        #expect(noTarget.stderr.contains("error=--target is required for configmap output format"))
    }

    @Test("write validates the whole tree first: nothing is written when any file is invalid")
    func writeRefusesInvalidTree() throws {
        let root = try exampleCopy(settingRateLimitLine: "autofix.rate_limit: \"fast\"")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runCLI(
            [
                "write", "--schemas", "schemas", "--root", "option-values", "--output-format", "configmap",
                "--namespace", "relay", "--target", "us", "--out", "cm.yaml",
            ], in: root)
        #expect(result.status == 1)
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("cm.yaml").path))
    }
}

@Suite("check-option-usage (reference §1.6 and its tests §6.4; optionsctl's file:line form)")
struct CheckOptionUsageTests {
    /// A values root of `root/{ns}/{target}/{file}` files, each `options: {key: "v"…}`.
    func valuesRoot(_ files: [String: [String]]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "optionsctl-usage-\(UUID().uuidString)")
        for (path, keys) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ("options:\n" + keys.map { "  \($0): \"v\"\n" }.joined()).write(
                to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        return root
    }

    @Test(
        "the reference's cases: pairs still set, in input order, one line on stdout",
        arguments: [
            ("sentry:removed.option sentry:old.feature", ""),
            (
                "sentry:feature.enabled sentry:removed.option sentry:traces.sample-rate",
                "sentry:feature.enabled sentry:traces.sample-rate"
            ),
            (
                "sentry:feature.enabled relay:relay.enabled relay:removed.option getsentry:billing.enabled",
                "sentry:feature.enabled relay:relay.enabled getsentry:billing.enabled"
            ),
            ("nonexistent:some.option", ""),
            ("", ""),
            (
                "sentry:feature.enabled sentry:s4s.option sentry:core.option sentry:missing.option",
                "sentry:feature.enabled sentry:s4s.option sentry:core.option"
            ),
            ("sentry:core.option sentry:core.option", "sentry:core.option sentry:core.option"),
        ])
    func referenceCases(deletions: String, expected: String) throws {
        let root = try valuesRoot([
            "sentry/default/values.yaml": ["feature.enabled", "system.url", "traces.sample-rate"],
            "sentry/default/core.yaml": ["core.option"],
            "sentry/s4s/values.yaml": ["s4s.option"],
            "relay/default/values.yaml": ["relay.enabled"],
            "getsentry/default/values.yaml": ["billing.enabled"],
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try runCLI(["check-option-usage", "--deletions", deletions, "--root", root.path], in: root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected + "\n")
    }

    @Test("a token without a colon, or a missing root, is exit 1 with the reference's message")
    func errors() throws {
        let root = try valuesRoot(["sentry/default/values.yaml": ["a"]])
        defer { try? FileManager.default.removeItem(at: root) }
        let token = try runCLI(["check-option-usage", "--deletions", "sentry:a bad", "--root", "."], in: root)
        #expect(token.status == 1)
        #expect(token.stderr.contains("error=Invalid key format 'bad', expected 'namespace:option'"))
        let missing = try runCLI(["check-option-usage", "--deletions", "sentry:a", "--root", "nowhere"], in: root)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error=Directory walk error:"))
    }

    @Test("a file without an options mapping is an error, not a crash (the reference panics)")
    func malformedFile() throws {
        let root = try valuesRoot(["sentry/default/values.yaml": ["a"]])
        defer { try? FileManager.default.removeItem(at: root) }
        try "settings: {}\n".write(
            to: root.appendingPathComponent("sentry/default/other.yaml"), atomically: true, encoding: .utf8)
        let result = try runCLI(["check-option-usage", "--deletions", "sentry:a", "--root", "."], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("sentry/default/other.yaml"))
        #expect(result.stderr.contains("expected top level key 'options'"))
    }

    @Test("optionsctl check-option-usage names each file and line, from --deletions or from diff's JSON")
    func fileAndLine() throws {
        let root = try committedExampleCopy()
        defer { try? FileManager.default.removeItem(at: root) }
        let text = try run(["check-option-usage", "--deletions", "seer:autofix.enabled relay:nothing.here"], in: root)
        #expect(text.status == 1)
        #expect(
            text.stdout.contains(
                "option-values/seer/us/values.yaml:2:3: warning: 'autofix.enabled' is removed from the schema of 'seer' but still set here (target us); remove the value [removed-option-in-use]"
            ))
        #expect(text.stdout.split(separator: "\n").count == 4)
        #expect(text.stderr.contains("1 of 2 removed option(s) still set, in 4 place(s)"))
        // Remove the option from the schema, as a pull request would, and feed diff's JSON in.
        let schema = root.appendingPathComponent("schemas/relay/schema.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: schema)) as! [String: Any]
        var properties = json["properties"] as! [String: Any]
        let removed = properties.keys.sorted().first { !$0.hasPrefix("feature.") }!
        properties.removeValue(forKey: removed)
        json["properties"] = properties
        try JSONSerialization.data(withJSONObject: json).write(to: schema)
        let diff = try run(["diff", "--format", "json"], in: root)
        try diff.stdout.write(to: root.appendingPathComponent("diff.json"), atomically: true, encoding: .utf8)
        let fromDiff = try run(["check-option-usage", "--diff", "diff.json", "--format", "github"], in: root)
        #expect(fromDiff.stdout.contains("::warning file=option-values/relay/"))
        #expect(fromDiff.stdout.contains("'\(removed)' is removed from the schema of 'relay'"))
        let clean = try run(["check-option-usage", "--deletions", "relay:nothing.here"], in: root)
        #expect(clean.status == 0)
        #expect(clean.stdout.isEmpty)
        let usage = try run(["check-option-usage"], in: root)
        #expect(usage.status == 2)
    }
}
