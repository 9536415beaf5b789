import OptionsSchema

/// The sentry-options values payload (reference §1.3): `{"generated_at": …, "options": {…}}`, compact, keys
/// sorted at every depth, integers and floats kept apart, strings escaped as serde_json does.
///
/// Only values set in `default` or the target are written; schema defaults are not materialised (clients fall
/// back to them), and keys the schema does not declare are passed through, as sentry-options does.
public enum PayloadRenderer {
    /// The payload bytes of a merged configuration.
    public static func render(_ configuration: EffectiveConfiguration, generatedAt: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64 + 32 * configuration.options.count)
        output.append(contentsOf: #"{"generated_at":"#.utf8)
        JSONWriter.writeString(generatedAt, into: &output)
        output.append(contentsOf: #","options":{"#.utf8)
        // The configuration is sorted by key already, as the payload wants.
        var first = true
        for option in configuration.options {
            guard let value = option.value else { continue }
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSONWriter.writeString(option.key, into: &output)
            output.append(UInt8(ascii: ":"))
            JSONWriter.write(value, into: &output)
        }
        output.append(contentsOf: "}}".utf8)
        return output
    }

    /// The payloads of one namespace in each of `targets`, from its values files already read (in path order):
    /// byte for byte what `render(_:generatedAt:)` writes for each target's `EffectiveConfiguration`.
    ///
    /// Each option value is written to JSON once: the `default` layer is rendered once and its entries are copied
    /// into the payload of every target that inherits them, so a namespace with eight targets serialises its
    /// defaults once, not eight times, and no provenance is built.
    public static func payloads(files: [LoadedValuesFile], targets: [String], generatedAt: String) -> [[UInt8]] {
        var defaultFiles: [LoadedValuesFile] = []
        var byTarget: [String: [LoadedValuesFile]] = [:]
        for file in files {
            if file.file.target == TreeLayout.defaultTarget {
                defaultFiles.append(file)
            } else {
                byTarget[file.file.target, default: []].append(file)
            }
        }
        let defaults = RenderedLayer(files: defaultFiles)
        var header: [UInt8] = Array(#"{"generated_at":"#.utf8)
        JSONWriter.writeString(generatedAt, into: &header)
        header.append(contentsOf: #","options":{"#.utf8)
        return targets.map { target in
            let own = target == TreeLayout.defaultTarget ? nil : byTarget[target].map(RenderedLayer.init(files:))
            var output: [UInt8] = []
            output.reserveCapacity(header.count + defaults.bytes.count + (own?.bytes.count ?? 0) + 2)
            output.append(contentsOf: header)
            if let own {
                RenderedLayer.merge(defaults, under: own, into: &output)
            } else {
                defaults.append(all: &output)
            }
            output.append(contentsOf: "}}".utf8)
            return output
        }
    }

    /// The file name the reference gives the payload of a namespace and target.
    public static func fileName(namespace: String, target: String) -> String {
        "sentry-options-\(namespace)-\(target).json"
    }
}

/// The options of one layer's files (`default`, or one target) rendered once as `"key":value` JSON entries, sorted
/// by the UTF-8 bytes of the key; of a key set twice, the last one stays (reference §3).
struct RenderedLayer {
    /// The keys, sorted, one per entry.
    var keys: [String] = []
    /// Every entry's bytes, one after the other.
    var bytes: [UInt8] = []
    /// Where each entry ends in `bytes` (it starts where the previous one ends).
    var ends: [Int] = []

    init(files: [LoadedValuesFile]) {
        var members: [Node.Member] = []
        for file in files { members += file.options }
        let chosen = EffectiveConfiguration.lastOfEachKey(members.map(\.key))
        self.keys.reserveCapacity(chosen.count)
        ends.reserveCapacity(chosen.count)
        for last in chosen {
            let member = members[last]
            JSONWriter.writeString(member.key, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONWriter.write(member.value, into: &bytes)
            self.keys.append(member.key)
            ends.append(bytes.count)
        }
    }

    /// Appends entries `range` to `output`, comma-separated, `needsComma` telling whether output already has one.
    func append(_ range: Range<Int>, to output: inout [UInt8], needsComma: inout Bool) {
        for index in range {
            if needsComma { output.append(UInt8(ascii: ",")) }
            needsComma = true
            let start = index == 0 ? 0 : ends[index - 1]
            output.append(contentsOf: bytes[start..<ends[index]])
        }
    }

    /// Appends every entry, comma-separated.
    func append(all output: inout [UInt8]) {
        var needsComma = false
        append(0..<keys.count, to: &output, needsComma: &needsComma)
    }

    /// Appends the union of both layers, sorted by key, an entry of `top` replacing the one of `base` with its key.
    static func merge(_ base: RenderedLayer, under top: RenderedLayer, into output: inout [UInt8]) {
        var needsComma = false
        var baseIndex = 0
        for topIndex in top.keys.indices {
            let key = top.keys[topIndex]
            var end = baseIndex
            while end < base.keys.count && JSONWriter.utf8Precedes(base.keys[end], key) { end += 1 }
            base.append(baseIndex..<end, to: &output, needsComma: &needsComma)
            baseIndex = end
            if baseIndex < base.keys.count && base.keys[baseIndex] == key { baseIndex += 1 }
            top.append(topIndex..<topIndex + 1, to: &output, needsComma: &needsComma)
        }
        base.append(baseIndex..<base.keys.count, to: &output, needsComma: &needsComma)
    }
}
