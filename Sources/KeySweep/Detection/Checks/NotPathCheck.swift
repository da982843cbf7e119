/// Rejects values that are file paths or URLs (`/etc/ssl/key.pem`, `~/.ssh/id_rsa`,
/// `C:\keys\app.pfx`, `https://...`): config keys named `private_key` or `token_file` often hold
/// where the secret is, not the secret.
struct NotPathCheck: SecretCheck {
    static let name = "not-path"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = secret.first else { return false }
        if first == UInt8(ascii: "/"), Self.isBase64Token(secret) { return true }
        if first == UInt8(ascii: "/") || first == UInt8(ascii: "~") || first == UInt8(ascii: ".") { return false }
        if secret.count > 2 && secret[1] == UInt8(ascii: ":") && secret[2] == UInt8(ascii: "\\") { return false }
        // scheme://
        if let colon = secret.firstIndex(of: UInt8(ascii: ":")), colon + 2 < secret.count,
           secret[colon + 1] == UInt8(ascii: "/"), secret[colon + 2] == UInt8(ascii: "/") { return false }
        // a file name at the end: ".pem", ".key", ".json", ...
        let lower = String(decoding: secret.suffix(6), as: UTF8.self).lowercased()
        for ext in [".pem", ".key", ".crt", ".p12", ".pfx", ".json", ".txt", ".yml", ".yaml", ".env", ".jks"]
            where lower.hasSuffix(ext) { return false }
        return true
    }

    /// Base64 that happens to start with `/`: one long segment of mixed case and digits, no
    /// further `/` or `.` (a path has segments and names).
    static func isBase64Token(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        guard secret.count >= 20, !secret.dropFirst().contains(UInt8(ascii: "/")), !secret.contains(UInt8(ascii: ".")) else { return false }
        let upper = secret.contains { $0 >= 0x41 && $0 <= 0x5A }, lower = secret.contains { $0 >= 0x61 && $0 <= 0x7A }
        return upper && lower && secret.contains { $0 >= 0x30 && $0 <= 0x39 }
    }
}
