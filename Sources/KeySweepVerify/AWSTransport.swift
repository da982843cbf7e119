import AsyncHTTPClient
import Foundation
import KeySweep
import NIOCore
import NIOHTTP1

/// Signed `POST /` calls to AWS with the audit credentials: one HTTP client, no redirects, no
/// proxy, a deadline per call, answers capped, a few retries with back-off on throttling and
/// server errors. Calls block their thread on NIO's futures (the reader protocols are
/// synchronous); nothing waits on Swift's cooperative pool, so callers on it cannot starve it.
final class AWSTransport: Sendable {
    /// Why a call gave no answer: AWS's error code (`AccessDenied`), or a network failure.
    struct Failure: Error, Equatable {
        /// AWS's code, or `HTTP <status>` when the answer named none; nil for a network failure.
        var code: String?
        /// One line: the code, or what went wrong on the way.
        var detail: String
        var denied: Bool { code.map(AWSTransport.deniedCodes.contains) ?? false }
    }

    static let deniedCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess", "NotAuthorized",
    ]
    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown",
        "RequestThrottled", "RequestThrottledException",
    ]
    /// IAM's whole account runs to megabytes; more than this is not an answer.
    static let maxAnswerBytes = 16 << 20

    let credentials: AWSAuditCredentials
    let timeout: Double
    let retries: Int
    let backoff: Double
    private let client: HTTPClient

    init(credentials: AWSAuditCredentials, timeout: Double, retries: Int = 3, backoff: Double = 0.5) {
        self.credentials = credentials
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(timeout * 1000)), read: .milliseconds(Int64(timeout * 1000)))
        configuration.proxy = nil
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Non-blocking, so releasing the last reference is safe on any thread.
    deinit { client.shutdown { _ in } }

    /// Posts `body` to `endpoint` signed for `service` in `region`; the answer's bytes on 2xx.
    func post(_ endpoint: URL, body: String, contentType: String = SigV4.contentType, target: String? = nil,
              region: String, service: String) -> Result<Data, Failure> {
        var attempt = 0
        while true {
            let (result, retry) = once(endpoint, body: body, contentType: contentType, target: target, region: region, service: service)
            guard retry, attempt < retries else { return result }
            Thread.sleep(forTimeInterval: backoff * pow(2, Double(attempt)) * Double.random(in: 0.8...1.2))
            attempt += 1
        }
    }

    private func once(_ endpoint: URL, body: String, contentType: String, target: String?,
                      region: String, service: String) -> (Result<Data, Failure>, retry: Bool) {
        let signed = SigV4.signPost(body: body, contentType: contentType, target: target,
                                    keyID: credentials.keyID, secret: credentials.secret, sessionToken: credentials.sessionToken,
                                    host: STSEndpoint.hostHeader(endpoint), amzDate: SigV4.amzDate(Date()),
                                    region: region, service: service)
        var headers = HTTPHeaders()
        for header in signed.headers { headers.add(name: header.name, value: header.value) }
        headers.add(name: "User-Agent", value: "keysweep/\(KeySweepVersion.current)")
        let response: HTTPClient.Response
        do {
            let request = try HTTPClient.Request(url: STSVerifier.postURL(endpoint), method: .POST, headers: headers, body: .string(signed.body))
            let delegate = ResponseAccumulator(request: request, maxBodySize: Self.maxAnswerBytes)
            response = try client.execute(request: request, delegate: delegate,
                                          deadline: .now() + .milliseconds(Int64(timeout * 1000))).wait()
        } catch let error as ResponseAccumulator.ResponseTooBigError {
            return (.failure(Failure(code: nil, detail: "the answer is larger than \(error.maxBodySize >> 20) MiB")), false)
        } catch {
            // A timeout or a refused connection is not retried: the endpoint is slow or absent.
            return (.failure(Failure(code: nil, detail: STSVerifier.describe(error, timeout: timeout, endpoint: endpoint))), false)
        }
        let status = Int(response.status.code)
        let data = response.body.map { Data($0.readableBytesView) } ?? Data()
        if (200..<300).contains(status) { return (.success(data), false) }
        let code = Self.errorCode(data) ?? "HTTP \(status)"
        let retry = Self.throttlingCodes.contains(code) || status == 429 || status >= 500
        return (.failure(Failure(code: code, detail: code)), retry)
    }

    /// The error code of an answer: the first `<Code>` of XML (IAM and moto wrap it differently),
    /// or JSON's `__type` (`…#AccessDeniedException` → `AccessDeniedException`).
    static func errorCode(_ data: Data) -> String? {
        if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            guard let type = (object["__type"] ?? object["code"]) as? String else { return nil }
            return type.split(separator: "#").last.map(String.init) ?? type
        }
        return (try? AWSXML.parse(data))?.value("Code")
    }

    /// RFC 3986 form encoding: only unreserved characters stay as they are.
    static func form(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
        return fields.map { key, value in
            "\(key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
    }
}
