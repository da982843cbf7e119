/// GitHub's current tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`) and npm's (`npm_`, the same format) end in 6 base62 characters
/// holding the CRC-32 of the 30 random characters before them, so a typo'd or invented token
/// fails the check.
struct GitHubTokenChecksumCheck: SecretCheck {
    static let name = "github-checksum"

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        // prefix (4) + 30 random + 6 checksum
        guard secret.count == 40 else { return false }
        let body = secret[4..<34]
        var crc = CRC32.checksum(body)
        var encoded = [UInt8](repeating: Self.alphabet[0], count: 6)
        for i in stride(from: 5, through: 0, by: -1) {
            encoded[i] = Self.alphabet[Int(crc % 62)]
            crc /= 62
        }
        return Array(secret[34..<40]) == encoded
    }
}

/// CRC-32 (IEEE 802.3), as zlib computes it.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for b in bytes { crc = table[Int((crc ^ UInt32(b)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
