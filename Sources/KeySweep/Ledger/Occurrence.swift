/// A commit, as much of it as a report needs.
public struct CommitInfo: Sendable, Hashable, Codable {
    public var id: String
    /// `Name <email>`
    public var author: String
    /// ISO 8601 with the author's zone.
    public var date: String
    /// Seconds since 1970.
    public var time: Int64
    /// Position in the topological walk of its repository (parents first).
    public var order: Int
    /// No reference reaches this commit (found with `--all-objects`).
    public var unreachable: Bool? = nil
}

/// One place a secret was seen.
public struct Occurrence: Sendable, Hashable {
    /// The commit that introduced the content there; nil outside git history.
    public var commit: CommitInfo?
    /// Path in the repository, file path, `(commit message)`, or `-` for stdin.
    public var path: String
    public var line: Int
    /// The blob holding it, for git content.
    public var blob: String?
    /// The decoding that revealed the secret, nil when written plainly.
    public var decoding: String?
}

extension Occurrence {
    /// In a commit or blob no reference reaches (scanned with `--all-objects`).
    public var isUnreachable: Bool { commit?.unreachable == true || (commit == nil && path == "(unreachable blob)") }
}
