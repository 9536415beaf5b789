public import OptionsSchema

/// Where removed options are still set: the check that closes a schema change (reference §1.6, §4.3). Given
/// `namespace:option` pairs and a values tree, every values file and line that still sets one.
///
/// Only the namespaces named are read. Each file is parsed as `lint` parses it; a file that cannot be read
/// or parsed, or has no `options` mapping, is an error (such a file could set a removed option unseen).
///
/// ```swift
/// let usage = try OptionUsage.find(
///     [OptionUsage.Name(namespace: "seer", key: "autofix.enabled")], source: source, layout: layout)
/// usage.uses.first?.file   // "option-values/seer/us/values.yaml"
/// ```
public enum OptionUsage {
    /// One `namespace:option` pair.
    public struct Name: Sendable, Hashable {
        public var namespace: String
        public var key: String

        /// Creates a pair.
        public init(namespace: String, key: String) {
            self.namespace = namespace
            self.key = key
        }

        /// Parses `namespace:option` (split at the first colon, as option keys may hold colons), or `nil` when
        /// there is no colon.
        public init?(parsing token: String) {
            guard let colon = token.firstIndex(of: ":") else { return nil }
            namespace = String(token[..<colon])
            key = String(token[token.index(after: colon)...])
        }

        /// `namespace:option`.
        public var text: String { "\(namespace):\(key)" }
    }

    /// One place that sets a removed option.
    public struct Use: Sendable, Hashable {
        public var name: Name
        /// The values file, as the tree shows paths.
        public var file: String
        /// The option key's position.
        public var position: SourcePosition
        /// The file's target.
        public var target: String
    }

    /// What was found: the uses in file and line order, and the problems that kept files from being checked.
    public struct Result: Sendable {
        public var uses: [Use] = []
        public var diagnostics: [Diagnostic] = []

        /// The names of `names` that are set somewhere, in the order of `names` (repeats kept).
        public func namesInUse(_ names: [Name]) -> [Name] {
            let used = Set(uses.map(\.name))
            return names.filter { used.contains($0) }
        }
    }

    /// Finds every place in the values directory of `layout` that sets one of `names`.
    /// - Throws: `SourceError` when the values directory cannot be read.
    public static func find(_ names: [Name], source: any TreeSource, layout: TreeLayout) throws(SourceError)
        -> Result
    {
        var result = Result()
        let wanted = Dictionary(grouping: names, by: \.namespace).mapValues { Set($0.map(\.key)) }
        let walker = ValuesWalker(source: source, layout: layout)
        let present = Set(try source.entries(of: layout.valuesDirectory).filter { $0.kind == .directory }.map(\.name))
        let checker = ValuesChecker(schema: nil)
        for namespace in wanted.keys.sorted() where present.contains(namespace) {
            guard let keys = wanted[namespace] else { continue }
            // Files outside the layout (`.yml`, the wrong depth) are `lint`'s to report; they are not read here.
            let walk = try walker.walk(namespace: namespace)
            for file in walk.files.sorted(by: { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }) {
                let shown = source.displayPath(file.path)
                let bytes: [UInt8]
                do {
                    bytes = try source.contents(of: file.path)
                } catch {
                    result.diagnostics.append(
                        Diagnostic(.error, .unreadableFile, "not checked: \(error.description)", file: shown))
                    continue
                }
                let checked = checker.check(bytes, file: file, displayPath: shown)
                let errors = checked.diagnostics.filter { $0.severity == .error }
                if !errors.isEmpty {
                    result.diagnostics += errors
                    continue
                }
                for (key, position) in checked.keys where keys.contains(key) {
                    result.uses.append(
                        Use(
                            name: Name(namespace: namespace, key: key), file: shown, position: position,
                            target: file.target))
                }
            }
        }
        return result
    }

    /// Diagnostics for `result`'s uses: one warning at each place, naming the option and the target.
    public static func diagnostics(for result: Result) -> [Diagnostic] {
        result.uses.map { use in
            Diagnostic(
                .warning, .removedOptionInUse,
                "'\(use.name.key)' is removed from the schema of '\(use.name.namespace)' but still set here "
                    + "(target \(use.target)); remove the value", file: use.file, at: use.position)
        }
    }
}
