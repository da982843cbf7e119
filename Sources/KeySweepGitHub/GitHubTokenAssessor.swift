import AsyncHTTPClient
import Foundation
import KeySweep
import NIOCore
import NIOHTTP1

/// GitHub's provider module: asks `GET /user` with each leaked token whether it works and whose
/// it is, and reads what it can do from the classic scopes GitHub reports (`X-OAuth-Scopes`).
/// Every call goes to the API base it was made with and nowhere else: no redirects, no proxy,
/// one deadline for the whole answer, a bounded body. The token is sent only as its own
/// `Authorization` header to that base.
package struct GitHubTokenAssessor: CredentialAssessor {
    package let provider = "GitHub"
    /// The REST API's base (`--github-api-url`), without a trailing slash.
    package let apiURL: URL
    /// Seconds for connecting, and for the whole of each call.
    package let timeout: Double
    /// At most this many calls in flight: a report may hold hundreds of tokens.
    var maxConcurrent = 4
    /// Larger than any `/user` answer; a server sending more is not GitHub.
    static let maxBody = 1 << 20

    package var source: String { apiURL.absoluteString }

    package init(apiURL: URL, timeout: Double) {
        var text = apiURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        self.apiURL = URL(string: text) ?? apiURL
        self.timeout = timeout
    }

    // MARK: - What the scopes mean

    /// One classic scope: the capability it grants (the module's vocabulary, which reports and
    /// the plan read), how much that can hurt, and the words the summary uses for it.
    struct Scope {
        var name: String
        var capability: String
        var danger: BlastRadiusReport.Danger
        var words: String
    }

    /// Classic OAuth and personal-token scopes (GitHub's "Scopes for OAuth apps"), worst first:
    /// the one place that says what a scope lets a leaked token do. Critical: can take over
    /// organisations or the enterprise, destroy repositories, or read every CI secret by
    /// changing a workflow. High: can change or destroy code, packages, hooks and keys. A scope
    /// not listed here (gist, read:org, notifications, ...) is `limited` and named as it is.
    static let scopes: [Scope] = [
        Scope(name: "admin:enterprise", capability: "administer-enterprise", danger: .critical, words: "administer the enterprise"),
        Scope(name: "admin:org", capability: "administer-orgs", danger: .critical, words: "administer organizations"),
        Scope(name: "delete_repo", capability: "delete-repos", danger: .critical, words: "delete repositories"),
        Scope(name: "workflow", capability: "change-workflows", danger: .critical, words: "change workflows (and so read CI secrets)"),
        Scope(name: "repo", capability: "write-private-repos", danger: .high, words: "write private repositories"),
        Scope(name: "write:packages", capability: "publish-packages", danger: .high, words: "publish packages"),
        Scope(name: "delete:packages", capability: "delete-packages", danger: .high, words: "delete packages"),
        Scope(name: "admin:repo_hook", capability: "change-webhooks", danger: .high, words: "change webhooks"),
        Scope(name: "admin:public_key", capability: "add-ssh-keys", danger: .high, words: "add SSH keys"),
        Scope(name: "write:repo_hook", capability: "change-webhooks", danger: .limited, words: "change webhooks"),
        Scope(name: "write:org", capability: "manage-org-members", danger: .limited, words: "manage organization members"),
        Scope(name: "public_repo", capability: "write-public-repos", danger: .limited, words: "write public repositories"),
        Scope(name: "admin:gpg_key", capability: "add-gpg-keys", danger: .limited, words: "add GPG keys"),
        Scope(name: "user", capability: "change-profile", danger: .limited, words: "change the user's profile"),
    ]
    /// Scopes outside the table, gathered under one capability so the vocabulary stays fixed.
    static let otherScopes = "other-scopes"
    /// `site_admin` in the user JSON: the token's owner administers a GitHub Enterprise Server.
    static let siteAdmin = Scope(name: "site_admin", capability: "administer-instance", danger: .critical,
                                 words: "administer the whole GitHub instance (site admin)")

    /// What the token can do, from `X-OAuth-Scopes` (nil: the header was absent) and `/user`.
    func blastRadius(token: String, login: String, scopes header: String?, siteAdmin: Bool) -> BlastRadiusReport {
        let granted = header.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        var matched = Self.scopes.filter { granted?.contains($0.name) == true }
        if siteAdmin { matched.insert(Self.siteAdmin, at: 0) }
        let others = (granted ?? []).filter { name in !Self.scopes.contains { $0.name == name } }

        var report = BlastRadiusReport(provider: provider, summary: "", danger: .none, source: source)
        report.principal = login
        for scope in matched {
            if !report.capabilities.contains(scope.capability) { report.capabilities.append(scope.capability) }
            let fromUser = scope.name == Self.siteAdmin.name
            report.evidence[scope.capability, default: []].append(fromUser ? "site_admin in /user" : "scope \(scope.name)")
            report.answeredBy[scope.capability] = fromUser ? "user" : "scopes"
        }
        if !others.isEmpty {
            report.capabilities.append(Self.otherScopes)
            report.evidence[Self.otherScopes] = others.map { "scope \($0)" }
            report.answeredBy[Self.otherScopes] = "scopes"
        }
        let adminScopes = ["admin:org", "admin:enterprise"]
        report.admin = siteAdmin || matched.contains { adminScopes.contains($0.name) } ? true : (granted == nil ? nil : false)

        var words: [String] = []
        for scope in matched where !words.contains(scope.words) { words.append(scope.words) }
        if !others.isEmpty { words.append("use the scope\(others.count == 1 ? "" : "s") \(others.joined(separator: ", "))") }
        let worst = matched.map(\.danger).min() ?? (others.isEmpty ? nil : .limited)

        guard granted != nil else {
            let reason = Self.unreported(token)
            report.unknown.append(reason)
            report.danger = worst ?? .unknown
            report.summary = words.isEmpty ? "unknown: \(reason)" : "can \(Self.list(words)), as \(login); otherwise unknown: \(reason)"
            return report
        }
        report.danger = worst ?? .none
        report.summary = words.isEmpty ? "can do nothing beyond public reads (no scopes), as \(login)" : "can \(Self.list(words)), as \(login)"
        return report
    }

    /// Why a token's answer had no `X-OAuth-Scopes`: fine-grained and GitHub App tokens carry
    /// permissions GitHub does not report.
    static func unreported(_ token: String) -> String {
        if token.hasPrefix("github_pat_") { return "fine-grained token: GitHub does not report its permissions through the API" }
        if token.hasPrefix("ghs_") || token.hasPrefix("ghu_") { return "GitHub App token: GitHub does not report its permissions through the API" }
        return "GitHub's answer named no scopes (no X-OAuth-Scopes header)"
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ words: [String]) -> String {
        words.count <= 1 ? words.joined() : words.dropLast().joined(separator: ", ") + " and " + words.last!
    }

    // MARK: - Which tokens are sent

    /// Why `credential` is not sent to GitHub; nil when it is.
    static func skipReason(_ credential: Credential) -> String? {
        let token = credential.value
        if credential.isRedacted { return "redacted: the report holds only part of the token" }
        if credential.id.isPlaceholder { return "placeholder: not sent to GitHub" }
        switch credential.id.rule.id {
        case "github-token":
            // A refresh token only buys new tokens from the OAuth endpoint; it calls no API.
            if token.hasPrefix("ghr_") { return "refresh token: it cannot call GitHub's API" }
        case "github-fine-grained-token", "github-legacy-token":
            break
        default:
            return "rule \(credential.id.rule.id) does not find tokens keysweep can check with GitHub"
        }
        // Only token characters go into a header: a value read from an edited report could hold anything.
        guard !token.isEmpty, token.utf8.allSatisfy({ $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0)
            || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
            return "not a GitHub token's characters: not sent"
        }
        return nil
    }

    // MARK: - Calls

    /// Answers every credential; blocks until all are answered (the plan is synchronous). The
    /// calls run on Swift's cooperative pool, so call it from a plain thread (the command line's),
    /// never from a task on that pool: blocking its few threads would leave none for the calls.
    /// Async code calls `check`.
    package func assess(_ credentials: [Credential]) -> [Assessment] {
        BlockingWait.result { await self.check(credentials) }
    }

    /// `assess`, for async callers.
    package func check(_ credentials: [Credential]) async -> [Assessment] {
        var answers = credentials.map { credential in
            Self.skipReason(credential).map { Assessment(verification: VerificationResult(verdict: .notChecked, reason: $0)) }
        }
        let pending = answers.indices.filter { answers[$0] == nil }
        guard !pending.isEmpty else { return answers.map { $0! } }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(timeout * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        configuration.proxy = nil
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        await withTaskGroup(of: (Int, Assessment).self) { group in
            var next = 0
            func start() {
                let index = pending[next]
                next += 1
                group.addTask { (index, await self.assessOne(credentials[index].value, client: client)) }
            }
            while next < min(pending.count, max(1, maxConcurrent)) { start() }
            while let (index, answer) = await group.next() {
                answers[index] = answer
                if next < pending.count { start() }
            }
        }
        try? await client.shutdown()
        return answers.map { $0 ?? Assessment(verification: VerificationResult(verdict: .couldNotCheck, reason: "not attempted")) }
    }

    private struct Answer { var status: Int; var headers: HTTPHeaders; var body: ByteBuffer }

    func assessOne(_ token: String, client: HTTPClient) async -> Assessment {
        let checkedAt = VerificationClock.iso8601(Date())
        func result(_ verdict: VerificationResult.Verdict, reason: String? = nil, code: String? = nil) -> VerificationResult {
            var result = VerificationResult(verdict: verdict, reason: reason)
            result.code = code
            result.checkedAt = checkedAt
            result.endpoint = source
            return result
        }
        var request = HTTPClientRequest(url: source + "/user")
        request.method = .GET
        request.headers.add(name: "Authorization", value: "token \(token)")
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "keysweep/\(KeySweepVersion.current)")

        let answer: Answer
        do {
            answer = try await fetch(request, client: client)
        } catch is TimedOut {
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub API \(apiURL.host ?? ""): no complete answer within \(Int(timeout)) s"))
        } catch is NIOTooManyBytesError {
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub API \(apiURL.host ?? ""): answer larger than 1 MiB"))
        } catch {
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub API \(apiURL.host ?? ""): \(GitHubAPI.describe(error))"))
        }

        let json = (try? JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView))) as? [String: Any]
        let message = (json?["message"] as? String).map { ": " + $0.prefix(200).split(whereSeparator: \.isNewline).joined(separator: " ") } ?? ""
        let code = String(answer.status)
        switch answer.status {
        case 200:
            guard let login = json?["login"] as? String, !login.isEmpty else {
                return Assessment(verification: result(.couldNotCheck, reason: "GitHub answered 200 without a login", code: code))
            }
            var verification = result(.live)
            verification.principalName = login
            switch (json?["type"] as? String)?.lowercased() {
            case "bot": verification.principalType = "bot"
            case "app", "integration": verification.principalType = "app"
            default: verification.principalType = "user"
            }
            let report = blastRadius(token: token, login: login, scopes: answer.headers.first(name: "x-oauth-scopes"),
                                     siteAdmin: json?["site_admin"] as? Bool == true)
            return Assessment(verification: verification, blastRadius: report)
        case 401:
            return Assessment(verification: result(.unknownID, reason: "GitHub answered 401 Bad credentials: revoked, expired or never valid", code: code))
        case 403, 429:
            if answer.headers.first(name: "x-ratelimit-remaining") == "0" || answer.headers.first(name: "retry-after") != nil {
                let reset = answer.headers.first(name: "x-ratelimit-reset").flatMap(Double.init)
                    .map { " (resets \(VerificationClock.iso8601(Date(timeIntervalSince1970: $0))))" } ?? ""
                return Assessment(verification: result(.couldNotCheck, reason: "GitHub rate limit reached\(reset)", code: code))
            }
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub answered \(code)\(message)", code: code))
        case 300..<400:
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub answered \(code), a redirect keysweep does not follow", code: code))
        default:
            return Assessment(verification: result(.couldNotCheck, reason: "GitHub answered HTTP \(code)\(message)", code: code))
        }
    }

    private struct TimedOut: Error {}

    /// One call, head and body within `timeout`: AsyncHTTPClient's own timeout ends at the head,
    /// and a body dripped a byte a second never trips its read timeout. The watchdog waits a
    /// second longer so that AsyncHTTPClient's own errors, which say more ("connection
    /// refused" after retrying the connection until its deadline), come first.
    private func fetch(_ request: HTTPClientRequest, client: HTTPClient) async throws -> Answer {
        let seconds = timeout
        return try await withThrowingTaskGroup(of: Answer.self) { group in
            group.addTask {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(seconds * 1000)))
                let body = try await response.body.collect(upTo: Self.maxBody)
                return Answer(status: Int(response.status.code), headers: response.headers, body: body)
            }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64((seconds + 1) * 1_000_000_000))
                throw TimedOut()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
