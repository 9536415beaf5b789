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

    /// The merged values of `namespace` in `target`.
    public func configuration(of namespace: String, target: String) throws(SourceError) -> EffectiveConfiguration {
        try configurations(of: namespace, targets: [target])[0]
    }

    /// The merged values of each namespace in each of its targets, in order; namespaces are read in parallel.
    public func configurations(of groups: [(namespace: String, targets: [String])]) async throws(SourceError)
        -> [EffectiveConfiguration]
    {
        let results = await concurrentMap(groups.map { Group(namespace: $0.namespace, targets: $0.targets) }) {
            [self] group -> Result<[EffectiveConfiguration], SourceError> in
            do throws(SourceError) {
                return .success(try configurations(of: group.namespace, targets: group.targets))
            } catch {
                return .failure(error)
            }
        }
        var all: [EffectiveConfiguration] = []
        for result in results { all += try result.get() }
        return all
    }

    struct Group: Sendable {
        var namespace: String
        var targets: [String]
    }

    /// The merged values of `namespace` in each of `targets`, reading every file of the namespace once.
    public func configurations(of namespace: String, targets: [String]) throws(SourceError) -> [EffectiveConfiguration]
    {
        let wanted = Set(targets).union([TreeLayout.defaultTarget])
        let walked = try ValuesWalker(source: source, layout: layout).walk(namespace: namespace)
        let checker = ValuesChecker(schema: nil)
        var loaded: [LoadedValuesFile] = []
        for file in walked.files where wanted.contains(file.target) {
            let document = YAMLLoader.load(try source.contents(of: file.path))
            var ignored: [Diagnostic] = []
            let display = source.displayPath(file.path)
            if let options = checker.optionsMapping(document, displayPath: display, into: &ignored) {
                loaded.append(LoadedValuesFile(file: file, displayPath: display, options: options))
            }
        }
        return Self.configurations(of: namespace, files: loaded, targets: targets)
    }

    /// The merged values of `namespace` in each of `targets`, from its files already read (in path order).
    public static func configurations(of namespace: String, files: [LoadedValuesFile], targets: [String])
        -> [EffectiveConfiguration]
    {
        var byTarget: [String: [LoadedValuesFile]] = [:]
        for file in files { byTarget[file.file.target, default: []].append(file) }
        let defaults = DefaultLayer(files: byTarget[TreeLayout.defaultTarget] ?? [])
        return targets.map { target in
            EffectiveConfiguration(
                namespace: namespace, target: target, defaults: defaults, targetFiles: byTarget[target] ?? [])
        }
    }
}
