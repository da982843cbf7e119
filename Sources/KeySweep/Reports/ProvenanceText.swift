/// How reports name a provenance in their `path` fields, and back: the only place that spells
/// the places without a file path. The JSON report (version 1) keeps these spellings.
enum ProvenanceText {
    static let commitMessage = "(commit message)"
    static let stdin = "-"
    static let unreachableBlob = "(unreachable blob)"
    /// What the text report says of a work tree file's occurrence (`WorkTreeSource`).
    static let workTree = "work tree (uncommitted)"
    /// `(message of tag v1.0)`
    static let tagMessagePrefix = "(message of tag "

    static func path(_ provenance: Provenance) -> String {
        switch provenance {
        case .blob(let path, _), .file(let path), .workTree(let path): return path
        case .unreachableBlob: return unreachableBlob
        case .commitMessage: return commitMessage
        case .tagMessage(let name): return tagMessagePrefix + name + ")"
        case .member(let outer, let members):
            // `outer.zip!dir/inner.tar.gz!file.py`; a compressed file's stream is named by the
            // file without its compression suffix (`logs/debug.log.gz!debug.log`).
            var text = path(outer)
            var previous = text
            for member in members {
                let shown = member.isEmpty ? decompressedName(previous) : member
                text += "!" + shown
                previous = shown
            }
            return text
        case .stdin: return stdin
        }
    }

    /// The place as the text report shows it: a repository's paths relative to the directory the
    /// user stood in when the repository was found upward from it (`Origin.within`).
    static func shown(_ occurrence: Occurrence) -> String {
        guard let within = occurrence.origin?.within else { return occurrence.path }
        return path(relative(occurrence.provenance, to: within))
    }

    private static func relative(_ provenance: Provenance, to base: String) -> Provenance {
        switch provenance {
        case .blob(let path, let id): return .blob(path: relativePath(path, from: base), id: id)
        case .workTree(let path): return .workTree(path: relativePath(path, from: base))
        case .member(let outer, let members): return .member(of: relative(outer, to: base), path: members)
        default: return provenance
        }
    }

    /// `a/b/c` seen from `a/x` is `../b/c`.
    static func relativePath(_ path: String, from base: String) -> String {
        let target = path.split(separator: "/"), from = base.split(separator: "/")
        var common = 0
        while common < from.count && common < target.count - 1 && target[common] == from[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + target[common...].map(String.init)).joined(separator: "/")
    }

    private static func decompressedName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".gz", ".bz2", ".xz", ".zst", ".lzma"] where name.count > suffix.count && name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// The provenance of an occurrence read from a JSON report (`path`, `blob`, `commit`).
    static func provenance(path: String, blob: String?, commit: String?, workTree: Bool = false) -> Provenance {
        let id = blob.flatMap(ObjectID.init(hex:))
        if workTree && id == nil && commit == nil { return .workTree(path: path) }
        switch (path, id) {
        case (commitMessage, nil) where commit != nil: return .commitMessage
        case (let path, nil) where commit != nil && path.hasPrefix(tagMessagePrefix) && path.hasSuffix(")"):
            return .tagMessage(name: String(path.dropFirst(tagMessagePrefix.count).dropLast()))
        case (unreachableBlob, let id?) where commit == nil: return .unreachableBlob(id)
        case (stdin, nil) where commit == nil: return .stdin
        case (_, let id?): return .blob(path: path, id: id)
        default: return .file(path: path)
        }
    }
}
