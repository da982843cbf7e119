/// Rejects base64 that decodes to prose (`VGhpcyBpcyBub3Qg...`, "This is not ..."): printable
/// text with spaces between words. A base64-encoded password or key decodes to one word or to
/// bytes that are not text, and passes.
struct NotEncodedTextCheck: SecretCheck {
    static let name = "not-encoded-text"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard secret.count >= 16, let decoded = Base64.decode(secret), decoded.count >= 12,
              decoded.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) else { return true }
        return decoded.filter { $0 == 0x20 }.count < 2
    }
}
