/// An AWS access key id: 4-letter prefix, then 16 characters of the base32 alphabet `A-Z2-7`.
/// Real ids never hold 0, 1, 8 or 9, so an id with one is made up.
struct AWSKeyIDCheck: SecretCheck {
    static let name = "aws-key-id"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard secret.count == 20 else { return false }
        for b in secret.dropFirst(4) {
            let upper = b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z")
            let digit = b >= UInt8(ascii: "2") && b <= UInt8(ascii: "7")
            if !upper && !digit { return false }
        }
        return true
    }
}
