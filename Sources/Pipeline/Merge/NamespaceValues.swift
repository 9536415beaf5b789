/// Reads the values files of one namespace for merging.
public struct NamespaceValues: Sendable {
    /// The tree to read.
    public let source: any TreeSource
    /// Where the values are.
    public let layout: TreeLayout

    /// Creates a reader.
    public init(source: any TreeSource, layout: TreeLayout = TreeLayout()) {
        self.source = source
        self.layout = layout
    }

    /// The targets that have values files in `namespace`, sorted.
    public func targets(of namespace: String) throws(SourceError) -> [String] {
        let files = try ValuesWalker(source: source, layout: layout).walk(namespace: namespace).files
        return Array(Set(files.map(\.target))).sorted()
    }

    /// The files of `target` in `namespace`, in path order, with their options; files that are not a single
    /// `options` mapping are left out (linting reports them).
    public func files(of namespace: String, target: String) throws(SourceError) -> [LoadedValuesFile] {
        let walked = try ValuesWalker(source: source, layout: layout).walk(namespace: namespace)
        var result: [LoadedValuesFile] = []
        let checker = ValuesChecker(schema: nil)
        for file in walked.files where file.target == target {
            let document = YAMLLoader.load(try source.contents(of: file.path))
            var ignored: [Diagnostic] = []
            let display = source.displayPath(file.path)
            if let options = checker.optionsMapping(document, displayPath: display, into: &ignored) {
                result.append(LoadedValuesFile(file: file, displayPath: display, options: options))
            }
        }
        return result
    }

    /// The merged values of `namespace` in `target`.
    public func configuration(of namespace: String, target: String) throws(SourceError) -> EffectiveConfiguration {
        let defaults = try files(of: namespace, target: TreeLayout.defaultTarget)
        let own = target == TreeLayout.defaultTarget ? [] : try files(of: namespace, target: target)
        return EffectiveConfiguration(namespace: namespace, target: target, defaultFiles: defaults, targetFiles: own)
    }
}
