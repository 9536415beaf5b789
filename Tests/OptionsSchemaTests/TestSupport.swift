@testable import OptionsSchema

/// Parses a schema document given as JSON text.
func parseSchema(_ json: String, namespace: String = "test") throws -> SchemaParseResult {
    try SchemaParser.parse(json: Array(json.utf8), namespace: namespace)
}

/// A schema document with the given `properties` JSON.
func schemaJSON(_ properties: String, version: String = "\"1.0\"") -> String {
    #"{"version": \#(version), "type": "object", "properties": {\#(properties)}}"#
}

/// A regular option definition.
func option(_ type: String, _ defaultValue: String, extra: String = "") -> String {
    #"{"type": "\#(type)", "default": \#(defaultValue), "description": "test"\#(extra.isEmpty ? "" : ", " + extra)}"#
}

/// The messages of every error in a result.
func errorMessages(_ result: SchemaParseResult) -> [String] {
    result.issues.filter { $0.severity == .error }.map(\.message)
}

/// Loads a one-option schema and validates `value` (JSON text) against that option.
func validate(_ value: String, against definition: String, key: String = "opt") throws -> [Issue] {
    let result = try parseSchema(schemaJSON(#""\#(key)": \#(definition)"#))
    guard let schema = result.schema, let type = schema.options[key]?.type else {
        throw SchemaLoadFailure(messages: errorMessages(result))
    }
    var issues: [Issue] = []
    var path = ValuePath([.key(key)])
    ValueValidator.validate(try JSONReader.parse(Array(value.utf8)), against: type, path: &path, into: &issues)
    return issues
}

/// Validates a feature-flag value given as JSON text.
func validateFeature(_ value: String) throws -> [Issue] {
    var issues: [Issue] = []
    var path = ValuePath([.key("feature.organizations:test")])
    FeatureFlagValidator.validate(try JSONReader.parse(Array(value.utf8)), path: &path, into: &issues)
    return issues
}

struct SchemaLoadFailure: Error {
    var messages: [String]
}
