/// A scan's targets once the command line is read and GitHub is asked: local paths and
/// standard input as named, then the remote repositories and gists, each once.
struct TargetPlan {
    /// Paths and `-`, in command-line order.
    var local: [String] = []
    /// Remote repositories and gists, one per identity, in the order named or listed.
    var remote: [RemoteTarget] = []
    /// Identities that came from a listing (an empty one there is a note, not a failure).
    var listed: Set<String> = []
    /// Targets that could not be listed or looked up, and why (failed before any clone).
    var failed: [FailedTarget] = []

    /// Reads every target name (so a malformed one stops the scan before any network call),
    /// then looks gists up and makes the GitHub listings.
    static func make(_ names: [String], options: RemoteOptions, warn: @escaping @Sendable (String) -> Void) throws -> TargetPlan {
        // GitHub Enterprise serves gists at https://HOST/gist/...; github.com at gist.github.com.
        let enterprise = Set(WebOrigin.github(apiURL: options.github.apiURL).map(\.host))
            .subtracting(["api.github.com", "github.com", "gist.github.com"])
        let parsed = try names.map { try TargetName.parse($0, enterpriseHosts: enterprise) }
        var plan = TargetPlan()
        let needsCatalog = !options.github.isEmpty || parsed.contains { if case .gist = $0 { return true }; return false }
        let catalog: (any RemoteCatalog)?
        do { catalog = needsCatalog ? try options.catalog?(options, warn) : nil } catch { throw ScanError.invalid("\(error)") }
        if needsCatalog && catalog == nil { throw ScanError.invalid("gists and GitHub listings need GitHub's API, which this build cannot reach") }
        var seen: Set<String> = []
        func add(_ target: RemoteTarget, listed: Bool) {
            guard seen.insert(target.identity).inserted else { return }
            plan.remote.append(target)
            if listed { plan.listed.insert(target.identity) }
        }
        for name in parsed {
            switch name {
            case .stdin: plan.local.append("-")
            case .path(let path): plan.local.append(path)
            case .repository(let url): add(RemoteTarget(kind: .repository, cloneURL: url), listed: false)
            case .gist(let id):
                do {
                    add(try catalog!.gist(id: id), listed: false)
                } catch {
                    plan.failed.append(FailedTarget(target: "gist:\(id)", reason: "\(error)"))
                }
            }
        }
        if !options.github.isEmpty {
            let listing: Listed
            do { listing = try catalog!.list(options.github) } catch { throw ScanError.invalid("\(error)") }
            for target in listing.targets { add(target, listed: true) }
            plan.failed += listing.missed
            // Nothing at all to scan is an error naming what the listings held, not "scanned 0 files".
            if plan.local.isEmpty && plan.remote.isEmpty && plan.failed.isEmpty {
                throw ScanError.invalid("nothing to scan: " + listing.empty.joined(separator: "; "))
            }
            for empty in listing.empty { warn(empty) }
        }
        return plan
    }
}

/// A target that could not be scanned, and why: in the report's stats and a warning.
package struct FailedTarget: Sendable, Codable, Hashable {
    package var target: String
    package var reason: String
    package init(target: String, reason: String) {
        self.target = target
        self.reason = reason
    }
}

/// The refs a remote target's clone or fetch brought, by namespace (`heads`, `tags`, `pull`).
struct FetchedTarget: Sendable, Codable, Hashable {
    var target: String
    var refs: [String: Int]
}
