import AsyncHTTPClient
import Foundation
import KeySweep
import NIOCore
import NIOHTTP1

/// GitHub's REST API, as much of it as listing repositories and gists needs: GET with the
/// token as a Bearer header (only to the API's own origin), pages followed through the `Link`
/// header (never to another origin, never past `maxPages` pages or `maxItems` items, never to
/// a page already read), rate limits waited out with a countdown up to a bound, server errors
/// retried with back-off, and each request given `timeout` seconds for its whole answer.
final class GitHubAPI: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        enum Kind { case unauthorized, forbidden, notFound, rateLimited, server, network, malformed }
        var kind: Kind
        var description: String
    }

    /// A listing's bounds: GitHub's own largest listings are far below (100 items a page), a
    /// server whose `Link: next` never ends is not.
    static let maxPages = 1_000
    static let maxItems = 100_000

    /// A listing's items; `incomplete` says why it stopped before its last page.
    struct Listing {
        var items: [[String: Any]] = []
        var incomplete: String?
    }

    let base: URL
    private let token: String?
    private let maxWait: Double
    private let timeout: Double
    private let warn: @Sendable (String) -> Void
    private let client: HTTPClient
    /// Back-off before retrying a 5xx: doubled each time.
    var backoff: Double = 0.5
    var retries = 3

    init(base: URL, token: String?, maxWait: Double, timeout: Double, warn: @escaping @Sendable (String) -> Void) {
        self.base = base
        self.token = token
        self.maxWait = maxWait
        self.timeout = timeout
        self.warn = warn
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(15), read: .seconds(60))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit { try? client.syncShutdown() }

    /// The items of a paginated list, page after page, up to `maxPages` pages and `maxItems`
    /// items; a next page already read (a loop) ends it too.
    func list(_ path: String) throws -> Listing {
        var url: URL? = URL(string: base.absoluteString + path)
        var listing = Listing()
        var seen: Set<String> = []
        while let page = url {
            guard seen.insert(page.absoluteString).inserted else {
                listing.incomplete = "listing stopped: the API's next page repeats an earlier one (\(page.path))"
                break
            }
            guard seen.count <= Self.maxPages else {
                listing.incomplete = "listing stopped after \(Self.maxPages) pages (keysweep's limit per listing)"
                break
            }
            let response = try get(page)
            guard let array = try JSONSerialization.jsonObject(with: response.body) as? [[String: Any]] else {
                throw Failure(kind: .malformed, description: "\(page.path): the API did not answer with a list")
            }
            let room = Self.maxItems - listing.items.count
            listing.items += array.prefix(room)
            url = try nextPage(response.link)
            if array.count > room || (listing.items.count >= Self.maxItems && url != nil) {
                listing.incomplete = "listing stopped after \(Self.maxItems) items (keysweep's limit per listing)"
                break
            }
        }
        return listing
    }

    /// One object.
    func object(_ path: String) throws -> [String: Any] {
        let response = try get(URL(string: base.absoluteString + path)!)
        guard let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw Failure(kind: .malformed, description: "\(path): the API did not answer with an object")
        }
        return object
    }

    /// The `rel="next"` link, refused when it leaves the API's origin (scheme, host and port).
    private func nextPage(_ link: String?) throws -> URL? {
        guard let link else { return nil }
        for part in link.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 2, fields[1...].contains(where: { $0 == "rel=\"next\"" }),
                  fields[0].hasPrefix("<"), fields[0].hasSuffix(">"),
                  let url = URL(string: String(fields[0].dropFirst().dropLast())) else { continue }
            guard url.scheme == base.scheme, url.host == base.host, url.port == base.port else {
                throw Failure(kind: .malformed, description: "refusing a next page on another origin (\(url.scheme ?? "")://\(url.host ?? ""))")
            }
            return url
        }
        return nil
    }

    private struct Response { var status: Int; var body: Data; var link: String? }

    /// A GET, with rate limits waited out and server errors retried.
    private func get(_ url: URL) throws -> Response {
        var attempt = 0
        while true {
            let (status, headers, body) = try fetch(url)
            switch status {
            case 200..<300:
                return Response(status: status, body: body, link: headers.first(name: "link"))
            case 403 where isRateLimit(status, headers, body), 429:
                try waitForReset(headers)
            case 500..<600 where attempt < retries:
                let delay = backoff * Double(1 << attempt)
                attempt += 1
                warn("GitHub API: \(status) for \(url.path); retrying in \(String(format: "%.1f", delay)) s")
                Thread.sleep(forTimeInterval: delay)
            default:
                throw failure(status, url: url, body: body)
            }
        }
    }

    private func isRateLimit(_ status: Int, _ headers: HTTPHeaders, _ body: Data) -> Bool {
        if headers.first(name: "retry-after") != nil { return true }
        if headers.first(name: "x-ratelimit-remaining") == "0" { return true }
        return status == 429 || String(decoding: body.prefix(2000), as: UTF8.self).lowercased().contains("rate limit")
    }

    /// Waits for `Retry-After` or `X-RateLimit-Reset` (60 s for a secondary limit naming
    /// neither), with a countdown on standard error; throws when that is beyond the bound.
    private func waitForReset(_ headers: HTTPHeaders) throws {
        var seconds = 60.0
        if let retry = headers.first(name: "retry-after").flatMap(Double.init) {
            seconds = retry
        } else if let reset = headers.first(name: "x-ratelimit-reset").flatMap(Double.init) {
            seconds = reset - Date().timeIntervalSince1970 + 1
        }
        seconds = max(1, seconds.rounded(.up))
        guard seconds <= maxWait else {
            throw Failure(kind: .rateLimited,
                          description: "GitHub rate limit resets in \(Int(seconds)) s, beyond the \(Int(maxWait)) s keysweep waits (--max-rate-limit-wait)")
        }
        let terminal = isatty(2) == 1
        FileHandle.standardError.write(Data("keysweep: GitHub rate limit reached; waiting \(Int(seconds)) s\(terminal ? "" : "\n")".utf8))
        var left = Int(seconds)
        while left > 0 {
            Thread.sleep(forTimeInterval: 1)
            left -= 1
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[Kkeysweep: GitHub rate limit reached; waiting \(left) s".utf8)) }
        }
        if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    private func failure(_ status: Int, url: URL, body: Data) -> Failure {
        let message = ((try? JSONSerialization.jsonObject(with: body)) as? [String: Any])?["message"] as? String
        let detail = message.map { ": \($0.prefix(200))" } ?? ""
        switch status {
        case 401:
            return Failure(kind: .unauthorized, description: token == nil
                           ? "GitHub API: 401 Unauthorized (a token is needed: set GITHUB_TOKEN)"
                           : "GitHub API: 401 Unauthorized (the token was refused)")
        case 403: return Failure(kind: .forbidden, description: "GitHub API: 403 Forbidden for \(url.path)\(detail)")
        case 404: return Failure(kind: .notFound, description: "GitHub API: \(url.path) not found (404)")
        default: return Failure(kind: .server, description: "GitHub API: HTTP \(status) for \(url.path)\(detail)")
        }
    }

    /// One request; the body is read up to 64 MiB.
    private func fetch(_ url: URL) throws -> (Int, HTTPHeaders, Data) {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        request.headers.add(name: "Accept", value: "application/vnd.github+json")
        request.headers.add(name: "X-GitHub-Api-Version", value: "2022-11-28")
        request.headers.add(name: "User-Agent", value: "keysweep/\(KeySweepVersion.current)")
        if let token, url.scheme == base.scheme, url.host == base.host, url.port == base.port {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        final class Box: @unchecked Sendable {
            private let lock = NSLock()
            private var _result: Result<(Int, HTTPHeaders, Data), Error>?
            var result: Result<(Int, HTTPHeaders, Data), Error>? {
                get { lock.withLock { _result } }
                set { lock.withLock { _result = newValue } }
            }
        }
        let box = Box()
        let semaphore = DispatchSemaphore(value: 0)
        let client = self.client
        let seconds = timeout
        // One deadline for the whole answer: AsyncHTTPClient's own timeout ends at the head, and
        // a body dripped a byte a second never trips its read timeout.
        let task = Task.detached {
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(seconds * 1000)))
                let body = try await response.body.collect(upTo: 64 << 20)
                box.result = .success((Int(response.status.code), response.headers, Data(body.readableBytesView)))
            } catch {
                box.result = .failure(error)
            }
            semaphore.signal()
        }
        if semaphore.wait(timeout: .now() + seconds) == .timedOut {
            task.cancel()
            throw Failure(kind: .network, description: "GitHub API \(url.host ?? ""): no complete answer to \(url.path) within \(Int(seconds)) s (--remote-timeout)")
        }
        switch box.result! {
        case .success(let value): return value
        case .failure(let error):
            throw Failure(kind: .network, description: "GitHub API \(url.host ?? ""): \(GitHubAPI.describe(error))")
        }
    }

    static func describe(_ error: Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("NXDOMAIN") || text.contains("resolve") || text.contains("lookup") { return "host name not found" }
        if text.contains("TLS") || text.contains("SSL") || text.contains("handshake") { return "TLS failure" }
        if text.contains("timeout") || text.contains("Timeout") { return "timed out" }
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? "request failed"
    }
}
