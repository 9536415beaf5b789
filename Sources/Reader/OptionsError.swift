/// What can go wrong when building a store or reading from it; messages are the reference clients'.
public enum OptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No schema declares this namespace.
    case unknownNamespace(String)
    /// The namespace's schema declares no such option (or it is a feature flag without a value).
    case unknownOption(namespace: String, key: String)
    /// A schema or values file is invalid; the message names the file and the problem.
    case schema(String)
    /// A typed read of a value of another type.
    case typeMismatch(namespace: String, key: String, expected: String, found: String)
    /// A value that does not decode into the requested `Decodable` type; `key` includes the path to the part.
    case decoding(namespace: String, key: String, type: String, reason: String)

    /// The message, in the reference clients' words where they have one.
    public var description: String {
        switch self {
        case .unknownNamespace(let namespace): "Unknown namespace: \(namespace)"
        case .unknownOption(let namespace, let key): "Unknown option '\(key)' in namespace '\(namespace)'"
        case .schema(let message): message
        case .decoding(let namespace, let key, let type, let reason):
            "Option '\(key)' in namespace '\(namespace)' cannot be read as \(type): \(reason)"
        case .typeMismatch(let namespace, let key, let expected, let found):
            "Option '\(key)' in namespace '\(namespace)' is \(found == "integer" || found == "array" || found == "object" ? "an" : "a") \(found), not \(expected == "integer" || expected == "array" || expected == "object" ? "an" : "a") \(expected)"
        }
    }
}
