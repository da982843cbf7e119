import Crypto
import Foundation

/// Stable digests used as identifiers (finding ids, rule-set versions). Never reversible to a secret.
enum Fingerprint {
    static func sha256Hex(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes` (a table lookup: `String(format:)` per byte cost seconds per
    /// million findings).
    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The id of a finding: a digest of the rule and the secret, short enough to type.
    static func findingID(rule: String, secret: String) -> String {
        String(sha256Hex("keysweep-finding\u{0}\(rule)\u{0}\(secret)").prefix(16))
    }
}
