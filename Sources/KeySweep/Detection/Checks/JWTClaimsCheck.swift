/// A JSON Web Token's header and claims are base64url of JSON objects, and the header names its
/// algorithm: a dotted run of base64 that merely starts `eyJ` fails.
struct JWTClaimsCheck: SecretCheck {
    static let name = "jwt-claims"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool {
        let parts = secret.split(separator: UInt8(ascii: "."), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, Base64JSONCheck.decodesToObject(parts[0]), Base64JSONCheck.decodesToObject(parts[1]),
              let header = Base64.decode(parts[0]) else { return false }
        return String(decoding: header, as: UTF8.self).contains("\"alg\"")
    }
}
