/// Rejects strings made only of hex digits: hashes and ids, not base64 secrets.
struct NotHexCheck: SecretCheck {
    static let name = "not-hex"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        secret.contains { b in
            !((b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) ||
              (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) ||
              (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F")))
        }
    }
}
