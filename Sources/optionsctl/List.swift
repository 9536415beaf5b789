import ArgumentParser
import OptionsSchema
import Pipeline

/// What `list` lists.
enum ListKind: String, ExpressibleByArgument, CaseIterable {
    case namespaces
    case targets
    case options
}

/// `optionsctl list`: the tree's namespaces, targets or option keys, one per line, for scripts and completion.
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the tree's namespaces, targets or option keys.",
        discussion: """
            optionsctl list                     every namespace (with a schema or values)
            optionsctl list targets             every target of any namespace, default included
            optionsctl list options             every option key and feature flag, as namespace:key
            --namespace NS                      only that namespace's targets or keys (then keys alone)

            Read from directory listings and schemas alone: values files are not parsed, and a broken schema \
            lists no keys. --format json prints one JSON array.
            Exit codes: 0 success, 1 an unknown namespace, 2 usage or environment error.
            """
    )

    @Argument(help: "What to list: namespaces, targets or options.")
    var kind: ListKind = .namespaces

    @Option(
        help: ArgumentHelp("Only this namespace.", valueName: "namespace"), completion: .custom(Completions.namespaces))
    var namespace: String?

    @Option(help: "Output format: text or json.")
    var format: ShowFormat = .text

    @OptionGroup var tree: TreeOptions

    func run() async throws {
        let opened = try tree.tree(currentDirectory: Output.currentDirectory)
        let listing = TreeListing(source: opened.source, layout: opened.layout)
        if let namespace, !listing.namespaces.contains(namespace) {
            let message = Selection.notFound(
                "Namespace", namespace, in: "schemas or values", candidates: listing.namespaces, plural: "namespaces")
            Output.standardError("optionsctl: error: \(message)\n")
            terminate(1)
        }
        let names: [String]
        switch kind {
        case .namespaces: names = namespace.map { [$0] } ?? listing.namespaces
        case .targets: names = listing.targets(of: namespace)
        case .options: names = listing.keys(of: namespace)
        }
        switch format {
        case .text: Output.standardOutput(names.map { $0.escapingControlCharacters + "\n" }.joined())
        case .json: Output.standardOutput(JSONWriter.compact(Node(.array(names.map { Node(.string($0)) }))) + "\n")
        }
        terminate(0)
    }
}

/// Names in a tree from its listings and schemas: what `list` prints and shell completion offers.
struct TreeListing {
    var source: any TreeSource
    var layout: TreeLayout
    var inventory: TreeInventory

    init(source: any TreeSource, layout: TreeLayout) {
        self.source = source
        self.layout = layout
        inventory = TreeInventory(source: source, layout: layout)
    }

    /// Every namespace, sorted.
    var namespaces: [String] { inventory.namespaces.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// `default`, then the targets of `namespace` (or of every namespace), sorted.
    func targets(of namespace: String?) -> [String] {
        let all =
            namespace.map { inventory.targets[$0] ?? [] } ?? inventory.targets.values.reduce(Set()) { $0.union($1) }
        return [TreeLayout.defaultTarget]
            + all.subtracting([TreeLayout.defaultTarget]).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The option keys and feature flags of `namespace`'s schema, or `namespace:key` for every namespace.
    func keys(of namespace: String?) -> [String] {
        let loader = SchemaLoader(source: source, layout: layout)
        if let namespace { return loader.load(namespace: namespace).schema?.allKeys ?? [] }
        return namespaces.flatMap { name in (loader.load(namespace: name).schema?.allKeys ?? []).map { "\(name):\($0)" }
        }
    }
}

/// Shell completion from the tree around the current directory (found as every command finds it).
enum Completions {
    static func listing() -> TreeListing? {
        guard let root = RootDiscovery.root(from: Output.currentDirectory) else { return nil }
        let source = WorktreeSource(root: root, trusting: ["schemas", "option-values"])
        return TreeListing(source: source, layout: TreeLayout())
    }

    @Sendable static func namespaces(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        listing()?.namespaces.filter { $0.hasPrefix(prefix) } ?? []
    }

    @Sendable static func targets(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        listing()?.targets(of: nil).filter { $0.hasPrefix(prefix) } ?? []
    }

    /// The feature flags (without `feature.`) of the namespace typed before the word being completed.
    @Sendable static func flags(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        options(words, index, "feature.").map { String($0.dropFirst("feature.".count)) }.filter { $0.hasPrefix(prefix) }
    }

    /// The keys of the namespace typed before the word being completed (the first word that names one).
    @Sendable static func options(_ words: [String], _ index: Int, _ prefix: String) -> [String] {
        guard let listing = listing() else { return [] }
        let namespaces = Set(listing.namespaces)
        guard let namespace = words.prefix(index).first(where: { namespaces.contains($0) }) else { return [] }
        return listing.keys(of: namespace).filter { $0.hasPrefix(prefix) }
    }
}
