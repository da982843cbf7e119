import Crypto
import Foundation

/// The SSH fingerprint of a leaked private key (`SHA256:` and the unpadded base64 of the SHA-256
/// of its public key blob: what `ssh-keygen -l` and GitHub's SSH keys page show), worked out in
/// Swift from the key itself: no program is run. An OpenSSH key carries its public half in the
/// clear (also when it is encrypted); a PEM or PKCS#8 RSA, DSA, ECDSA or Ed25519 key gives it
/// from its numbers (ECDSA and Ed25519 derive it from the private scalar when absent).
enum SSHKeyFingerprint {
    struct Key: Equatable {
        /// `SHA256:…`
        var fingerprint: String
        /// `RSA`, `ED25519`, `ECDSA`, `DSA`: as ssh-keygen names it.
        var type: String
        var bits: Int
    }

    enum Answer: Equatable {
        case known(Key)
        /// Why not: one clause (`the key is encrypted with a passphrase`).
        case unknown(String)
    }

    /// The text a key file holds: a key found inside JSON or a string literal (`\n` escapes, no
    /// line break) with its line breaks back, a kubeconfig's `client-key-data` (the base64 of a
    /// PEM block) decoded, CRLF as LF, ending with a line break.
    static func keyFileText(_ secret: String) -> String {
        var text = secret
        if text.hasPrefix("LS0tLS1CRUdJTi"), let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters),
           let pem = String(data: data, encoding: .utf8), pem.hasPrefix("-----BEGIN ") {
            text = pem
        }
        if !text.utf8.contains(10) && !text.utf8.contains(13) && text.contains("\\n") {
            text = text.replacingOccurrences(of: "\\r\\n", with: "\n").replacingOccurrences(of: "\\n", with: "\n")
        }
        text = text.replacingOccurrences(of: "\r\n", with: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    static func of(privateKey secret: String) -> Answer {
        let text = keyFileText(secret)
        guard let begin = text.range(of: "-----BEGIN "), let close = text.range(of: "-----", range: begin.upperBound..<text.endIndex) else {
            return .unknown("it is not a PEM or OpenSSH key (keysweep reads those)")
        }
        let label = String(text[begin.upperBound..<close.lowerBound])
        guard let end = text.range(of: "-----END \(label)-----", range: close.upperBound..<text.endIndex) else {
            return .unknown("its END line is missing")
        }
        let body = text[close.upperBound..<end.lowerBound].split(separator: "\n")
        if body.contains(where: { $0.hasPrefix("Proc-Type:") && $0.contains("ENCRYPTED") }) {
            return .unknown("the key is encrypted with a passphrase (its public half is inside)")
        }
        let base64 = body.filter { !$0.contains(":") }.joined()
        guard let der = Data(base64Encoded: base64, options: .ignoreUnknownCharacters).map(Array.init), !der.isEmpty else {
            return .unknown("its body is not base64")
        }
        let blob: [UInt8]?
        switch label {
        case "OPENSSH PRIVATE KEY": blob = openSSHPublicBlob(der)
        case "RSA PRIVATE KEY": blob = rsaBlob(pkcs1: der)
        case "DSA PRIVATE KEY": blob = dsaBlob(der)
        case "EC PRIVATE KEY": blob = ecBlob(sec1: der, curve: nil)
        case "PRIVATE KEY": blob = pkcs8Blob(der)
        case "ENCRYPTED PRIVATE KEY": return .unknown("the key is encrypted with a passphrase (PKCS#8)")
        default: return .unknown("a \(label) is not an SSH key keysweep reads")
        }
        guard let blob, let key = describe(blob) else { return .unknown("its \(label) structure is damaged or of a kind keysweep does not read") }
        return .known(key)
    }

    /// Fingerprint, type and size of a public key blob.
    static func describe(_ blob: [UInt8]) -> Key? {
        var reader = SSHReader(blob)
        guard let name = reader.string().map({ String(decoding: $0, as: UTF8.self) }) else { return nil }
        let digest = Data(SHA256.hash(data: blob)).base64EncodedString().replacingOccurrences(of: "=", with: "")
        let type: String, bits: Int
        switch name {
        case "ssh-rsa":
            _ = reader.string()
            guard let n = reader.string() else { return nil }
            type = "RSA"; bits = Self.bits(n)
        case "ssh-dss":
            guard let p = reader.string() else { return nil }
            type = "DSA"; bits = Self.bits(p)
        case "ssh-ed25519": type = "ED25519"; bits = 256
        case let name where name.hasPrefix("ecdsa-sha2-nistp"):
            type = "ECDSA"; bits = Int(name.dropFirst(16)) ?? 0
        default: type = name.uppercased(); bits = 0
        }
        return Key(fingerprint: "SHA256:" + digest, type: type, bits: bits)
    }

    private static func bits(_ integer: [UInt8]) -> Int {
        guard let first = integer.firstIndex(where: { $0 != 0 }) else { return 0 }
        return (integer.count - first) * 8 - integer[first].leadingZeroBitCount
    }

    // MARK: OpenSSH

    /// `openssh-key-v1\0`, cipher, kdf, kdf options, the number of keys, then the first public
    /// key blob: in the clear whatever the cipher.
    static func openSSHPublicBlob(_ data: [UInt8]) -> [UInt8]? {
        let magic = Array("openssh-key-v1\u{0}".utf8)
        guard data.starts(with: magic) else { return nil }
        var reader = SSHReader(Array(data.dropFirst(magic.count)))
        guard reader.string() != nil, reader.string() != nil, reader.string() != nil,
              let count = reader.uint32(), count >= 1 else { return nil }
        return reader.string()
    }

    // MARK: PEM and PKCS#8 (DER)

    /// PKCS#1 RSAPrivateKey: version, n, e, …
    static func rsaBlob(pkcs1 der: [UInt8]) -> [UInt8]? {
        guard let fields = DER.sequence(der), fields.count >= 3, fields[1].tag == 0x02, fields[2].tag == 0x02 else { return nil }
        return SSHWriter.blob(["ssh-rsa".utf8.map { $0 }, fields[2].content, fields[1].content])
    }

    /// OpenSSL's DSA private key: version, p, q, g, y, x.
    static func dsaBlob(_ der: [UInt8]) -> [UInt8]? {
        guard let fields = DER.sequence(der), fields.count >= 5, fields[1...4].allSatisfy({ $0.tag == 0x02 }) else { return nil }
        return SSHWriter.blob(["ssh-dss".utf8.map { $0 }] + fields[1...4].map(\.content))
    }

    /// The named curves SSH knows, by their DER object identifier.
    static let curves: [[UInt8]: String] = [
        [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: "nistp256",
        [0x2B, 0x81, 0x04, 0x00, 0x22]: "nistp384",
        [0x2B, 0x81, 0x04, 0x00, 0x23]: "nistp521",
    ]

    /// SEC1 ECPrivateKey: version, the private scalar, [0] the curve, [1] the public point.
    static func ecBlob(sec1 der: [UInt8], curve given: [UInt8]?) -> [UInt8]? {
        guard let fields = DER.sequence(der), fields.count >= 2, fields[1].tag == 0x04 else { return nil }
        var curveID = given
        var point: [UInt8]?
        for field in fields.dropFirst(2) {
            if field.tag == 0xA0, let oid = DER.read(field.content).first, oid.tag == 0x06 { curveID = oid.content }
            if field.tag == 0xA1, let bits = DER.read(field.content).first, bits.tag == 0x03, bits.content.count > 1 {
                point = Array(bits.content.dropFirst())   // the unused-bits byte
            }
        }
        guard let curveID, let curve = curves[curveID] else { return nil }
        if point == nil {
            let scalar = Data(fields[1].content)
            switch curve {
            case "nistp256": point = (try? P256.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
            case "nistp384": point = (try? P384.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
            default: point = (try? P521.Signing.PrivateKey(rawRepresentation: scalar)).map { Array($0.publicKey.x963Representation) }
            }
        }
        guard let point else { return nil }
        return SSHWriter.blob([Array("ecdsa-sha2-\(curve)".utf8), Array(curve.utf8), point])
    }

    /// PKCS#8 PrivateKeyInfo: version, the algorithm (and its parameters), the key.
    static func pkcs8Blob(_ der: [UInt8]) -> [UInt8]? {
        guard let fields = DER.sequence(der), fields.count >= 3, fields[1].tag == 0x30, fields[2].tag == 0x04 else { return nil }
        let algorithm = DER.read(fields[1].content)
        guard let oid = algorithm.first, oid.tag == 0x06 else { return nil }
        let key = fields[2].content
        switch oid.content {
        case [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]:   // rsaEncryption
            return rsaBlob(pkcs1: key)
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]:   // id-ecPublicKey, the curve as parameter
            let curve = algorithm.dropFirst().first.flatMap { $0.tag == 0x06 ? $0.content : nil }
            return ecBlob(sec1: key, curve: curve)
        case [0x2B, 0x65, 0x70]:   // Ed25519: the key is an OCTET STRING of the 32-byte seed
            guard let seed = DER.read(key).first, seed.tag == 0x04, seed.content.count == 32,
                  let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed.content) else { return nil }
            return SSHWriter.blob([Array("ssh-ed25519".utf8), Array(privateKey.publicKey.rawRepresentation)])
        default:
            return nil
        }
    }
}

/// The few DER forms a private key file uses: tag, definite length, content.
enum DER {
    struct Element { var tag: UInt8; var content: [UInt8] }

    /// The elements of `bytes` in order, as far as they parse.
    static func read(_ bytes: [UInt8]) -> [Element] {
        var out: [Element] = []
        var index = 0
        while index + 2 <= bytes.count {
            let tag = bytes[index]
            var length = Int(bytes[index + 1])
            index += 2
            if length & 0x80 != 0 {
                let count = length & 0x7F
                guard count >= 1, count <= 4, index + count <= bytes.count else { return out }
                length = bytes[index..<index + count].reduce(0) { $0 << 8 | Int($1) }
                index += count
            }
            guard length >= 0, index + length <= bytes.count else { return out }
            out.append(Element(tag: tag, content: Array(bytes[index..<index + length])))
            index += length
        }
        return out
    }

    /// The elements of the SEQUENCE `bytes` is.
    static func sequence(_ bytes: [UInt8]) -> [Element]? {
        guard let outer = read(bytes).first, outer.tag == 0x30 else { return nil }
        return read(outer.content)
    }
}

/// SSH wire strings (RFC 4251): a 32-bit big-endian length, then the bytes.
struct SSHReader {
    private let bytes: [UInt8]
    private var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func uint32() -> Int? {
        guard index + 4 <= bytes.count else { return nil }
        let value = bytes[index..<index + 4].reduce(0) { $0 << 8 | Int($1) }
        index += 4
        return value
    }

    mutating func string() -> [UInt8]? {
        guard let length = uint32(), index + length <= bytes.count else { return nil }
        defer { index += length }
        return Array(bytes[index..<index + length])
    }
}

enum SSHWriter {
    /// A public key blob of strings (a DER INTEGER's content is already an SSH mpint: big-endian,
    /// minimal, a leading zero byte before a set high bit).
    static func blob(_ strings: [[UInt8]]) -> [UInt8] {
        var out: [UInt8] = []
        for string in strings {
            let n = UInt32(string.count)
            out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            out += string
        }
        return out
    }
}
