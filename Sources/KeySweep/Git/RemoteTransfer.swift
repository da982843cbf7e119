import CLibGit2
import Foundation

/// Bare clones and fetches of every ref through libgit2: the only code that talks to a git
/// server. No git process runs and no configuration is honoured beyond the remote's URL: the
/// remote is made with `GIT_REMOTE_CREATE_SKIP_INSTEADOF`, so a `url.*.insteadOf` of the user's
/// or the system's git config never rewrites what is cloned (libgit2 runs no hooks); the token
/// reaches libgit2 only through the credential callback, so it is never in a URL, an argument
/// list or the clone's `config`. HEAD is the branch the server names as its HEAD.
enum RemoteTransfer {
    /// The refspec of every clone and fetch: every ref the server advertises (branches, tags,
    /// pull-request heads, notes) under its own name.
    static let refspec = "+refs/*:refs/*"

    /// What a transfer reports while it runs, and how it stops.
    final class Session: @unchecked Sendable {
        /// Username and password libgit2 answers an HTTP challenge with, for URLs the caller
        /// allows; nil: none (public content).
        let credential: (@Sendable (_ url: String) -> (user: String, password: String)?)?
        /// Called with received objects, total objects and received bytes.
        let progress: (@Sendable (Int, Int, Int) -> Void)?
        /// Bytes a transfer may receive before it is stopped (`--max-clone-size`).
        let maxBytes: Int
        private let lock = NSLock()
        private var _cancelled = false
        private var _oversized: Int?
        private var attempts = 0
        private var _offered = false

        init(credential: (@Sendable (String) -> (user: String, password: String)?)? = nil, maxBytes: Int = .max,
             progress: (@Sendable (Int, Int, Int) -> Void)? = nil) {
            self.credential = credential
            self.maxBytes = maxBytes
            self.progress = progress
        }

        /// Stops the transfer at its next progress report (Ctrl-C, a stalled server).
        func cancel() { lock.withLock { _cancelled = true } }
        var isCancelled: Bool { lock.withLock { _cancelled } }
        /// The bytes received when the transfer passed `maxBytes`; nil while it has not.
        var oversized: Int? { lock.withLock { _oversized } }
        fileprivate func stopOversized(_ bytes: Int) { lock.withLock { _oversized = bytes; _cancelled = true } }

        /// libgit2 asks again after a refused answer; the second ask means the token was refused.
        fileprivate func nextAttempt() -> Int { lock.withLock { attempts += 1; return attempts } }
        /// Whether the token was given to the server (a refusal then means it was refused).
        fileprivate var offered: Bool {
            get { lock.withLock { _offered } }
            set { lock.withLock { _offered = newValue } }
        }
    }

    /// Refs fetched, by namespace (`heads`, `tags`, `pull`, `notes`, ...).
    struct Fetched: Sendable {
        var refsByNamespace: [String: Int] = [:]
        var total: Int { refsByNamespace.values.reduce(0, +) }
        /// `12 refs (3 heads, 5 tags, 4 pull)`.
        var summary: String {
            let parts = refsByNamespace.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            return "\(total) ref\(total == 1 ? "" : "s")" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
        }
    }

    /// Clones `url` bare into `path` (which must not exist), every ref, HEAD on the server's
    /// default branch (`fallbackBranch`, the API's `default_branch`, when the server names none).
    static func clone(_ url: String, into path: String, fallbackBranch: String? = nil, session: Session) throws -> Fetched {
        _ = GitLibrary.initialized
        var repo: OpaquePointer?
        try GitError.check(git_repository_init(&repo, path, 1), "cannot make the clone \(path)")
        defer { git_repository_free(repo) }
        let remote = try makeRemote(repo!, url: url, name: "origin")
        defer { git_remote_free(remote) }
        try fetch(remote, url: url, prune: false, session: session)
        pointHead(repo!, at: remote, fallbackBranch: fallbackBranch)
        return try refs(of: repo!)
    }

    /// Fetches every ref of the bare clone at `path` again, pruning refs the server no longer
    /// has, and moves HEAD to the server's default branch, which may have changed (a kept
    /// `--clone-dir`). Throws when the clone's `remote.origin.url` is not `url`.
    static func update(_ path: String, from url: String, fallbackBranch: String? = nil, session: Session) throws -> Fetched {
        _ = GitLibrary.initialized
        var repo: OpaquePointer?
        try GitError.check(git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                           "cannot open the clone \(path)")
        defer { git_repository_free(repo) }
        // The URL as written, not as git_remote_lookup would rewrite it with insteadOf.
        var config: OpaquePointer?
        try GitError.check(git_repository_config_snapshot(&config, repo), "cannot read the config of the clone \(path)")
        defer { git_config_free(config) }
        var written: UnsafePointer<CChar>?
        guard git_config_get_string(&written, config, "remote.origin.url") == 0, let written else {
            throw GitError(message: "the clone \(path) has no origin remote")
        }
        let origin = String(cString: written)
        guard origin == url else {
            throw GitError(message: "the clone \(path) is of another repository (\(RemoteURL.withoutCredentials(origin)))")
        }
        let remote = try makeRemote(repo!, url: url, name: nil)
        defer { git_remote_free(remote) }
        try fetch(remote, url: url, prune: true, session: session)
        pointHead(repo!, at: remote, fallbackBranch: fallbackBranch)
        return try refs(of: repo!)
    }

    /// A remote of `repo` for `url` as given: named (written to the clone's config, for the next
    /// `update`) or anonymous; insteadOf is never applied.
    private static func makeRemote(_ repo: OpaquePointer, url: String, name: String?) throws -> OpaquePointer {
        var options = git_remote_create_options()
        try GitError.check(git_remote_create_options_init(&options, UInt32(GIT_REMOTE_CREATE_OPTIONS_VERSION)),
                           "cannot set up the remote")
        options.repository = repo
        options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF.rawValue
        var remote: OpaquePointer?
        let code = refspec.withCString { spec -> Int32 in
            options.fetchspec = spec
            guard let name else { return git_remote_create_with_opts(&remote, url, &options) }
            return name.withCString { name in
                options.name = name
                return git_remote_create_with_opts(&remote, url, &options)
            }
        }
        try GitError.check(code, "cannot set up the remote")
        return remote!
    }

    private static func fetch(_ remote: OpaquePointer, url: String, prune: Bool, session: Session) throws {
        var options = git_fetch_options()
        try GitError.check(git_fetch_options_init(&options, UInt32(GIT_FETCH_OPTIONS_VERSION)), "cannot set up the fetch")
        configure(&options, session)
        options.prune = prune ? GIT_FETCH_PRUNE : GIT_FETCH_NO_PRUNE
        options.update_fetchhead = 0
        options.callbacks.payload = Unmanaged.passUnretained(session).toOpaque()
        let code = refspec.withCString { spec -> Int32 in
            var pointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: spec)
            return withUnsafeMutablePointer(to: &pointer) { strings in
                var array = git_strarray(strings: strings, count: 1)
                return git_remote_fetch(remote, &array, &options, nil)
            }
        }
        if code < 0 { throw failure(code, session: session, url: url) }
    }

    /// Points HEAD at the branch the server's HEAD names (the symref it advertises; libgit2
    /// guesses from object ids when it advertises none), else at `fallbackBranch`. A name that
    /// is not a fetched branch leaves HEAD as it is.
    private static func pointHead(_ repo: OpaquePointer, at remote: OpaquePointer, fallbackBranch: String?) {
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        var branch: String?
        if git_remote_default_branch(&buffer, remote) == 0, let name = buffer.ptr {
            branch = String(cString: name)
        } else if let fallbackBranch, !fallbackBranch.isEmpty {
            branch = "refs/heads/" + fallbackBranch
        }
        git_error_clear()
        guard let branch, branch.hasPrefix("refs/heads/") else { return }
        var id = git_oid()
        guard git_reference_name_to_id(&id, repo, branch) == 0 else { git_error_clear(); return }
        if git_repository_set_head(repo, branch) < 0 { git_error_clear() }
    }

    private static func configure(_ options: inout git_fetch_options, _ session: Session) {
        options.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL
        options.proxy_opts.type = GIT_PROXY_NONE
        // A redirect is followed only on the first request; the credential callback sees where
        // it went and gives the token only to the origin the target named (CloneQueue).
        options.follow_redirects = GIT_REMOTE_REDIRECT_INITIAL
        options.callbacks.credentials = { out, url, _, allowed, payload in
            guard let payload, let out else { return GIT_PASSTHROUGH.rawValue }
            let session = Unmanaged<Session>.fromOpaque(payload).takeUnretainedValue()
            // One answer only: libgit2 asks again when the server refuses it, forever.
            guard session.nextAttempt() == 1,
                  allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT.rawValue != 0,
                  let url, let answer = session.credential?(String(cString: url)) else {
                return GIT_EUSER.rawValue
            }
            session.offered = true
            return git_credential_userpass_plaintext_new(out, answer.user, answer.password)
        }
        options.callbacks.transfer_progress = { stats, payload in
            guard let payload else { return 0 }
            let session = Unmanaged<Session>.fromOpaque(payload).takeUnretainedValue()
            if session.isCancelled { return -1 }
            if let stats, stats.pointee.received_bytes > session.maxBytes {
                session.stopOversized(stats.pointee.received_bytes)
                return -1
            }
            if let stats, let progress = session.progress {
                progress(Int(stats.pointee.received_objects), Int(stats.pointee.total_objects), stats.pointee.received_bytes)
            }
            return 0
        }
    }

    /// A transfer error in words a user can act on.
    private static func failure(_ code: Int32, session: Session, url: String) -> Error {
        if let received = session.oversized {
            return GitError(message: "more than --max-clone-size \(sizeText(session.maxBytes)) to receive (stopped at \(sizeText(received))); clone given up")
        }
        if session.isCancelled { return GitError(message: "transfer stopped") }
        if code == GIT_EUSER.rawValue {
            return GitError(message: session.offered ? "authentication failed (the token was refused)"
                            : "authentication required (a token is sent only to the origin of --github-api-url and GitHub's own web origins, over https unless that URL is http)")
        }
        if code == GIT_EAUTH.rawValue { return GitError(message: "authentication failed") }
        return GitError(code: code, context: "cannot fetch")
    }

    /// `512 B`, `100 KiB`, `9.5 GiB`: the units `--max-clone-size` takes.
    static func sizeText(_ bytes: Int) -> String {
        let units = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")]
        guard let (size, unit) = units.first(where: { bytes >= $0.0 }) else { return "\(bytes) B" }
        let value = Double(bytes) / Double(size)
        return value == value.rounded() ? "\(Int(value)) \(unit)" : String(format: "%.1f %@", value, unit)
    }

    private static func refs(of repo: OpaquePointer) throws -> Fetched {
        var names = git_strarray()
        try GitError.check(git_reference_list(&names, repo), "cannot list the fetched refs")
        defer { git_strarray_dispose(&names) }
        var fetched = Fetched()
        for index in 0..<names.count {
            guard let raw = names.strings[index] else { continue }
            let parts = String(cString: raw).split(separator: "/")
            let namespace = parts.count > 2 ? String(parts[1]) : "other"
            fetched.refsByNamespace[namespace, default: 0] += 1
        }
        return fetched
    }
}
