import FuzzSupport
import OptionsSchema
import Pipeline

/// The value differ: two JSON values (the input cut at its first NUL byte) give field changes that are empty
/// exactly when the values are the same.
Fuzz.run { bytes in
    let (first, second) = Fuzz.halves(bytes)
    guard let before = try? JSONReader.parse(first), let after = try? JSONReader.parse(second) else { return }
    let changes = ValueDiffer.changes(from: before, to: after)
    Fuzz.require(
        changes.isEmpty == before.isSameValue(as: after),
        "\(changes.count) changes between \(JSONWriter.compact(before)) and \(JSONWriter.compact(after))")
    for change in changes { _ = change.path }
}
