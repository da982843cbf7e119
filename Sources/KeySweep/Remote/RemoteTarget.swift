import Foundation

/// A repository or gist to clone and scan: from a URL on the command line, a gist id, or a
/// GitHub listing (`--github-user`, `--github-org`, `--gists`).
package struct RemoteTarget: Sendable, Hashable {
    package enum Kind: Sendable { case repository, gist }

    package var kind: Kind
    /// What libgit2 clones (as the user or the API gave it).
    package var cloneURL: String
    /// The web page (`html_url`), for permalinks.
    package var web: String?
    package var owner: String?
    /// `public`, `private` or (gists) `secret`.
    package var visibility: String?
    /// The API's `default_branch`: HEAD of the clone when the server names none.
    package var defaultBranch: String?

    package init(kind: Kind, cloneURL: String, web: String? = nil, owner: String? = nil, visibility: String? = nil,
                 defaultBranch: String? = nil) {
        self.kind = kind
        self.cloneURL = cloneURL
        self.web = web
        self.owner = owner
        self.visibility = visibility
        self.defaultBranch = defaultBranch
    }

    /// The URL as reports and messages show it: any user and password removed.
    package var displayURL: String { RemoteURL.withoutCredentials(cloneURL) }

    /// The same repository however it was named: host and path, lower-case, without `.git`
    /// or a trailing slash, scheme and user dropped (`github.com/owner/repo`). Two targets
    /// with one identity are cloned and scanned once.
    package var identity: String { RemoteURL.identity(cloneURL) }

    var origin: Origin {
        Origin(kind: kind == .gist ? .gist : .repository, target: displayURL,
               web: web ?? RemoteURL.githubWeb(cloneURL), owner: owner, visibility: visibility)
    }
}

/// A remote's visibility in words a reader gets right: GitHub's "secret" gists are unlisted,
/// not private (anyone with the URL reads them), so reports say so; JSON keeps GitHub's word.
enum Visibility {
    static func shown(_ value: String) -> String { value == "secret" ? "secret (unlisted)" : value }
}

/// What a command-line target names.
enum TargetName: Equatable {
    case stdin
    case path(String)
    case repository(String)
    /// A gist by id; its owner, visibility and clone URL come from the API.
    case gist(String)

    /// Schemes libgit2 clones from.
    static let schemes: Set<String> = ["https", "http", "ssh", "git", "file"]

    /// Reads a target. Throws `ScanError.invalid` for a URL that cannot be cloned (unknown
    /// scheme, no host, spaces or control characters). `enterpriseHosts`: GitHub Enterprise
    /// hosts (of `--github-api-url`), whose `/gist/` URLs name gists.
    static func parse(_ text: String, enterpriseHosts: Set<String> = []) throws -> TargetName {
        if text == "-" { return .stdin }
        if text.hasPrefix("gist:") { return .gist(try gistID(String(text.dropFirst(5)), in: text)) }
        if let schemeEnd = text.range(of: "://") {
            let scheme = text[..<schemeEnd.lowerBound].lowercased()
            // A path that merely holds "://" after a slash is a path.
            if !scheme.contains("/") {
                guard schemes.contains(scheme) else {
                    throw ScanError.invalid("\(TerminalText.escape(text)): unknown scheme '\(TerminalText.escape(scheme))' (keysweep clones https, http, ssh, git and file URLs)")
                }
                try checkURL(text, scheme: scheme)
                if let id = gistIDInWebURL(text, enterpriseHosts: enterpriseHosts) { return .gist(id) }
                return .repository(text)
            }
        }
        if isSCPLike(text) && !FileManager.default.fileExists(atPath: text) {
            guard text.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0.asciiValue! >= 0x20 }) else {
                throw ScanError.invalid("\(TerminalText.escape(text)): malformed URL (spaces or control characters)")
            }
            return .repository(text)
        }
        return .path(text)
    }

    /// `user@host:path` or `host.name:path`, as git reads them: a colon before any slash.
    private static func isSCPLike(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let before = text[..<colon], after = text[text.index(after: colon)...]
        guard !before.contains("/"), !after.isEmpty, !after.hasPrefix("/") || before.contains("@") else { return false }
        let host = before.split(separator: "@").last ?? ""
        return before.contains("@") || host.contains(".")
    }

    private static func checkURL(_ text: String, scheme: String) throws {
        let shown = TerminalText.escape(text)
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw ScanError.invalid("\(shown): malformed URL (spaces or control characters)")
        }
        guard let components = URLComponents(string: text) else { throw ScanError.invalid("\(shown): malformed URL") }
        if scheme == "file" {
            guard !(components.path.isEmpty) else { throw ScanError.invalid("\(shown): malformed URL (no path)") }
            return
        }
        guard let host = components.host, !host.isEmpty else { throw ScanError.invalid("\(shown): malformed URL (no host)") }
        guard components.path.count > 1 else { throw ScanError.invalid("\(shown): malformed URL (no repository path)") }
    }

    /// `https://gist.github.com/<user>/<id>` or `https://gist.github.com/<id>` (with or without
    /// `.git`); on GitHub Enterprise, `https://HOST/gist/<user>/<id>` or `https://HOST/gist/<id>`.
    private static func gistIDInWebURL(_ text: String, enterpriseHosts: Set<String>) -> String? {
        guard let components = URLComponents(string: text), let host = components.host?.lowercased() else { return nil }
        var parts = components.path.split(separator: "/").map(String.init)
        if enterpriseHosts.contains(host), parts.first == "gist" {
            parts.removeFirst()
        } else if host != "gist.github.com" {
            return nil
        }
        guard (1...2).contains(parts.count) else { return nil }
        if parts[parts.count - 1].hasSuffix(".git") { parts[parts.count - 1].removeLast(4) }
        return try? gistID(parts[parts.count - 1], in: text)
    }

    private static func gistID(_ id: String, in text: String) throws -> String {
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
            throw ScanError.invalid("\(TerminalText.escape(text)): malformed gist id (letters and digits expected)")
        }
        return id
    }
}

/// Spelling of remote URLs: what is shown, what identifies a repository.
enum RemoteURL {
    /// The URL without `user:password@` (shown in reports and messages; a token a user put in a
    /// URL is never echoed).
    static func withoutCredentials(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else {
            // scp-like: the user before '@' is a login name (git@), not a secret.
            return url
        }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<schemeEnd.upperBound]) + String(rest[rest.index(after: at)...])
    }

    static func identity(_ url: String) -> String {
        var text = withoutCredentials(url)
        if let schemeEnd = text.range(of: "://") {
            text = String(text[schemeEnd.upperBound...])
        } else if let colon = text.firstIndex(of: ":") {
            // user@host:owner/repo
            let host = text[..<colon].split(separator: "@").last.map(String.init) ?? ""
            text = host + "/" + text[text.index(after: colon)...]
        }
        if let at = text.firstIndex(of: "@"), !text[..<at].contains("/") { text = String(text[text.index(after: at)...]) }
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix(".git") { text.removeLast(4) }
        return text.lowercased()
    }

    /// The web page of a repository on github.com named by its clone URL; nil for other hosts.
    static func githubWeb(_ url: String) -> String? {
        let id = identity(url)
        let parts = id.split(separator: "/")
        guard parts.count == 3, parts[0] == "github.com" else { return nil }
        // The identity is lower-cased; the web path keeps the URL's own spelling.
        let original = withoutCredentials(url)
        guard let range = original.range(of: "\(parts[1])/\(parts[2])", options: .caseInsensitive) else { return nil }
        return "https://github.com/" + original[range]
    }

    /// The host of a URL (scp-like included), lower-case; nil when it has none (`file://`).
    static func host(_ url: String) -> String? {
        if url.contains("://") { return URLComponents(string: url)?.host?.lowercased() }
        guard let colon = url.firstIndex(of: ":") else { return nil }
        return url[..<colon].split(separator: "@").last.map { $0.lowercased() }
    }
}
