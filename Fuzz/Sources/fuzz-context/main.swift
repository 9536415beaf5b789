import FuzzSupport
import OptionsSchema
import Pipeline

/// `optionsctl flag`'s context arguments: the input's first line is `--context-json`, the next lines are
/// `--context` entries (typed as YAML) and the last is `--identity-fields`. Any text is a context or a message.
Fuzz.run { bytes in
    let text = String(decoding: bytes, as: UTF8.self)
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let json = lines.isEmpty ? nil : lines.removeFirst()
    let identity = lines.popLast()
    do throws(ContextArguments.Problem) {
        let context = try ContextArguments(json: json, entries: lines, identityFields: identity)
        Fuzz.require(!context.identityFields.contains(""), "an empty identity field")
        for entry in lines {
            guard let equals = entry.firstIndex(of: "=") else { continue }
            Fuzz.require(context.values[String(entry[..<equals])] != nil, "entry '\(entry)' is not in the context")
        }
    } catch {
        Fuzz.require(error.message.hasPrefix("--context"), "a message that names no flag: \(error.message)")
    }
}
