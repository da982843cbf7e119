/// A base64 value that decodes to `user:password` (Docker `auth`, `.npmrc` `_auth`, HTTP Basic):
/// printable ASCII with a non-empty name and password around the first colon. Random base64
/// and encoded prose fail it.
struct Base64CredentialCheck: SecretCheck {
    static let name = "base64-credential"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let decoded = CheckBase64.decode(secret), decoded.count >= 3 else { return false }
        guard decoded.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        guard let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return colon > 0 && colon < decoded.count - 1
    }
}

/// Standard and URL-safe base64, padding optional; nil for anything else.
enum CheckBase64 {
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = Int8(i)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            if c == UInt8(ascii: "=") { padding += 1; continue }
            guard padding == 0 else { return nil }
            let v = values[Int(c)]
            guard v >= 0 else { return nil }
            buffer = buffer << 6 | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        guard padding <= 2, bits < 6 else { return nil }
        return out
    }
}
