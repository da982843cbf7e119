/// A commit, as much of it as a report needs.
struct CommitInfo: Sendable, Hashable, Codable {
    var id: String
    /// `Name <email>`
    var author: String
    /// ISO 8601 with the author's zone.
    var date: String
    /// Seconds since 1970.
    var time: Int64
    /// Position in the topological walk of its repository (parents first).
    var order: Int
    /// No reference reaches this commit (found with `--all-objects`).
    var unreachable: Bool? = nil
}

/// Where a piece of content came from. Reports name it through `ProvenanceText`, the one
/// place that spells the places without a path (`(commit message)`, `-`).
enum Provenance: Sendable, Hashable, Codable {
    /// A blob at a path of a git tree (the occurrence's commit introduced it there; none for
    /// the index of `--staged`).
    case blob(path: String, id: ObjectID)
    /// A blob no walked tree holds, found with `--all-objects`.
    case unreachableBlob(ObjectID)
    /// The message of the occurrence's commit.
    case commitMessage
    /// The message of an annotated tag named `name` (the occurrence's "commit" is the tag
    /// object, with its tagger and date).
    case tagMessage(name: String)
    /// A file on disk.
    case file(path: String)
    /// A work tree file that is not committed as it is (untracked, or modified), beside a
    /// history scan; `path` is relative to the work tree's root.
    case workTree(path: String)
    /// Standard input.
    case stdin
    /// A member of an archive (or the stream of a compressed file) at `of`, through `path`: the
    /// members, outermost first; an empty name is a compressed file's one stream.
    indirect case member(of: Provenance, path: [String])

    /// The git blob holding the content, if it is one.
    var blob: ObjectID? {
        switch self {
        case .blob(_, let id), .unreachableBlob(let id): return id
        case .commitMessage, .tagMessage, .file, .workTree, .stdin: return nil
        case .member(let outer, _): return outer.blob
        }
    }

    /// The path of a file (in a tree or on disk); nil for places that have none.
    var filePath: String? {
        switch self {
        case .blob(let path, _), .file(let path), .workTree(let path): return path
        case .unreachableBlob, .commitMessage, .tagMessage, .stdin: return nil
        case .member(let outer, _): return outer.filePath
        }
    }

    /// Free text of a git object (a commit's or a tag's message), not a file.
    var isMessage: Bool {
        switch self {
        case .commitMessage, .tagMessage: return true
        case .blob, .unreachableBlob, .file, .workTree, .stdin: return false
        case .member(let outer, _): return outer.isMessage
        }
    }
}

/// One place a secret was seen.
struct Occurrence: Sendable, Hashable {
    /// The commit that introduced the content there; nil outside git history.
    var commit: CommitInfo?
    var provenance: Provenance
    var line: Int
    /// The decoding that revealed the secret, nil when written plainly.
    var decoding: String?
    /// The target it was found in (set by the pipeline for every source).
    var origin: Origin? = nil

    /// The place as reports name it (`ProvenanceText`).
    var path: String { ProvenanceText.path(provenance) }
    /// A web link to it (remote targets with a web page only).
    var permalink: String? {
        guard let origin, let commit else { return nil }
        return origin.permalink(commit: commit.id, path: provenance.filePath, line: line)
    }
    /// The blob holding it, for git content.
    var blob: String? { provenance.blob?.description }

    /// In a work tree file not committed as it is.
    var isWorkTree: Bool {
        if case .workTree = provenance { return true }
        if case .member(let outer, _) = provenance, case .workTree = outer { return true }
        return false
    }

    /// In a commit or blob no reference reaches (scanned with `--all-objects`).
    var isUnreachable: Bool {
        if commit?.unreachable == true { return true }
        if case .unreachableBlob = provenance { return true }
        return false
    }
}
