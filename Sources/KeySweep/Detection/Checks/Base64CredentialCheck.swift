/// A base64 value that decodes to `user:password` (Docker `auth`, `.npmrc` `_auth`, HTTP Basic):
/// printable ASCII with a non-empty name and password around the first colon. Random base64
/// and encoded prose fail it.
struct Base64CredentialCheck: SecretCheck {
    static let name = "base64-credential"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let decoded = Base64.decode(secret), decoded.count >= 3 else { return false }
        guard decoded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        guard let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return colon > 0 && colon < decoded.count - 1
    }
}
