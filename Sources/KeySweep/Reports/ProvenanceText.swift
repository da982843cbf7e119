/// How reports name a provenance in their `path` fields, and back: the only place that spells
/// the places without a file path. The JSON report (version 1) keeps these spellings.
enum ProvenanceText {
    static let commitMessage = "(commit message)"
    static let stdin = "-"
    static let unreachableBlob = "(unreachable blob)"
    /// `(message of tag v1.0)`
    static let tagMessagePrefix = "(message of tag "

    static func path(_ provenance: Provenance) -> String {
        switch provenance {
        case .blob(let path, _), .file(let path): return path
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

    private static func decompressedName(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        for suffix in [".gz", ".bz2", ".xz", ".zst", ".lzma"] where name.count > suffix.count && name.hasSuffix(suffix) {
            return String(name.dropLast(suffix.count))
        }
        return name
    }

    /// The provenance of an occurrence read from a JSON report (`path`, `blob`, `commit`).
    static func provenance(path: String, blob: String?, commit: String?) -> Provenance {
        let id = blob.flatMap(ObjectID.init(hex:))
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
