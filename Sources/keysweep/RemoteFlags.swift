import ArgumentParser
import Foundation
import KeySweep
import KeySweepGitHub

/// The flags of remote targets: GitHub listings, clones, the API. Defined once here.
struct RemoteFlags: ParsableArguments {
    @Option(help: ArgumentHelp("Scan USER's public repositories and public gists (repeatable).", valueName: "USER"))
    var githubUser: [String] = []

    @Option(help: ArgumentHelp("Scan the organisation's repositories (repeatable; private ones too when the token can read them).", valueName: "ORG"))
    var githubOrg: [String] = []

    @Flag(help: "Scan the token owner's own gists, secret ones included (needs GITHUB_TOKEN).")
    var gists = false

    @Option(help: ArgumentHelp("GitHub's REST API (GitHub Enterprise: https://HOST/api/v3).", valueName: "URL"))
    var githubApiUrl: String = "https://api.github.com"

    @Flag(help: "Also scan forks (left out by default: a fork's history is mostly its parent's, scanned on its own).")
    var includeForks = false

    @Flag(help: "Also scan archived repositories (left out by default: they no longer change; scan them once with this).")
    var includeArchived = false

    @Flag(help: "With --github-org, also scan the public gists of the organisation's members.")
    var includeMembers = false

    @Option(help: ArgumentHelp("Keep clones in DIR and fetch into them next time (default: a private temporary directory, removed at exit).", valueName: "DIR"))
    var cloneDir: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Clones made at once, beside the scan.", valueName: "N"))
    var cloneJobs: Int = 4

    @Option(parsing: .unconditional, help: ArgumentHelp("Longest wait for GitHub's rate limit to reset before the listing stops.", valueName: "SECONDS"))
    var maxRateLimitWait: Int = 900

    @Option(parsing: .unconditional, help: ArgumentHelp("Give up a clone that receives nothing for this long, and a GitHub API request not answered whole within it.", valueName: "SECONDS"))
    var remoteTimeout: Int = 120

    @Option(help: ArgumentHelp("Stop a clone or fetch that receives more than this (512K, 500M, 10G); the target fails.", valueName: "SIZE"))
    var maxCloneSize: String = "10G"

    func validate() throws {
        if cloneJobs < 1 { throw ValidationError("--clone-jobs must be at least 1\(cloneJobs < 0 ? " (\(cloneJobs) is negative)" : "")") }
        if cloneJobs > 64 { throw ValidationError("--clone-jobs \(cloneJobs) is more than 64") }
        if maxRateLimitWait < 0 { throw ValidationError("--max-rate-limit-wait \(maxRateLimitWait) is negative") }
        if remoteTimeout < 1 { throw ValidationError("--remote-timeout must be at least 1\(remoteTimeout < 0 ? " (\(remoteTimeout) is negative)" : "")") }
        guard let size = ByteSize.parse(maxCloneSize), size > 0 else {
            throw ValidationError("--max-clone-size '\(maxCloneSize)' is not a size above 0 (try 500M or 10G)")
        }
        for name in githubUser + githubOrg where name.isEmpty || name.contains("/") {
            throw ValidationError("'\(name)' is not a GitHub user or organisation name")
        }
    }

    /// Whether a listing flag names something to scan (then no target defaults to `.`).
    var listsTargets: Bool { !githubUser.isEmpty || !githubOrg.isEmpty || gists }

    func options(environment: [String: String] = ProcessInfo.processInfo.environment) -> RemoteOptions {
        var options = RemoteOptions()
        options.cloneDirectory = cloneDir
        options.cloneJobs = cloneJobs
        options.stallTimeout = Double(remoteTimeout)
        options.maxCloneSize = ByteSize.parse(maxCloneSize) ?? options.maxCloneSize
        options.github.apiURL = githubApiUrl
        options.github.users = githubUser
        options.github.organisations = githubOrg
        options.github.ownGists = gists
        options.github.includeForks = includeForks
        options.github.includeArchived = includeArchived
        options.github.includeMembers = includeMembers
        options.github.maxRateLimitWait = Double(maxRateLimitWait)
        // KEYSWEEP_GITHUB_TOKEN wins: a CI job's GITHUB_TOKEN may not reach what is scanned.
        options.token = [environment["KEYSWEEP_GITHUB_TOKEN"], environment["GITHUB_TOKEN"]].compactMap { $0 }.first { !$0.isEmpty }
        options.catalog = { try GitHubCatalog(options: $0, warn: $1) }
        return options
    }
}
