internal import CLibYAML

/// A YAML value to emit: string scalars and mappings are all a ConfigMap needs.
public indirect enum YAMLOutput: Sendable {
    case string(String)
    case mapping([(String, YAMLOutput)])
}

/// An error from libyaml's emitter.
public struct YAMLEmitterError: Error, Sendable, CustomStringConvertible {
    /// libyaml's problem text.
    public var description: String
}

/// Writes YAML documents through libyaml's emitter (never by string concatenation), so quoting and escaping are
/// right for any content.
///
/// Strings that a YAML reader would take for something else (`1705180800`, `true`, `null`, `2.0`) are single-quoted,
/// so Kubernetes reads every annotation and data value as a string. Lines are never wrapped.
public enum YAMLEmitter {
    /// One YAML stream holding `documents`, each started with `---`.
    public static func render(_ documents: [YAMLOutput]) throws(YAMLEmitterError) -> [UInt8] {
        let emitter = UnsafeMutablePointer<yaml_emitter_t>.allocate(capacity: 1)
        defer { emitter.deallocate() }
        guard yaml_emitter_initialize(emitter) == 1 else {
            throw YAMLEmitterError(description: "libyaml could not start")
        }
        defer { yaml_emitter_delete(emitter) }
        let sink = Sink()
        let box = Unmanaged.passRetained(sink)
        defer { box.release() }
        yaml_emitter_set_output(
            emitter,
            { data, buffer, size in
                guard let data, let buffer else { return 0 }
                Unmanaged<Sink>.fromOpaque(data).takeUnretainedValue().bytes.append(
                    contentsOf: UnsafeBufferPointer(start: buffer, count: size))
                return 1
            }, box.toOpaque())
        yaml_emitter_set_width(emitter, -1)
        yaml_emitter_set_unicode(emitter, 1)

        var event = yaml_event_t()
        func emit(_ initialised: Int32) throws(YAMLEmitterError) {
            guard initialised == 1, yaml_emitter_emit(emitter, &event) == 1 else {
                let problem = emitter.pointee.problem.map { String(cString: $0) } ?? "emitter error"
                throw YAMLEmitterError(description: problem)
            }
        }
        try emit(yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING))
        for document in documents {
            try emit(yaml_document_start_event_initialize(&event, nil, nil, nil, 0))
            try emitValue(document, emit)
            try emit(yaml_document_end_event_initialize(&event, 1))
        }
        try emit(yaml_stream_end_event_initialize(&event))
        func emitValue(_ value: YAMLOutput, _ emit: (Int32) throws(YAMLEmitterError) -> Void) throws(YAMLEmitterError) {
            switch value {
            case .string(let text):
                var text = text
                let style = mayBePlain(text) ? YAML_ANY_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE
                var empty: UInt8 = 0
                let count = text.utf8.count
                let initialised = text.withUTF8 { bytes in
                    // libyaml wants a non-null pointer even for an empty scalar.
                    let pointer = bytes.baseAddress ?? withUnsafePointer(to: &empty) { $0 }
                    return yaml_scalar_event_initialize(&event, nil, nil, pointer, Int32(count), 1, 1, style)
                }
                try emit(initialised)
            case .mapping(let pairs):
                try emit(yaml_mapping_start_event_initialize(&event, nil, nil, 1, YAML_BLOCK_MAPPING_STYLE))
                for (key, item) in pairs {
                    try emitValue(.string(key), emit)
                    try emitValue(item, emit)
                }
                try emit(yaml_mapping_end_event_initialize(&event))
            }
        }
        return sink.bytes
    }

    /// Whether `text` reads back as the same string under YAML 1.1 and 1.2 alike when written plain, so that
    /// every consumer (kubectl, PyYAML, go-yaml) sees a string. Anything that could be a number, a boolean, a null,
    /// a timestamp or a sexagesimal is quoted.
    static func mayBePlain(_ text: String) -> Bool {
        guard let first = text.utf8.first, ScalarResolver.resolve(text) == .string else { return false }
        let isLetter = { (byte: UInt8) in (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
        guard isLetter(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: "/") else { return false }
        for byte in text.utf8 {
            let isSafe =
                isLetter(byte) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
            if !isSafe { return false }
        }
        switch text.lowercased() {
        case "y", "n", "yes", "no", "on", "off", "true", "false", "null": return false
        default: return true
        }
    }

    final class Sink {
        var bytes: [UInt8] = []
    }
}
