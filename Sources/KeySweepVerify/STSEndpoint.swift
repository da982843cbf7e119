import Foundation
import KeySweep

/// Where GetCallerIdentity goes: `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, then the
/// `--sts-endpoint` flag overrides both; default the global endpoint.
public enum STSEndpoint {
    static let global = "https://sts.amazonaws.com"

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    static func resolve(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        let (text, source): (String, String)
        if let flag { (text, source) = (flag, "--sts-endpoint") }
        else if let value = environment["AWS_ENDPOINT_URL_STS"], !value.isEmpty { (text, source) = (value, "AWS_ENDPOINT_URL_STS") }
        else if let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty { (text, source) = (value, "AWS_ENDPOINT_URL") }
        else { (text, source) = (global, "default") }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, url.query == nil, url.user == nil, url.path.isEmpty || url.path == "/"
        else { throw Invalid(description: "\(source) '\(text)' is not an http(s) endpoint URL (scheme://host[:port])") }
        return url
    }

    /// The `Host` header for an endpoint, port included when it is not the scheme's default.
    static func hostHeader(_ url: URL) -> String {
        let host = url.host ?? ""
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let defaultPort = url.scheme?.lowercased() == "https" ? 443 : 80
        if let port = url.port, port != defaultPort { return "\(bracketed):\(port)" }
        return bracketed
    }
}

/// Reads an STS answer: the first `<Code>` anywhere for errors (real STS and moto wrap errors
/// differently), `<Arn>`, `<Account>`, `<UserId>` for success.
enum STSResponse {
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
              let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else { return nil }
        return unescape(String(xml[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// What one answer means; nil verdict means "try again" is worth it (throttling, 5xx).
    enum Outcome {
        case final(VerificationResult)
        case retrySignature(VerificationResult)
        case retryLater(VerificationResult)
    }

    static func interpret(status: Int, body: String) -> Outcome {
        if status == 200, let arn = element("Arn", in: body) {
            var result = VerificationResult(verdict: .live)
            result.arn = arn
            result.account = element("Account", in: body)
            result.userID = element("UserId", in: body)
            result.parseArn()
            return .final(result)
        }
        let code = element("Code", in: body)
        let message = element("Message", in: body) ?? ""
        var result = VerificationResult(verdict: .couldNotCheck)
        result.code = code
        switch code {
        case "SignatureDoesNotMatch" where message.hasPrefix("Signature expired"):
            result.reason = "clock skew: \(message)"
            return .final(result)
        case "SignatureDoesNotMatch":
            result.verdict = .wrongSecret
            return .retrySignature(result)
        case "InvalidClientTokenId":
            result.verdict = .unknownID
            result.reason = "STS does not know the key id"
            return .final(result)
        case "ExpiredToken":
            result.verdict = .expired
            return .final(result)
        case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException", "SlowDown":
            result.reason = "throttled (\(code!))"
            return .retryLater(result)
        default:
            if status == 429 {
                result.reason = "throttled (HTTP 429)"
                return .retryLater(result)
            }
            if status >= 500 {
                result.reason = "server error (HTTP \(status)\(code.map { ", \($0)" } ?? ""))"
                return .retryLater(result)
            }
            if status == 200 {
                result.reason = "unexpected answer (HTTP 200 without an Arn)"
            } else {
                result.reason = "unexpected answer (HTTP \(status)\(code.map { ", \($0)" } ?? ""))"
            }
            return .final(result)
        }
    }
}
