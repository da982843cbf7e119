import Foundation

/// Which target an occurrence was found in: a local path, a remote repository or a gist.
/// Shared by every occurrence of one target (a class: one pointer per occurrence).
final class Origin: Sendable, Hashable, CustomStringConvertible {
    enum Kind: String, Sendable, Codable { case local, repository, gist }

    let kind: Kind
    /// The target as reports name it: a path, or a remote's URL without any user or password.
    let target: String
    /// The web page of a remote repository or gist (`https://github.com/OWNER/REPO`,
    /// `https://gist.github.com/OWNER/ID`); nil when unknown.
    let web: String?
    /// The GitHub account that owns a remote repository or gist, when the API said so.
    let owner: String?
    /// `public`, `private` (a repository) or `secret` (a gist), when known.
    let visibility: String?
    /// Where the user stood inside a local repository found upward from a subdirectory
    /// (`sub/dir`, relative to the work tree's root): the text report shows the repository's
    /// paths relative to it. Nil when the scan started at the target itself.
    let within: String?

    init(kind: Kind, target: String, web: String? = nil, owner: String? = nil, visibility: String? = nil, within: String? = nil) {
        self.kind = kind
        self.target = target
        self.web = web
        self.owner = owner
        self.visibility = visibility
        self.within = within
    }

    static func local(_ path: String, within: String? = nil) -> Origin { Origin(kind: .local, target: path, within: within) }

    var description: String { target }

    /// A web link to `line` of `path` as of `commit` (GitHub's blob permalink, or the gist
    /// revision's file anchor), or to the commit itself when there is no path.
    func permalink(commit: String, path: String?, line: Int) -> String? {
        guard let web, kind != .local else { return nil }
        switch kind {
        case .gist:
            guard let path else { return "\(web)/\(commit)" }
            let slug = String(path.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
            return "\(web)/\(commit)#file-\(slug)-L\(line)"
        default:
            guard let path else { return "\(web)/commit/\(commit)" }
            let escaped = path.split(separator: "/", omittingEmptySubsequences: false)
                .map { String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/", "?", "#"])) ?? String($0) }
                .joined(separator: "/")
            return "\(web)/blob/\(commit)/\(escaped)#L\(line)"
        }
    }

    /// A gist's revision page.
    func revision(_ commit: String) -> String? { kind == .gist ? web.map { "\($0)/\(commit)" } : nil }

    static func == (a: Origin, b: Origin) -> Bool {
        a.kind == b.kind && a.target == b.target && a.web == b.web && a.owner == b.owner && a.visibility == b.visibility && a.within == b.within
    }
    func hash(into hasher: inout Hasher) { hasher.combine(target) }
}
