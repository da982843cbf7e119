import AsyncHTTPClient
import Foundation
import KeySweep
import NIOCore
import NIOHTTP1

/// Asks STS GetCallerIdentity who owns each key pair. Every request goes to the one endpoint it
/// was made with and nowhere else: no redirects are followed, no proxy is used, and the secret
/// itself never leaves the machine (only the SigV4 signature made with it, and the session token).
public struct STSVerifier: CredentialVerifier {
    public struct Options: Sendable {
        var endpoint: URL
        /// Seconds for connecting, and for the whole of each call.
        var timeout: Double = 10
        /// At most this many calls in flight.
        var maxConcurrent = 4
        /// Further attempts after throttling or a server error, with exponential back-off.
        var retries = 2
        /// First back-off delay in seconds (doubled each time, with jitter).
        var backoff: Double = 0.5
        /// Delay before the one retry after `SignatureDoesNotMatch`.
        var signatureRetryDelay: Double = 1.0

        public init(endpoint: URL) { self.endpoint = endpoint }
    }

    let options: Options

    public init(options: Options) { self.options = options }

    /// The verifier for `--verify`: the endpoint from `--sts-endpoint`, `AWS_ENDPOINT_URL_STS` or
    /// `AWS_ENDPOINT_URL` (default the global one), and the timeout of each call. Throws
    /// `STSEndpoint.Invalid` for an endpoint that is not an http(s) URL.
    public init(stsEndpoint: String?, timeout: Double,
                environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        var options = Options(endpoint: try STSEndpoint.resolve(flag: stsEndpoint, environment: environment))
        options.timeout = timeout
        self.options = options
    }

    package var endpoint: URL { options.endpoint }

    /// Checks each credential; the results are in the same order.
    func check(_ credentials: [STSCredential]) async -> [VerificationResult] {
        guard !credentials.isEmpty else { return [] }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(options.timeout * 1000)),
                                      read: .milliseconds(Int64(options.timeout * 1000)))
        configuration.proxy = nil
        configuration.httpVersion = .http1Only
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        var results = [VerificationResult?](repeating: nil, count: credentials.count)
        let limit = max(1, options.maxConcurrent)
        await withTaskGroup(of: (Int, VerificationResult).self) { group in
            var next = 0
            while next < credentials.count || !group.isEmpty {
                // Keep at most `limit` calls in flight.
                while next < credentials.count && next - results.compactMap({ $0 }).count < limit {
                    let index = next
                    next += 1
                    group.addTask { (index, await self.verifyOne(credentials[index], client: client)) }
                }
                if let (index, result) = await group.next() { results[index] = result }
            }
        }
        try? await client.shutdown()
        return results.map { $0 ?? VerificationResult(verdict: .couldNotCheck, reason: "not attempted") }
    }

    /// Runs `verify` from synchronous code (the plan) and waits for it.
    package func verify(_ credentials: [STSCredential]) -> [VerificationResult] {
        BlockingWait.result { await self.check(credentials) }
    }

    private func verifyOne(_ credential: STSCredential, client: HTTPClient) async -> VerificationResult {
        var attempt = 0
        var signatureRetried = false
        while true {
            switch await call(credential, client: client).outcome {
            case .final(let final):
                return final
            case .retrySignature(let wrong):
                // STS sometimes rejects a second quick call for the same id: try once more.
                if signatureRetried { return wrong }
                signatureRetried = true
                await sleep(options.signatureRetryDelay)
            case .retryLater(let later):
                if attempt >= options.retries { return later }
                let delay = options.backoff * pow(2, Double(attempt)) * Double.random(in: 0.8...1.2)
                attempt += 1
                await sleep(delay)
            }
        }
    }

    private struct Call { var outcome: STSResponse.Outcome }

    private func call(_ credential: STSCredential, client: HTTPClient) async -> Call {
        let now = Date()
        let checkedAt = VerificationClock.iso8601(now)
        let endpoint = options.endpoint
        let signed = SigV4.signGetCallerIdentity(keyID: credential.keyID, secret: credential.secret,
                                                 sessionToken: credential.sessionToken,
                                                 host: STSEndpoint.hostHeader(endpoint),
                                                 amzDate: SigV4.amzDate(now))
        var request = HTTPClientRequest(url: Self.postURL(endpoint))
        request.method = .POST
        for header in signed.headers { request.headers.add(name: header.name, value: header.value) }
        request.headers.add(name: "Accept", value: "text/xml")
        request.headers.add(name: "User-Agent", value: "keysweep/\(KeySweepVersion.current)")
        request.body = .bytes(ByteBuffer(string: signed.body))

        func stamp(_ result: VerificationResult) -> VerificationResult {
            var result = result
            result.checkedAt = checkedAt
            result.endpoint = endpoint.absoluteString
            return result
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(options.timeout * 1000)))
            let body = try await response.body.collect(upTo: 1 << 20)
            let text = String(buffer: body)
            switch STSResponse.interpret(status: Int(response.status.code), body: text) {
            case .final(let r): return Call(outcome: .final(stamp(r)))
            case .retrySignature(let r): return Call(outcome: .retrySignature(stamp(r)))
            case .retryLater(let r): return Call(outcome: .retryLater(stamp(r)))
            }
        } catch {
            var result = VerificationResult(verdict: .couldNotCheck, reason: Self.describe(error, timeout: options.timeout, endpoint: endpoint))
            result = stamp(result)
            // A timeout or a refused connection is not retried: the endpoint is slow or absent.
            return Call(outcome: .final(result))
        }
    }

    static func postURL(_ endpoint: URL) -> String {
        var text = endpoint.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        return text + "/"
    }

    /// One readable line for a failed call: a timeout, a refused connection, a name that does
    /// not resolve, a TLS failure; never the error value's dump (NIO's errors print as nested
    /// structures with every field).
    static func describe(_ error: Error, timeout: Double, endpoint: URL? = nil) -> String {
        let place = endpoint.map { url in (url.host ?? "?") + (url.port.map { ":\($0)" } ?? "") } ?? "the endpoint"
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return "timeout after \(Self.seconds(timeout))"
            case .remoteConnectionClosed: return "\(place) closed the connection"
            default: break
            }
        }
        let dump = "\(error)".lowercased()
        if dump.contains("timeout") || dump.contains("timedout") { return "timeout after \(Self.seconds(timeout))" }
        if let io = Self.ioError(in: error) {
            return "cannot connect to \(place): \(String(cString: strerror(io.errnoCode)).lowercased())"
        }
        let type = String(describing: Swift.type(of: error))
        if type.contains("NIOConnectionError") { return "cannot connect to \(place): the name does not resolve or no address answers" }
        if type.contains("SSL") || type.contains("TLS") { return "TLS handshake with \(place) failed" }
        return "network error talking to \(place) (\(type))"
    }

    /// The system call error inside an error (NIO wraps it in connection errors), if any.
    private static func ioError(in value: Any, depth: Int = 0) -> IOError? {
        if let io = value as? IOError { return io }
        guard depth < 4 else { return nil }
        for child in Mirror(reflecting: value).children {
            if let found = ioError(in: child.value, depth: depth + 1) { return found }
        }
        return nil
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    private func sleep(_ seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
