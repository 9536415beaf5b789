public import OptionsSchema

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `fetch-schemas`: collects the schemas of several service repositories into one schemas directory, through
/// libgit2 and a cache of bare repositories.
///
/// For each repository of a `RepositoryList`: the pinned commit (or, unpinned, the remote's `HEAD`) is fetched
/// into `<cache>/<name>-<hash>.git` unless the cache already has it, and every `<path>/<namespace>/schema.json`
/// of that commit is read and checked as `lint` checks schemas. Nothing is written unless every repository was
/// fetched, every schema is valid and no namespace comes from two repositories; then the output directory
/// appears whole, in one rename (`StagedDirectory`).
///
/// ```swift
/// Network.enable()
/// let fetcher = SchemaFetcher(cacheDirectory: "/home/me/.cache/optionsctl/repositories")
/// let result = await fetcher.fetch(list)
/// if result.problems.isEmpty { try await SchemaFetcher.write(result, to: "schemas") }
/// ```
public struct SchemaFetcher: Sendable {
    /// Where fetched repositories are kept between runs.
    public var cacheDirectory: String
    /// How many times a fetch is tried when its transport fails (network, TLS, SSH, HTTP).
    public var attempts = 3
    /// The largest schema.json read, in bytes.
    public var maxFileSize = WorktreeSource.defaultMaxFileSize
    /// Whether `file://` URLs and local paths are fetched. Off by default: `repos.json` may come from a pull
    /// request, and a local path would read a repository outside the one being checked.
    public var allowsLocalRepositories = false

    /// Whether `url` names a repository on this machine (`file://`, a path) rather than a remote (https, http,
    /// ssh, git, or scp-like `user@host:path`).
    public static func isLocal(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("file:") { return true }
        if lower.contains("://") { return false }
        if let colon = url.firstIndex(of: ":"), colon != url.startIndex, !url[..<colon].contains("/") { return false }
        return true
    }

    /// Creates a fetcher that keeps repositories in `cacheDirectory` (created when missing).
    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }

    /// What one repository provided.
    public struct Fetched: Sendable {
        /// The entry of the list.
        public var entry: RepositoryList.Entry
        /// The commit read (the pin, or what the remote's HEAD was).
        public var sha: String
        /// Whether the commit had to be fetched (`false`: the cache had it).
        public var didFetch: Bool
        /// Each namespace's schema.json, sorted by namespace.
        public var schemas: [(namespace: String, bytes: [UInt8])]
    }

    /// What a run produced: every repository fetched, and every problem (fetch failures, invalid schemas,
    /// collisions, each naming its repository).
    public struct Result: Sendable {
        public var fetched: [Fetched] = []
        public var problems: [Diagnostic] = []
        /// Warnings (unpinned repositories, links skipped).
        public var warnings: [Diagnostic] = []
    }

    /// Fetches and checks every repository of `list`, several at once.
    public func fetch(_ list: RepositoryList) async -> Result {
        var result = Result()
        do {
            try StagedDirectory.createDirectories(cacheDirectory)
        } catch {
            result.problems.append(
                Diagnostic(.error, .fetchFailed, "cannot use the cache directory: \(error.description)", file: nil))
            return result
        }
        let outcomes = await concurrentMap(list.entries) { entry in self.fetch(entry) }
        var owners: [String: String] = [:]
        for outcome in outcomes {
            result.problems += outcome.problems
            result.warnings += outcome.warnings
            guard let fetched = outcome.fetched else { continue }
            for (namespace, _) in fetched.schemas {
                if let other = owners[namespace] {
                    result.problems.append(
                        Diagnostic(
                            .error, .namespaceCollision,
                            "namespace '\(namespace)' is provided by both '\(other)' and '\(fetched.entry.name)'; "
                                + "each namespace must come from one repository", file: nil))
                } else {
                    owners[namespace] = fetched.entry.name
                }
            }
            result.fetched.append(fetched)
        }
        return result
    }

    /// One repository's outcome.
    struct Outcome: Sendable {
        var fetched: Fetched?
        var problems: [Diagnostic] = []
        var warnings: [Diagnostic] = []
    }

    func fetch(_ entry: RepositoryList.Entry) -> Outcome {
        var outcome = Outcome()
        if !allowsLocalRepositories && Self.isLocal(entry.url) {
            outcome.problems.append(
                Diagnostic(
                    .error, .fetchFailed,
                    "\(entry.name): '\(entry.url)' is a repository on this machine; only remote repositories are "
                        + "fetched unless --allow-local is given", file: nil))
            return outcome
        }
        let cache = cacheDirectory + "/" + Self.cacheName(for: entry)
        // One run at a time per cached repository: libgit2 does not guard concurrent fetches into one repository.
        let lock = open(cache + ".lock", O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o644)
        defer { if lock >= 0 { close(lock) } }
        if lock >= 0 { _ = flock(lock, LOCK_EX) }
        let commit: Commit
        var didFetch = false
        do throws(GitError) {
            let repository = try Repository(at: cache, creatingBare: true)
            let wanted = entry.sha ?? "refs/optionsctl/head"
            if entry.sha == nil || (try? repository.resolve(wanted)) == nil {
                try retrying { () throws(GitError) in try Self.fetch(entry, into: repository) }
                didFetch = true
            }
            guard let resolved = try? repository.resolve(wanted) else {
                throw GitError("commit \(entry.sha ?? "HEAD") is not in \(entry.url)")
            }
            commit = resolved
        } catch {
            outcome.problems.append(
                Diagnostic(
                    .error, .fetchFailed, "\(entry.name): cannot fetch \(entry.url): \(error.message)", file: nil))
            return outcome
        }
        if entry.sha == nil {
            outcome.warnings.append(
                Diagnostic(
                    .warning, .fetchFailed,
                    "\(entry.name): no 'sha' pin: read the default branch at \(commit.sha); pin it to fetch the same "
                        + "schemas every time", file: nil))
        }
        // The commit's tree, read as `lint --rev` reads one: links and oversized files are not read.
        let source: GitTreeSource
        do throws(GitError) {
            source = try GitTreeSource(
                discoveringFrom: cache, revision: commit.sha, currentDirectory: "/", maxFileSize: maxFileSize)
        } catch {
            outcome.problems.append(Diagnostic(.error, .fetchFailed, "\(entry.name): \(error.message)", file: nil))
            return outcome
        }
        let shown = "\(entry.name)@\(commit.sha.prefix(12))"
        func located(_ diagnostic: Diagnostic) -> Diagnostic {
            var diagnostic = diagnostic
            diagnostic.file = diagnostic.file.map { Self.relocate($0, from: source.displayPath(""), to: shown) }
            for index in diagnostic.notes.indices {
                diagnostic.notes[index].file = diagnostic.notes[index].file.map {
                    Self.relocate($0, from: source.displayPath(""), to: shown)
                }
            }
            return diagnostic
        }
        guard source.kind(of: entry.path) == .directory else {
            outcome.problems.append(
                Diagnostic(
                    .error, .fetchFailed,
                    "\(entry.name): Schemas path does not exist: \(entry.path.isEmpty ? "." : entry.path) (at \(shown))",
                    file: nil))
            return outcome
        }
        let loader = SchemaLoader(source: source, layout: TreeLayout(schemasDirectory: entry.path))
        var schemas: [(namespace: String, bytes: [UInt8])] = []
        do throws(SourceError) {
            let listing = try loader.namespaceListing()
            outcome.warnings += listing.diagnostics.map(located)
            for namespace in listing.names {
                let file = joinPath(joinPath(entry.path, namespace), TreeLayout.schemaFileName)
                // Directories without a schema.json are skipped, as in the reference.
                guard source.kind(of: file) != nil else { continue }
                let loaded = loader.load(namespace: namespace)
                let problems = loaded.diagnostics.filter { $0.severity == .error }
                outcome.problems += problems.map(located)
                outcome.warnings += loaded.diagnostics.filter { $0.severity != .error }.map(located)
                if problems.isEmpty { schemas.append((namespace, try source.contents(of: file))) }
            }
        } catch {
            outcome.problems.append(Diagnostic(.error, .fetchFailed, "\(entry.name): \(error.description)", file: nil))
            return outcome
        }
        outcome.fetched = Fetched(entry: entry, sha: commit.sha, didFetch: didFetch, schemas: schemas)
        return outcome
    }

    /// Runs `body`, again after a pause when it fails in its transport, up to `attempts` times.
    func retrying(_ body: () throws(GitError) -> Void) throws(GitError) {
        var attempt = 1
        while true {
            do {
                return try body()
            } catch {
                guard error.isTransient, attempt < attempts else { throw error }
                sleep(UInt32(1 << attempt))
                attempt += 1
            }
        }
    }

    /// Fetches the entry's commit: the pin by its id (servers that allow it, GitHub does), else every branch and
    /// tag (servers that do not; a local repository's transport copies what its refs reach); unpinned, the
    /// remote's HEAD.
    static func fetch(_ entry: RepositoryList.Entry, into repository: Repository) throws(GitError) {
        guard let sha = entry.sha else {
            try repository.fetch(url: entry.url, refspecs: ["+HEAD:refs/optionsctl/head"])
            return
        }
        do {
            try repository.fetch(url: entry.url, refspecs: ["+\(sha):refs/optionsctl/pinned/\(sha)"])
            if (try? repository.resolve(sha)) != nil { return }
        } catch  where error.isTransient {
            throw error
        } catch {
            // The server does not serve commits by id: fetch its branches and tags instead.
        }
        try repository.fetch(
            url: entry.url, refspecs: ["+refs/heads/*:refs/optionsctl/heads/*", "+refs/tags/*:refs/optionsctl/tags/*"])
    }

    /// The cache directory's name for an entry: readable, and unique per URL.
    static func cacheName(for entry: RepositoryList.Entry) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in entry.url.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        let readable = String(
            entry.name.unicodeScalars.prefix(40).map {
                $0.isASCII && (("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0))
                    ? Character($0) : "-"
            })
        let hex = String(hash, radix: 16)
        return readable + "-" + String(repeating: "0", count: 16 - hex.count) + hex + ".git"
    }

    /// `path` shown below `to` instead of below the display root `from`.
    static func relocate(_ path: String, from root: String, to shown: String) -> String {
        if path.hasPrefix(root + "/") { return shown + ":" + path.dropFirst(root.count + 1) }
        return path
    }

    /// Writes every fetched schema to `<out>/<namespace>/schema.json`: `out` must not exist, and appears whole or
    /// not at all.
    /// - Throws: `SourceError` when `out` exists or cannot be created.
    public static func write(_ result: Result, to out: String) async throws(SourceError) {
        let stage = try await StagedDirectory(path: out)
        defer { stage.finish() }
        if case .nothing = stage.existing() {
        } else {
            stage.discard()
            throw .unreadable(out, reason: "Output directory already exists: \(out)")
        }
        do throws(SourceError) {
            let schemas = result.fetched.flatMap(\.schemas)
            try stage.createDirectories(schemas.map(\.namespace), in: stage.staging)
            for (namespace, bytes) in schemas {
                try stage.createFile(namespace + "/" + TreeLayout.schemaFileName, bytes, in: stage.staging)
            }
            guard try stage.commit(mode: 0o755, replacing: false) else {
                throw .unreadable(out, reason: "Output directory already exists: \(out)")
            }
        } catch {
            stage.discard()
            throw error
        }
    }
}
