/// The type of an option or of a value nested in one (the schema language's `value_type`).
///
/// ```swift
/// // {"type": "array", "items": {"type": "object", "properties": {"url": {"type": "string"}}}}
/// let endpoints = OptionType.array(.object(ObjectShape(fields: [Field(name: "url", type: .string)])))
/// endpoints.description   // "array<object>"
/// ```
public indirect enum OptionType: Sendable, Hashable, CustomStringConvertible {
    case string
    /// Whole numbers; `3.0` and `1e2` count, `3.5` does not.
    case integer
    /// Any number.
    case number
    case boolean
    /// A list whose every element has the given type.
    case array(OptionType)
    /// A struct (fixed fields), a dict (free keys of one value type), or both.
    case object(ObjectShape)

    /// The schema language's name of the type: `string`, `integer`, `number`, `boolean`, `array` or `object`.
    public var name: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .number: "number"
        case .boolean: "boolean"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A readable type: `array<string>`, `dict<integer>`, `object`.
    public var description: String {
        switch self {
        case .array(let items): return "array<\(items)>"
        case .object(let shape):
            if shape.fields.isEmpty, let values = shape.additionalValues { return "dict<\(values)>" }
            return name
        default: return name
        }
    }
}

/// The shape of an object type: its declared fields and what other keys may hold.
public struct ObjectShape: Sendable, Hashable {
    /// Declared fields (`properties`), in schema order.
    public var fields: [Field]
    /// The type of keys not in `fields` (`additionalProperties`); `nil` when extra keys are not allowed.
    public var additionalValues: OptionType?

    /// Creates a shape.
    public init(fields: [Field] = [], additionalValues: OptionType? = nil) {
        self.fields = fields
        self.additionalValues = additionalValues
    }

    /// The declared field named `name`.
    public func field(named name: String) -> Field? {
        fields.first { $0.name == name }
    }
}

/// One declared field of a struct.
public struct Field: Sendable, Hashable {
    /// The field name.
    public var name: String
    /// The field's type.
    public var type: OptionType
    /// Whether values may leave the field out (`"optional": true`).
    public var isOptional: Bool

    /// Creates a field.
    public init(name: String, type: OptionType, isOptional: Bool = false) {
        self.name = name
        self.type = type
        self.isOptional = isOptional
    }
}
