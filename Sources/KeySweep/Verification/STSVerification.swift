import Foundation

/// A key pair to check with STS GetCallerIdentity.
package struct STSCredential: Sendable, Hashable {
    package var keyID: String
    package var secret: String
    package var sessionToken: String?

    package init(keyID: String, secret: String, sessionToken: String? = nil) {
        self.keyID = keyID
        self.secret = secret
        self.sessionToken = sessionToken
    }
}

/// What STS said about one key pair, and when it was asked.
package struct VerificationResult: Sendable, Codable, Equatable {
    package enum Verdict: String, Sendable, Codable {
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

    package var verdict: Verdict
    @JSONNullable package var arn: String?
    @JSONNullable package var account: String?
    @JSONNullable package var userID: String?
    /// `user`, `root`, `assumed-role`, `federated-user` or `other`, from the Arn.
    @JSONNullable package var principalType: String?
    /// The user name, the role name, or the federated user name.
    @JSONNullable package var principalName: String?
    /// The role session name of an assumed role.
    @JSONNullable package var sessionName: String?
    /// The error code STS answered (`SignatureDoesNotMatch`, `Throttling`, ...).
    @JSONNullable package var code: String?
    /// Why there is no verdict, in a few words.
    @JSONNullable package var reason: String?
    /// ISO 8601 UTC time of the (last) call, nil when not checked.
    @JSONNullable package var checkedAt: String?
    @JSONNullable package var endpoint: String?
    /// For an id whose secret the scan left in doubt: how many candidate secrets were sent
    /// (one call each); absent otherwise.
    package var candidatesTried: Int? = nil

    package init(verdict: Verdict, reason: String? = nil) {
        self.verdict = verdict
        self.reason = reason
    }

    /// What the verdict means for whoever reads a report: `live` (the credential works),
    /// `revoked` (deleted or expired), `invalid` (the id is real, the leaked secret is not its
    /// secret) or `unverified` (not checked, or no answer).
    package var state: String {
        switch verdict {
        case .live: return "live"
        case .unknownID, .expired: return "revoked"
        case .wrongSecret: return "invalid"
        case .couldNotCheck, .notChecked: return "unverified"
        }
    }

    enum CodingKeys: String, CodingKey {
        case verdict, state, arn, account, code, reason, endpoint
        case userID = "user_id"
        case principalType = "principal_type"
        case principalName = "principal_name"
        case sessionName = "session_name"
        case checkedAt = "checked_at"
        case candidatesTried = "candidates_tried"
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(verdict, forKey: .verdict)
        try c.encode(state, forKey: .state)
        try c.encode(_arn, forKey: .arn)
        try c.encode(_account, forKey: .account)
        try c.encode(_userID, forKey: .userID)
        try c.encode(_principalType, forKey: .principalType)
        try c.encode(_principalName, forKey: .principalName)
        try c.encode(_sessionName, forKey: .sessionName)
        try c.encode(_code, forKey: .code)
        try c.encode(_reason, forKey: .reason)
        try c.encode(_checkedAt, forKey: .checkedAt)
        try c.encode(_endpoint, forKey: .endpoint)
        try c.encodeIfPresent(candidatesTried, forKey: .candidatesTried)
    }

    /// Read back from a JSON report or plan (`state` is derived, not read).
    package init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        arn = try c.decodeIfPresent(String.self, forKey: .arn)
        account = try c.decodeIfPresent(String.self, forKey: .account)
        userID = try c.decodeIfPresent(String.self, forKey: .userID)
        principalType = try c.decodeIfPresent(String.self, forKey: .principalType)
        principalName = try c.decodeIfPresent(String.self, forKey: .principalName)
        sessionName = try c.decodeIfPresent(String.self, forKey: .sessionName)
        code = try c.decodeIfPresent(String.self, forKey: .code)
        reason = try c.decodeIfPresent(String.self, forKey: .reason)
        checkedAt = try c.decodeIfPresent(String.self, forKey: .checkedAt)
        endpoint = try c.decodeIfPresent(String.self, forKey: .endpoint)
        candidatesTried = try c.decodeIfPresent(Int.self, forKey: .candidatesTried)
    }

    /// Splits an Arn into principal type, name and session.
    package mutating func parseArn() {
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

/// Asks AWS who owns each key pair (`--verify`). The plan calls it; the `KeySweepVerify` target
/// implements it (`STSVerifier`: STS GetCallerIdentity over HTTP), so the core links no HTTP client.
package protocol CredentialVerifier: Sendable {
    /// Where the calls go, as the plan names it.
    var endpoint: URL { get }
    /// Checks each credential; the results are in the same order. Blocks until all are answered.
    func verify(_ credentials: [STSCredential]) -> [VerificationResult]
}

/// Times in the plan and the verification results: ISO 8601, UTC, whole seconds.
package enum VerificationClock {
    package static func iso8601(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
