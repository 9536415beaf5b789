/// The path from an option to a value nested inside it, written as the reference writes JSON pointers
/// (`endpoints/0/url`), so messages stay greppable.
public struct ValuePath: Sendable, Hashable, CustomStringConvertible {
    /// One step into an object or array.
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    /// The steps, outermost first.
    public private(set) var components: [Component]

    /// Creates a path.
    public init(_ components: [Component] = []) { self.components = components }

    /// Steps into an object member.
    public mutating func push(_ key: String) { components.append(.key(key)) }
    /// Steps into an array element.
    public mutating func push(_ index: Int) { components.append(.index(index)) }
    /// Steps back out.
    public mutating func pop() { components.removeLast() }

    /// `endpoints/0/url`.
    public var description: String {
        components.map {
            switch $0 {
            case .key(let key): key
            case .index(let index): String(index)
            }
        }.joined(separator: "/")
    }
}
