/// Random tokens over a mixed-case alphabet hold both cases; words, identifiers and constants
/// often do not.
struct MixedCaseCheck: SecretCheck {
    static let name = "mixed-case"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        var lower = false, upper = false
        for b in secret {
            if b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") { lower = true }
            if b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") { upper = true }
            if lower && upper { return true }
        }
        return false
    }
}
