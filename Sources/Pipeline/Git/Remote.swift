internal import CLibGit2
import CPlatform

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Talking to remotes through libgit2: https (system CA certificates), ssh (the user's ssh-agent), `file://` and
/// local paths.
///
/// libgit2's network setup is skipped in commands that only read local objects (Sources/CPlatform); a command
/// that fetches calls `Network.enable()` before it opens any repository.
public enum Network {
    /// Turns on TLS and SSH setup for this process. Call before the first `Repository` is opened; calling it later
    /// has no effect on the transports.
    public static func enable() {
        optionsctl_enable_network()
    }
}

extension Repository {
    /// Opens the repository at exactly `path` (no search in parent directories), or creates a bare one there when
    /// nothing is there yet and `creatingBare` is set.
    /// - Throws: `GitError` when `path` is not a repository and cannot be made one.
    public convenience init(at path: String, creatingBare: Bool) throws(GitError) {
        _ = libgit2Initialised
        var pointer: OpaquePointer?
        if git_repository_open_ext(&pointer, path, UInt32(GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue), nil) != 0 {
            guard creatingBare, git_repository_init(&pointer, path, 1) == 0 else {
                throw GitError.last("not a git repository: '\(path)'")
            }
        }
        guard let pointer else { throw GitError("not a git repository: '\(path)'") }
        self.init(handle: pointer)
    }

    /// Fetches `refspecs` (a commit's full SHA, `refs/heads/*:refs/remotes/origin/*`, …) from the remote named
    /// `remote`, without tags.
    /// - Throws: `GitError` when there is no such remote or the fetch fails (libgit2's message included).
    public func fetch(remote name: String, refspecs: [String]) throws(GitError) {
        var remote: OpaquePointer?
        guard git_remote_lookup(&remote, handle, name) == 0, let remote else {
            throw GitError.last("no remote named '\(name)'")
        }
        defer { git_remote_free(remote) }
        try Self.fetch(
            remote, refspecs: refspecs, context: "cannot fetch \(refspecs.joined(separator: " ")) from '\(name)'")
    }

    /// Fetches `refspecs` from `url` into this repository, without a remote in its configuration.
    /// - Throws: `GitError` with libgit2's message when the fetch fails.
    public func fetch(url: String, refspecs: [String]) throws(GitError) {
        var remote: OpaquePointer?
        guard git_remote_create_anonymous(&remote, handle, url) == 0, let remote else {
            throw GitError.last("not a remote URL: '\(url)'")
        }
        defer { git_remote_free(remote) }
        try Self.fetch(remote, refspecs: refspecs, context: "")
    }

    static func fetch(_ remote: OpaquePointer, refspecs: [String], context: String) throws(GitError) {
        var options = git_fetch_options()
        git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION))
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE
        options.callbacks.credentials = credentials
        var attempts = CredentialAttempts()
        var strings = refspecs.map { strdup($0) }
        defer { for string in strings { free(string) } }
        let result = withUnsafeMutablePointer(to: &attempts) { attemptsPointer in
            options.callbacks.payload = UnsafeMutableRawPointer(attemptsPointer)
            return strings.withUnsafeMutableBufferPointer { buffer in
                var array = git_strarray(strings: buffer.baseAddress, count: buffer.count)
                return git_remote_fetch(remote, &array, &options, nil)
            }
        }
        guard result == 0 else {
            // Transport failures (the network, TLS, SSH, HTTP) may pass on a second try; a missing object will not.
            let klass = git_error_last().map { Int($0.pointee.klass) } ?? 0
            var error = GitError.last(context)
            error.isTransient = [GIT_ERROR_NET, GIT_ERROR_SSL, GIT_ERROR_SSH, GIT_ERROR_HTTP, GIT_ERROR_OS].contains {
                Int($0.rawValue) == klass
            }
            throw error
        }
    }
}

/// Which kinds of credentials were already offered: libgit2 asks again after a refusal, and the same answer
/// would loop forever.
struct CredentialAttempts {
    var sshAgent = false
}

/// libgit2's credential callback: the ssh-agent for ssh remotes (user from the URL, else `git`); nothing for
/// others (public https remotes need none), so libgit2 reports the authentication failure.
private let credentials:
    @convention(c) (
        UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?,
        UInt32, UnsafeMutableRawPointer?
    ) -> Int32 = { output, _, username, allowed, payload in
        guard let output, let payload else { return GIT_PASSTHROUGH.rawValue }
        let attempts = payload.assumingMemoryBound(to: CredentialAttempts.self)
        if allowed & GIT_CREDENTIAL_SSH_KEY.rawValue != 0, !attempts.pointee.sshAgent {
            attempts.pointee.sshAgent = true
            if let username { return git_credential_ssh_key_from_agent(output, username) }
            return git_credential_ssh_key_from_agent(output, "git")
        }
        return GIT_PASSTHROUGH.rawValue
    }
