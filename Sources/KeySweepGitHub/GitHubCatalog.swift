import Foundation
import KeySweep

/// Lists what `--github-user`, `--github-org` and `--gists` name, and looks gists up, through
/// GitHub's REST API. Every target is cloned afterwards (never read through the API, which
/// truncates large files and long gist listings), and only from GitHub's own origins: a clone
/// URL the API names elsewhere (`file://`, another host, plain HTTP) is a failed target.
package struct GitHubCatalog: RemoteCatalog {
    private let api: GitHubAPI
    private let cloneOrigins: Set<WebOrigin>
    private let hasToken: Bool
    private let warn: @Sendable (String) -> Void

    /// Throws `RemoteCatalogError` for an API URL that is not http(s).
    package init(options: RemoteOptions, warn: @escaping @Sendable (String) -> Void) throws {
        let text = options.github.apiURL.hasSuffix("/") ? String(options.github.apiURL.dropLast()) : options.github.apiURL
        guard let base = URL(string: text), ["http", "https"].contains(base.scheme?.lowercased() ?? ""), base.host != nil else {
            throw RemoteCatalogError("--github-api-url \(text): not an http(s) URL")
        }
        let token = options.token.flatMap { $0.isEmpty ? nil : $0 }
        api = GitHubAPI(base: base, token: token, maxWait: options.github.maxRateLimitWait, timeout: options.stallTimeout, warn: warn)
        cloneOrigins = WebOrigin.github(apiURL: text)
        hasToken = token != nil
        self.warn = warn
        if !hasToken {
            warn("no GITHUB_TOKEN or KEYSWEEP_GITHUB_TOKEN: public content only, at GitHub's lower rate limit (60 API requests an hour)")
        }
    }

    package func list(_ listing: GitHubListing) throws -> Listed {
        var listed = Listed(targets: [], missed: [])
        /// A listing that stopped half way (rate limit, server errors, a bound) is reported as
        /// missed; one that cannot start (401, a name that does not exist) stops the scan.
        func collect(_ what: String, _ body: (inout Tally) throws -> Void) throws {
            var tally = Tally(what: what)
            do {
                try body(&tally)
            } catch let failure as GitHubAPI.Failure where [.rateLimited, .server, .network].contains(failure.kind) {
                tally.missed.append(FailedTarget(target: what, reason: failure.description))
            } catch let failure as GitHubAPI.Failure {
                throw RemoteCatalogError("\(what): \(failure.description)")
            }
            listed.targets += tally.targets
            listed.missed += tally.missed
            if tally.targets.isEmpty && tally.missed.isEmpty { listed.empty.append(tally.emptyDescription) }
        }
        if listing.ownGists && !hasToken {
            throw RemoteCatalogError("--gists lists the token owner's gists: set GITHUB_TOKEN or KEYSWEEP_GITHUB_TOKEN")
        }
        for user in listing.users {
            try collect("github user \(user)") { tally in
                try addRepositories(api.list("/users/\(escape(user))/repos?type=owner&per_page=100"), listing, to: &tally)
                try addGists(api.list("/users/\(escape(user))/gists?per_page=100"), to: &tally)
            }
        }
        for organisation in listing.organisations {
            try collect("github org \(organisation)") { tally in
                try addRepositories(api.list("/orgs/\(escape(organisation))/repos?type=all&per_page=100"), listing, to: &tally)
            }
            if listing.includeMembers {
                try collect("github org \(organisation) members' gists") { tally in
                    let members = try api.list("/orgs/\(escape(organisation))/members?per_page=100")
                    if let incomplete = members.incomplete { tally.missed.append(FailedTarget(target: tally.what + " (members)", reason: incomplete)) }
                    for member in members.items {
                        guard let login = member["login"] as? String else { continue }
                        try addGists(api.list("/users/\(escape(login))/gists?per_page=100"), to: &tally)
                    }
                }
            }
        }
        if listing.ownGists {
            try collect("the token owner's gists") { tally in try addGists(api.list("/gists?per_page=100"), to: &tally) }
        }
        return listed
    }

    package func gist(id: String) throws -> RemoteTarget {
        do {
            guard let target = try gistTarget(try api.object("/gists/\(escape(id))")).get() else {
                throw RemoteCatalogError("gist \(id): the API's answer has no git_pull_url")
            }
            return target
        } catch let failure as GitHubAPI.Failure {
            throw RemoteCatalogError(failure.kind == .notFound ? "gist \(id) not found (404)" : failure.description)
        } catch let refused as Refused {
            throw RemoteCatalogError("gist \(id): \(refused.reason)")
        }
    }

    /// What one listing gave: targets, targets refused or cut off, what was left out.
    private struct Tally {
        var what: String
        var targets: [RemoteTarget] = []
        var missed: [FailedTarget] = []
        var repositories = 0, gists = 0, forks = 0, archived = 0

        /// `github org acme: 3 repositories listed, none to scan (2 forks, 1 archived left out: ...)`.
        var emptyDescription: String {
            var listed: [String] = []
            if repositories > 0 { listed.append(repositories == 1 ? "1 repository" : "\(repositories) repositories") }
            if gists > 0 { listed.append(gists == 1 ? "1 gist" : "\(gists) gists") }
            guard !listed.isEmpty else { return "\(what) lists no repository or gist" }
            var left: [String] = [], flags: [String] = []
            if forks > 0 { left.append(forks == 1 ? "1 fork" : "\(forks) forks"); flags.append("--include-forks") }
            if archived > 0 { left.append("\(archived) archived"); flags.append("--include-archived") }
            return "\(what) lists \(listed.joined(separator: " and ")), none to scan"
                + (left.isEmpty ? "" : " (\(left.joined(separator: ", ")) left out: \(flags.joined(separator: ", ")))")
        }
    }

    /// A clone URL the API named outside `cloneOrigins`.
    private struct Refused: Error { var url: String; var reason: String }

    private func addRepositories(_ listing: GitHubAPI.Listing, _ options: GitHubListing, to tally: inout Tally) {
        if let incomplete = listing.incomplete { tally.missed.append(FailedTarget(target: tally.what, reason: incomplete)) }
        for item in listing.items {
            guard let clone = item["clone_url"] as? String else { continue }
            tally.repositories += 1
            if item["fork"] as? Bool == true && !options.includeForks { tally.forks += 1; continue }
            if item["archived"] as? Bool == true && !options.includeArchived { tally.archived += 1; continue }
            let visibility = item["visibility"] as? String ?? ((item["private"] as? Bool) == true ? "private" : "public")
            let target = RemoteTarget(kind: .repository, cloneURL: clone, web: item["html_url"] as? String,
                                      owner: (item["owner"] as? [String: Any])?["login"] as? String, visibility: visibility,
                                      defaultBranch: item["default_branch"] as? String)
            if let reason = refusal(clone) {
                tally.missed.append(FailedTarget(target: target.displayURL, reason: reason))
            } else {
                tally.targets.append(target)
            }
        }
    }

    private func addGists(_ listing: GitHubAPI.Listing, to tally: inout Tally) {
        if let incomplete = listing.incomplete { tally.missed.append(FailedTarget(target: tally.what + " (gists)", reason: incomplete)) }
        for item in listing.items {
            switch gistTarget(item) {
            case .success(let target?): tally.gists += 1; tally.targets.append(target)
            case .success(nil): continue
            case .failure(let refused):
                tally.gists += 1
                tally.missed.append(FailedTarget(target: refused.url, reason: refused.reason))
            }
        }
    }

    private func gistTarget(_ item: [String: Any]) -> Result<RemoteTarget?, Refused> {
        guard let clone = item["git_pull_url"] as? String else { return .success(nil) }
        let target = RemoteTarget(kind: .gist, cloneURL: clone, web: item["html_url"] as? String,
                                  owner: (item["owner"] as? [String: Any])?["login"] as? String,
                                  visibility: (item["public"] as? Bool).map { $0 ? "public" : "secret" })
        if let reason = refusal(clone) { return .failure(Refused(url: target.displayURL, reason: reason)) }
        return .success(target)
    }

    /// Why a clone URL from the API is not cloned: it must be on one of GitHub's own origins
    /// behind this API (scheme, host and port), never a local path or another server.
    private func refusal(_ url: String) -> String? {
        if let origin = WebOrigin(url), cloneOrigins.contains(origin) { return nil }
        let allowed = cloneOrigins.map(\.description).sorted().joined(separator: ", ")
        return "the API's clone URL is not on \(allowed); not cloned"
    }

    private func escape(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(["-", "_", "."])) ?? name
    }
}
