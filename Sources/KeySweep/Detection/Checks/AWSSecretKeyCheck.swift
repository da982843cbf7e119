/// An AWS secret access key: 40 characters of `A-Za-z0-9+/` with both letter cases.
/// Lower-case hex of that length is a SHA-1 (commit ids, checksums), never a secret.
struct AWSSecretKeyCheck: SecretCheck {
    static let name = "aws-secret-key"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard secret.count == 40 else { return false }
        return MixedCaseCheck().accepts(secret) && NotHexCheck().accepts(secret)
    }
}
