/// Rejects values that name someone rather than authenticate them: e-mail addresses and
/// `user@localhost` (`password = "apache@localhost"` in a test script), and bot accounts
/// (`github-actions[bot]`). A password such as `P@ssw0rd!` still passes: its part after `@`
/// is neither `localhost` nor a dotted domain.
struct NotIdentityCheck: SecretCheck {
    static let name = "not-identity"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        !Self.isBotAccount(secret) && !Self.isEmailAddress(secret)
    }

    static func isBotAccount(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        value.count > 5 && value.suffix(5).elementsEqual("[bot]".utf8)
    }

    static func isEmailAddress(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = value.firstIndex(of: UInt8(ascii: "@")), at > 0, at + 1 < value.count else { return false }
        let local = value[..<at], domain = value[(at + 1)...]
        guard local.allSatisfy({ isWordByte($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "%") }),
              domain.allSatisfy({ isWordByte($0) }) else { return false }
        if domain.elementsEqual("localhost".utf8) { return true }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty } && labels.last!.allSatisfy(isLetter)
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        isLetter(b) || (b >= 0x30 && b <= 0x39) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-") || b == UInt8(ascii: "_")
    }

    private static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
}
