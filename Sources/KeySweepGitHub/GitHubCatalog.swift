import Foundation
import KeySweep

/// Lists what `--github-user`, `--github-org` and `--gists` name, and looks gists up, through
/// GitHub's REST API. Every target is cloned afterwards (never read through the API, which
/// truncates large files and long gist listings).
package struct GitHubCatalog: RemoteCatalog {
    private let api: GitHubAPI
    private let hasToken: Bool
    private let warn: @Sendable (String) -> Void

    /// Throws `RemoteCatalogError` for an API URL that is not http(s).
    package init(options: RemoteOptions, warn: @escaping @Sendable (String) -> Void) throws {
        let text = options.github.apiURL.hasSuffix("/") ? String(options.github.apiURL.dropLast()) : options.github.apiURL
        guard let base = URL(string: text), ["http", "https"].contains(base.scheme?.lowercased() ?? ""), base.host != nil else {
            throw RemoteCatalogError("--github-api-url \(text): not an http(s) URL")
        }
        let token = options.token.flatMap { $0.isEmpty ? nil : $0 }
        api = GitHubAPI(base: base, token: token, maxWait: options.github.maxRateLimitWait, warn: warn)
        hasToken = token != nil
        self.warn = warn
        if !hasToken {
            warn("no GITHUB_TOKEN or KEYSWEEP_GITHUB_TOKEN: public content only, at GitHub's lower rate limit (60 API requests an hour)")
        }
    }

    package func list(_ listing: GitHubListing) throws -> Listed {
        var targets: [RemoteTarget] = []
        var missed: [FailedTarget] = []
        /// A listing that stopped half way (rate limit, server errors) is reported as missed;
        /// one that cannot start (401, a name that does not exist) stops the scan.
        func collect(_ what: String, _ body: () throws -> [RemoteTarget]) throws {
            do {
                targets += try body()
            } catch let failure as GitHubAPI.Failure where [.rateLimited, .server, .network].contains(failure.kind) {
                missed.append(FailedTarget(target: what, reason: failure.description))
            } catch let failure as GitHubAPI.Failure {
                throw RemoteCatalogError("\(what): \(failure.description)")
            }
        }
        if listing.ownGists && !hasToken {
            throw RemoteCatalogError("--gists lists the token owner's gists: set GITHUB_TOKEN or KEYSWEEP_GITHUB_TOKEN")
        }
        for user in listing.users {
            try collect("github user \(user)") {
                try repositories(api.list("/users/\(escape(user))/repos?type=owner&per_page=100"), listing)
                    + api.list("/users/\(escape(user))/gists?per_page=100").compactMap(gist)
            }
        }
        for organisation in listing.organisations {
            try collect("github org \(organisation)") {
                try repositories(api.list("/orgs/\(escape(organisation))/repos?type=all&per_page=100"), listing)
            }
            if listing.includeMembers {
                try collect("github org \(organisation) members' gists") {
                    var gists: [RemoteTarget] = []
                    for member in try api.list("/orgs/\(escape(organisation))/members?per_page=100") {
                        guard let login = member["login"] as? String else { continue }
                        gists += try api.list("/users/\(escape(login))/gists?per_page=100").compactMap(gist)
                    }
                    return gists
                }
            }
        }
        if listing.ownGists {
            try collect("the token owner's gists") { try api.list("/gists?per_page=100").compactMap(gist) }
        }
        return Listed(targets: targets, missed: missed)
    }

    package func gist(id: String) throws -> RemoteTarget {
        do {
            guard let target = gist(try api.object("/gists/\(escape(id))")) else {
                throw RemoteCatalogError("gist \(id): the API's answer has no git_pull_url")
            }
            return target
        } catch let failure as GitHubAPI.Failure {
            throw RemoteCatalogError(failure.kind == .notFound ? "gist \(id) not found (404)" : failure.description)
        }
    }

    private func repositories(_ items: [[String: Any]], _ listing: GitHubListing) -> [RemoteTarget] {
        items.compactMap { item in
            guard let clone = item["clone_url"] as? String else { return nil }
            if item["fork"] as? Bool == true && !listing.includeForks { return nil }
            if item["archived"] as? Bool == true && !listing.includeArchived { return nil }
            let visibility = item["visibility"] as? String ?? ((item["private"] as? Bool) == true ? "private" : "public")
            return RemoteTarget(kind: .repository, cloneURL: clone, web: item["html_url"] as? String,
                                owner: (item["owner"] as? [String: Any])?["login"] as? String, visibility: visibility,
                                defaultBranch: item["default_branch"] as? String)
        }
    }

    private func gist(_ item: [String: Any]) -> RemoteTarget? {
        guard let clone = item["git_pull_url"] as? String else { return nil }
        return RemoteTarget(kind: .gist, cloneURL: clone, web: item["html_url"] as? String,
                            owner: (item["owner"] as? [String: Any])?["login"] as? String,
                            visibility: (item["public"] as? Bool).map { $0 ? "public" : "secret" })
    }

    private func escape(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", "."])) ?? name
    }
}
