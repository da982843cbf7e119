/// A test a candidate secret must pass, named in rule files (`checks = ["aws-key-id"]`).
/// Each check lives in its own file under `Checks/`.
protocol SecretCheck: Sendable {
    static var name: String { get }
    /// True when `secret` (the bytes of the secret group) can be a real secret.
    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool
}

/// The checks rule files may name.
enum SecretChecks {
    static let all: [any SecretCheck] = [
        AWSKeyIDCheck(),
        AWSSecretKeyCheck(),
        MixedCaseCheck(),
        NotHexCheck(),
        GitHubTokenChecksumCheck(),
        Base64CredentialCheck(),
        DiscordTokenCheck(),
        NotPathCheck(),
        NotIdentityCheck(),
        FewSlashesCheck(),
        Base64JSONCheck(),
        JWTClaimsCheck(),
        NotIdentifierCheck(),
        NotEncodedTextCheck(),
    ]

    static func named(_ name: String) -> (any SecretCheck)? {
        all.first { type(of: $0).name == name }
    }
}
