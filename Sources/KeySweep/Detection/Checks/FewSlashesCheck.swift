/// Rejects values with four or more slashes: paths and identifiers (`src/main/java/com/Foo`)
/// fit a base64 alphabet but have slashes between word-like parts; real keys hold at most a
/// few, spread randomly.
struct FewSlashesCheck: SecretCheck {
    static let name = "few-slashes"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        secret.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } < 4
    }
}
