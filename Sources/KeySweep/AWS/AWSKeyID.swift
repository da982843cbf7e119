/// What an AWS access key id says about itself, offline: its kind (from the prefix) and the
/// account it belongs to (decoded from characters 5 to 13; see docs/AWS.md).
struct AWSKeyID: Sendable, Equatable {
    enum KeyType: String, Sendable, Codable {
        case longTerm = "long-term"
        case temporary
        case bearer
        case context
        case unknown
    }

    let id: String
    let keyType: KeyType
    /// 12 digits, or nil for old-generation ids that encode no account.
    let account: String?

    init?(_ id: String) {
        let bytes = Array(id.utf8)
        guard bytes.count >= 20 else { return nil }
        self.id = id
        switch String(decoding: bytes[0..<4], as: UTF8.self) {
        case "AKIA": keyType = .longTerm
        case "ASIA": keyType = .temporary
        case "ABIA": keyType = .bearer
        case "ACCA": keyType = .context
        default: keyType = .unknown
        }
        account = AWSKeyID.account(bytes)
    }

    /// An id shortened by `--redact` (`AKIA…XY`, from a redacted JSON report): its kind still
    /// shows, its account does not.
    init?(redacted id: String) {
        guard id.contains("…"), id.utf8.count >= 7, id.utf8.prefix(4).allSatisfy({ (0x41...0x5A).contains($0) }) else { return nil }
        self.id = id
        keyType = AWSKeyID(String(id.prefix(4)) + String(repeating: "A", count: 16))?.keyType ?? .unknown
        account = nil
    }

    /// The account encoded in an id (access key, user id, role id, ...), or nil.
    static func account(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= 13 else { return nil }
        var value: UInt64 = 0
        for b in bytes[4..<13] {
            let digit: UInt64
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): digit = UInt64(b - UInt8(ascii: "A"))
            case UInt8(ascii: "2")...UInt8(ascii: "7"): digit = UInt64(b - UInt8(ascii: "2")) + 26
            default: return nil
            }
            value = value << 5 | digit
        }
        guard value >> 44 != 0 else { return nil }
        let account = (value >> 4) & ((1 << 40) - 1)
        let text = String(account)
        return String(repeating: "0", count: max(0, 12 - text.count)) + text
    }
}
