import OptionsSchema
import Testing

@testable import Pipeline

/// A small deterministic generator, so every run tries the same inputs.
struct SplitMix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

/// Damages `bytes` a few times: flips, deletes, duplicates and inserts bytes that matter to YAML and JSON.
func mutate(_ bytes: [UInt8], _ random: inout SplitMix) -> [UInt8] {
    var bytes = bytes
    let interesting = Array("{}[]:,\"'\\\n\t &*!|>-#%@`0.e~".utf8) + [0x00, 0xC3, 0xFF, 0x80]
    for _ in 0..<(1 + random.below(4)) {
        guard !bytes.isEmpty else { break }
        let index = random.below(bytes.count)
        switch random.below(4) {
        case 0: bytes[index] = interesting[random.below(interesting.count)]
        case 1: bytes.remove(at: index)
        case 2: bytes.insert(contentsOf: bytes[index..<min(bytes.count, index + 1 + random.below(8))], at: index)
        default: bytes.insert(interesting[random.below(interesting.count)], at: index)
        }
    }
    return bytes
}

let sampleValues = """
    options:
      autofix.enabled: true
      autofix.rate_limit: 200
      autofix.enabled_orgs: [1, 447951]
      autofix.retry_policy: {max_attempts: 5, backoff_seconds: 1.5}
      feature.organizations:x:
        owner: {team: t}
        created_at: "2024-01-01"
        segments:
          - name: s
            rollout: 50
            conditions: [{property: org, operator: in, value: [1, 2]}]
    """

let sampleSchema = ##"""
    {"version": "1.0", "type": "object", "properties": {
      "autofix.enabled": {"type": "boolean", "default": false, "description": "d"},
      "autofix.rate_limit": {"type": "integer", "default": 10, "description": "d"},
      "autofix.enabled_orgs": {"type": "array", "items": {"type": "integer"}, "default": [], "description": "d"},
      "autofix.retry_policy": {"type": "object", "default": {"max_attempts": 1, "backoff_seconds": 1.0},
        "description": "d", "properties": {"max_attempts": {"type": "integer"}, "backoff_seconds": {"type": "number"},
        "cap": {"type": "number", "optional": true}}},
      "feature.organizations:x": {"$ref": "#/definitions/Feature"}
    }}
    """##

@Suite("Damaged input never crashes and every error has a place")
struct RobustnessTests {
    @Test("3,000 damaged values files: no crash, every reported position lies inside the file")
    func damagedValues() throws {
        let schema = try #require(try SchemaParser.parse(json: Array(sampleSchema.utf8), namespace: "seer").schema)
        let checker = ValuesChecker(schema: schema)
        let file = ValuesFile(path: "option-values/seer/default/values.yaml", namespace: "seer", target: "default")
        var random = SplitMix(state: 20_240_601)
        let original = Array(sampleValues.utf8)
        for _ in 0..<3000 {
            let bytes = mutate(original, &random)
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            let result = checker.check(bytes, file: file, displayPath: "values.yaml")
            for diagnostic in result.diagnostics {
                guard let position = diagnostic.position else { continue }
                #expect(position.line >= 1 && position.line <= lines + 1, "\(diagnostic.message)")
                #expect(position.column >= 1)
            }
        }
    }

    @Test("3,000 damaged schemas: no crash; a schema is either parsed or rejected with positioned errors")
    func damagedSchemas() {
        var random = SplitMix(state: 42)
        let original = Array(sampleSchema.utf8)
        var accepted = 0
        for _ in 0..<3000 {
            let bytes = mutate(original, &random)
            do {
                let result = try SchemaParser.parse(json: bytes, namespace: "seer")
                if result.schema != nil {
                    accepted += 1
                } else {
                    #expect(result.issues.contains { $0.severity == .error && $0.position != nil })
                }
            } catch {
                #expect(error.position.line >= 1 && error.position.column >= 1)
            }
        }
        #expect(accepted > 0, "some mutations (inside strings, whitespace) keep the schema valid")
    }
}
