import Foundation

/// Tokens that are base64 of a JSON object after a short prefix (1Password service accounts
/// `ops_eyJ...`, Grafana's legacy API keys `eyJrIjoi...`): the part from `eyJ` must decode to a
/// JSON object. A random or truncated run of base64 after the same prefix fails.
struct Base64JSONCheck: SecretCheck {
    static let name = "base64-json"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = Base64JSONCheck.objectStart(secret) else { return false }
        return Base64JSONCheck.decodesToObject(secret[start...])
    }

    /// Where `eyJ` (base64 of `{"`) starts within the first 16 bytes.
    static func objectStart(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let limit = min(bytes.count - 3, 16)
        guard limit >= 0 else { return nil }
        for i in 0...limit where bytes[i] == UInt8(ascii: "e") && bytes[i + 1] == UInt8(ascii: "y") && bytes[i + 2] == UInt8(ascii: "J") {
            return i
        }
        return nil
    }

    /// True when `text` is base64 (either alphabet, padding optional) of a JSON object.
    static func decodesToObject(_ text: some Collection<UInt8>) -> Bool {
        guard let decoded = Base64.decode(text), decoded.first == UInt8(ascii: "{"),
              let object = try? JSONSerialization.jsonObject(with: Data(decoded)) else { return false }
        return object is [String: Any]
    }
}
