import FuzzSupport
import OptionsSchema
import Pipeline

/// Values validation and feature-flag validation: a values file (the input after its first byte, which picks
/// the example schema) is checked against every rule without a crash; every diagnostic has a position in the
/// file or none,.
Fuzz.run { input in
    guard let first = input.first else { return }
    let schema = Fuzz.schemas[Int(first) % Fuzz.schemas.count]
    let bytes = Array(input.dropFirst())
    let checker = ValuesChecker(schema: schema)
    let file = ValuesFile(path: "option-values/\(schema.name)/us/values.yaml", namespace: schema.name, target: "us")
    let result = checker.check(bytes, file: file, displayPath: file.path, retainsOptions: true)
    let lines = Fuzz.yamlLineCount(bytes)
    for diagnostic in result.diagnostics {
        if let position = diagnostic.position {
            Fuzz.require(
                position.line >= 1 && position.line <= lines && position.column >= 1,
                "diagnostic at \(position) outside a \(lines)-line file: \(diagnostic.message)")
        }
    }
}
