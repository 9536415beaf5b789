import FuzzSupport
import OptionsSchema
import Pipeline

/// The YAML loader (libyaml events, the scalar resolver, the duplicate-key index, positions): any input loads or
/// is reported without a crash, and whatever loads is written as JSON that reads back as the same value.
Fuzz.run { bytes in
    let document = YAMLLoader.load(bytes)
    if let root = document.root, document.issues.isEmpty {
        let back = Fuzz.roundTrip(root)
        Fuzz.require(back != nil, "a loaded document writes JSON that does not parse: \(JSONWriter.compact(root))")
        if let back {
            Fuzz.require(back.isSameValue(as: root), "JSON round trip changed \(JSONWriter.compact(root))")
        }
    }
}
