import Foundation

/// Whether a private key is encrypted with a passphrase, from its own text: a PEM block's
/// `Proc-Type: 4,ENCRYPTED` header or `BEGIN ENCRYPTED PRIVATE KEY` (PKCS #8), an OpenSSH key
/// or ssh.com (SSH2) key whose binary header names a cipher other than `none` (an SSH2 key says
/// `ENCRYPTED` in its armor either way), a PuTTY key's `Encryption:` line (when the text holds
/// it: the PuTTY rule's secret is the key's lines alone), an OpenPGP secret key packet whose S2K
/// usage octet is not 0. Such a key is of use only with its
/// passphrase: the remediation plan ranks it after credentials that act as they are.
enum PrivateKeyEncryption {
    /// True encrypted, false not, nil when the text is no private key this can read.
    static func isEncrypted(_ secret: String) -> Bool? {
        guard secret.contains("PRIVATE KEY") || secret.contains("PuTTY-User-Key-File") else { return nil }
        // A key embedded in JSON or a string literal: `\n` escapes for line breaks.
        let text = secret.replacingOccurrences(of: "\\r", with: "").replacingOccurrences(of: "\\n", with: "\n")
            .replacingOccurrences(of: "\r", with: "")
        if let body = armoredBody(text, begin: "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", end: "---- END SSH2") { return sshCom(body) }
        if text.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || text.contains("Proc-Type: 4,ENCRYPTED") { return true }
        if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Encryption:") }) {
            return line.dropFirst("Encryption:".count).trimmingCharacters(in: .whitespaces) != "none"
        }
        if let body = armoredBody(text, label: "OPENSSH PRIVATE KEY") { return openSSH(body) }
        if let body = armoredBody(text, label: "PGP PRIVATE KEY BLOCK") { return openPGP(body) }
        if text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")
            || text.contains("-----BEGIN DSA PRIVATE KEY-----") || text.contains("-----BEGIN PRIVATE KEY-----") { return false }
        return nil
    }

    /// The decoded bytes between `-----BEGIN label-----` and its END line: armor headers
    /// (`Key: value` lines) and an OpenPGP checksum line (`=abcd`) left out.
    private static func armoredBody(_ text: String, label: String) -> [UInt8]? {
        armoredBody(text, begin: "-----BEGIN \(label)-----", end: "-----END \(label)-----")
    }

    private static func armoredBody(_ text: String, begin: String, end: String) -> [UInt8]? {
        guard let start = text.range(of: begin) else { return nil }
        let rest = text[start.upperBound...]
        let stop = rest.range(of: end)?.lowerBound ?? rest.endIndex
        // Header lines hold a colon; a header continued with a backslash goes on to the next line.
        var continued = false
        var lines: [String] = []
        for line in rest[..<stop].split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let header = continued || line.contains(":")
            continued = header && line.hasSuffix("\\")
            if header || line.isEmpty || line.hasPrefix("=") || line.hasPrefix("\"") { continue }
            lines.append(line)
        }
        return Data(base64Encoded: lines.joined(), options: .ignoreUnknownCharacters).map { [UInt8]($0) }
    }

    /// `openssh-key-v1\0`, then the cipher name as a string (4-byte length).
    private static func openSSH(_ bytes: [UInt8]) -> Bool? {
        let magic = Array("openssh-key-v1\u{0}".utf8)
        guard bytes.count > magic.count + 4, Array(bytes[..<magic.count]) == magic else { return nil }
        var reader = Reader(bytes: bytes, at: magic.count)
        guard let length = reader.uint32(), let name = reader.take(Int(length)) else { return nil }
        return String(decoding: name, as: UTF8.self) != "none"
    }

    /// ssh.com's format: a magic number, the total length, the key type, then the cipher name.
    private static func sshCom(_ bytes: [UInt8]) -> Bool? {
        var reader = Reader(bytes: bytes, at: 0)
        guard reader.uint32() == 0x3f6f_f9eb, reader.uint32() != nil,
              let typeLength = reader.uint32(), reader.take(Int(typeLength)) != nil,
              let cipherLength = reader.uint32(), let cipher = reader.take(Int(cipherLength)) else { return nil }
        return String(decoding: cipher, as: UTF8.self) != "none"
    }

    /// The first packet, a secret key (tag 5): its public key material, then the S2K usage octet.
    private static func openPGP(_ bytes: [UInt8]) -> Bool? {
        var reader = Reader(bytes: bytes, at: 0)
        guard let header = reader.byte(), header & 0x80 != 0 else { return nil }
        let tag: UInt8
        if header & 0x40 != 0 {
            tag = header & 0x3F
            guard let first = reader.byte() else { return nil }
            if first >= 192 && first < 224 { _ = reader.byte() } else if first == 255 { _ = reader.take(4) }
        } else {
            tag = (header >> 2) & 0x0F
            switch header & 3 {
            case 0: _ = reader.take(1)
            case 1: _ = reader.take(2)
            case 2: _ = reader.take(4)
            default: break
            }
        }
        guard tag == 5, let version = reader.byte() else { return nil }
        switch version {
        case 3:
            guard reader.take(6) != nil, let algorithm = reader.byte(), reader.skipMaterial(algorithm) else { return nil }
        case 4:
            guard reader.take(4) != nil, let algorithm = reader.byte(), reader.skipMaterial(algorithm) else { return nil }
        case 5, 6:
            guard reader.take(4) != nil, reader.byte() != nil, let length = reader.uint32(), reader.take(Int(length)) != nil else { return nil }
        default:
            return nil
        }
        guard let usage = reader.byte() else { return nil }
        return usage != 0
    }

    private struct Reader {
        let bytes: [UInt8]
        var at: Int

        mutating func byte() -> UInt8? { take(1)?.first }

        mutating func take(_ n: Int) -> ArraySlice<UInt8>? {
            guard n >= 0, at + n <= bytes.count else { return nil }
            defer { at += n }
            return bytes[at..<at + n]
        }

        mutating func uint32() -> UInt32? {
            take(4).map { $0.reduce(0) { $0 << 8 | UInt32($1) } }
        }

        /// An OpenPGP MPI: a 2-byte bit count, then the bytes.
        mutating func mpi() -> Bool {
            guard let bits = take(2) else { return false }
            let count = (Int(bits.first!) << 8 | Int(bits.last!)) + 7
            return take(count / 8) != nil
        }

        /// A curve OID: one length octet, then the OID.
        mutating func oid() -> Bool {
            guard let length = byte() else { return false }
            return take(Int(length)) != nil
        }

        /// The public key material of a v3/v4 key of `algorithm` (RFC 9580, 5.5.5).
        mutating func skipMaterial(_ algorithm: UInt8) -> Bool {
            switch algorithm {
            case 1, 2, 3: return mpi() && mpi()
            case 16: return mpi() && mpi() && mpi()
            case 17: return mpi() && mpi() && mpi() && mpi()
            case 19, 22: return oid() && mpi()
            case 18: return oid() && mpi() && oid()
            case 25: return take(32) != nil
            case 26: return take(56) != nil
            case 27: return take(32) != nil
            case 28: return take(57) != nil
            default: return false
            }
        }
    }
}
