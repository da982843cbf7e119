import Crypto
import Foundation

/// Stable digests used as identifiers (finding ids, rule-set versions). Never reversible to a secret.
enum Fingerprint {
    static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The id of a finding: a digest of the rule and the secret, short enough to type.
    static func findingID(rule: String, secret: String) -> String {
        String(sha256Hex("keysweep-finding\u{0}\(rule)\u{0}\(secret)").prefix(16))
    }
}
