import Foundation

/// A key pair to check with STS GetCallerIdentity.
struct STSCredential: Sendable, Hashable {
    var keyID: String
    var secret: String
    var sessionToken: String?

    init(keyID: String, secret: String, sessionToken: String? = nil) {
        self.keyID = keyID
        self.secret = secret
        self.sessionToken = sessionToken
    }
}

/// What STS said about one key pair, and when it was asked.
struct VerificationResult: Sendable, Encodable, Equatable {
    enum Verdict: String, Sendable, Encodable {
        /// 200: the pair works; Arn, Account and UserId are filled in.
        case live
        /// `SignatureDoesNotMatch` twice: the id exists and is active, this secret is wrong.
        case wrongSecret = "wrong-secret"
        /// `InvalidClientTokenId`: unknown or deleted id (or a temporary key with a wrong token).
        case unknownID = "unknown-id"
        /// `ExpiredToken`: a temporary key that has expired.
        case expired
        /// No verdict: clock skew, throttling, a server error, a timeout or the network.
        case couldNotCheck = "could-not-check"
        /// Deliberately not sent to STS (canary, placeholder, no secret).
        case notChecked = "not-checked"
    }

    var verdict: Verdict
    @JSONNullable var arn: String?
    @JSONNullable var account: String?
    @JSONNullable var userID: String?
    /// `user`, `root`, `assumed-role`, `federated-user` or `other`, from the Arn.
    @JSONNullable var principalType: String?
    /// The user name, the role name, or the federated user name.
    @JSONNullable var principalName: String?
    /// The role session name of an assumed role.
    @JSONNullable var sessionName: String?
    /// The error code STS answered (`SignatureDoesNotMatch`, `Throttling`, ...).
    @JSONNullable var code: String?
    /// Why there is no verdict, in a few words.
    @JSONNullable var reason: String?
    /// ISO 8601 UTC time of the (last) call, nil when not checked.
    @JSONNullable var checkedAt: String?
    @JSONNullable var endpoint: String?

    init(verdict: Verdict, reason: String? = nil) {
        self.verdict = verdict
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case verdict, arn, account, code, reason, endpoint
        case userID = "user_id"
        case principalType = "principal_type"
        case principalName = "principal_name"
        case sessionName = "session_name"
        case checkedAt = "checked_at"
    }

    /// Splits an Arn into principal type, name and session.
    mutating func parseArn() {
        guard let arn else { return }
        let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).dropFirst(5).first.map(String.init) ?? ""
        let parts = resource.split(separator: "/").map(String.init)
        switch parts.first {
        case "root": principalType = "root"
        case "user": principalType = "user"; principalName = parts.last
        case "assumed-role":
            principalType = "assumed-role"
            principalName = parts.count > 1 ? parts[1] : nil
            sessionName = parts.count > 2 ? parts[2...].joined(separator: "/") : nil
        case "federated-user": principalType = "federated-user"; principalName = parts.count > 1 ? parts[1] : nil
        default: principalType = "other"
        }
    }
}

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
