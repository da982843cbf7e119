/// How remote targets are found, fetched and kept (`--github-*`, `--clone-*` flags).
public struct RemoteOptions: Sendable {
    /// Keep clones here (`DIR/<host>/<path>.git`) and fetch into them on the next run; nil: a
    /// private temporary directory, each clone removed once scanned and everything at exit.
    public var cloneDirectory: String?
    /// Clones in flight at once, beside the scan.
    public var cloneJobs = 4
    /// Seconds a transfer may go without receiving anything before it is given up; also the
    /// longest an API request may take, every byte of its answer included.
    public var stallTimeout: Double = 120
    /// Bytes one clone or fetch may receive before it is stopped and the target fails
    /// (`--max-clone-size`, 10 GiB): a server streaming objects without end would fill the disk.
    public var maxCloneSize = 10 << 30
    /// GitHub listings to scan.
    public var github = GitHubListing()
    /// The token sent to GitHub (API and git); from `KEYSWEEP_GITHUB_TOKEN` or `GITHUB_TOKEN`.
    public var token: String?
    /// Lists the targets of `github` and looks gists up (the command line gives the REST
    /// client of `KeySweepGitHub`); nil: GitHub listings and gist ids cannot be used.
    package var catalog: (@Sendable (_ options: RemoteOptions, _ warn: @escaping @Sendable (String) -> Void) throws -> any RemoteCatalog)?

    public init() {}
}

/// What to list on GitHub.
public struct GitHubListing: Sendable {
    /// The REST API's root (GitHub Enterprise: `https://HOST/api/v3`).
    public var apiURL = "https://api.github.com"
    /// Users whose public repositories and public gists are scanned.
    public var users: [String] = []
    /// Organisations whose repositories are scanned.
    public var organisations: [String] = []
    /// The token owner's own gists, secret ones included.
    public var ownGists = false
    public var includeForks = false
    public var includeArchived = false
    /// Also the public gists of each organisation's members.
    public var includeMembers = false
    /// Longest wait for a rate limit to reset, in seconds, before the listing stops.
    public var maxRateLimitWait: Double = 900

    public init() {}

    var isEmpty: Bool { users.isEmpty && organisations.isEmpty && !ownGists }
}

/// A source of remote targets: GitHub's REST API. Implemented outside the core (it needs an
/// HTTP client), injected through `RemoteOptions.catalog`.
package protocol RemoteCatalog: Sendable {
    /// The repositories and gists `listing` names. Throws `RemoteCatalogError` when the listing
    /// cannot be made at all; targets it could not list are in `Listed.missed`.
    func list(_ listing: GitHubListing) throws -> Listed
    /// A gist's clone URL, owner and visibility.
    func gist(id: String) throws -> RemoteTarget
}

package struct Listed: Sendable {
    package var targets: [RemoteTarget]
    /// What could not be listed and why (`org acme`: the rate limit did not reset within 900 s).
    package var missed: [FailedTarget]
    /// Listings that gave nothing to scan, and what they held (`github org acme lists 3
    /// repositories, none to scan (2 forks, 1 archived left out: ...)`).
    package var empty: [String]
    package init(targets: [RemoteTarget], missed: [FailedTarget], empty: [String] = []) {
        self.targets = targets
        self.missed = missed
        self.empty = empty
    }
}

/// Why the API could not answer: one line for the user.
package struct RemoteCatalogError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
