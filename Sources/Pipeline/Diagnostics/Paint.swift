/// ANSI styling for text output on a terminal; a no-op when disabled, so renderers call it unconditionally.
///
/// ```swift
/// let paint = Paint(isEnabled: true)
/// paint("FORBIDDEN", .error)   // "\u{1B}[1;31mFORBIDDEN\u{1B}[0m"
/// ```
public struct Paint: Sendable, Equatable {
    /// Whether styles are written.
    public var isEnabled: Bool

    /// Creates a painter.
    public init(isEnabled: Bool) { self.isEnabled = isEnabled }

    /// The styles output uses.
    public enum Style: String, Sendable {
        /// Bold: headings, keys.
        case strong = "1"
        /// Dim: sources and codes.
        case faint = "2"
        /// Bold red: errors, forbidden changes.
        case error = "1;31"
        /// Bold magenta: warnings.
        case warning = "1;35"
        /// Bold cyan: notes.
        case note = "1;36"
        /// Red: what goes away.
        case removed = "31"
        /// Green: what comes.
        case added = "32"
        /// Yellow: exceptions made on purpose.
        case caution = "33"
    }

    /// `text` in `style`, or `text` itself when disabled or empty.
    public func callAsFunction(_ text: String, _ style: Style) -> String {
        isEnabled && !text.isEmpty ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }
}
