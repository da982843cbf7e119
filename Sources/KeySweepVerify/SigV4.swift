import Crypto
import Foundation
import KeySweep

/// AWS Signature Version 4, by hand, for one request shape: `POST /` with an empty query and a
/// body (STS GetCallerIdentity, IAM's Query API forms, CloudTrail's JSON 1.1 calls). See
/// docs/AWS.md for the recipe and its test vectors.
enum SigV4 {
    static let algorithm = "AWS4-HMAC-SHA256"
    static let getCallerIdentityBody = "Action=GetCallerIdentity&Version=2011-06-15"
    static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// The headers to send, `Authorization` included, in the order they were signed.
    struct SignedRequest: Sendable, Equatable {
        var headers: [(name: String, value: String)]
        var signature: String
        var body: String

        static func == (a: SignedRequest, b: SignedRequest) -> Bool {
            a.signature == b.signature && a.body == b.body
                && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
        }
    }

    /// Signs a GetCallerIdentity call.
    /// - Parameters:
    ///   - host: the `Host` header exactly as sent, port included when not the scheme's default.
    ///   - amzDate: `yyyyMMdd'T'HHmmss'Z'` (UTC).
    static func signGetCallerIdentity(keyID: String, secret: String, sessionToken: String?,
                                             host: String, amzDate: String, region: String = "us-east-1",
                                             service: String = "sts") -> SignedRequest {
        signPost(body: getCallerIdentityBody, keyID: keyID, secret: secret, sessionToken: sessionToken,
                 host: host, amzDate: amzDate, region: region, service: service)
    }

    /// Signs `POST /` with `body`; `target` is the `X-Amz-Target` of JSON protocols (signed too).
    static func signPost(body: String, contentType: String = SigV4.contentType, target: String? = nil,
                         keyID: String, secret: String, sessionToken: String?,
                         host: String, amzDate: String, region: String, service: String) -> SignedRequest {
        var signed: [(String, String)] = [("content-type", contentType), ("host", host), ("x-amz-date", amzDate)]
        if let sessionToken { signed.append(("x-amz-security-token", sessionToken)) }
        if let target { signed.append(("x-amz-target", target)) }
        signed.sort { $0.0 < $1.0 }
        let signedHeaders = signed.map(\.0).joined(separator: ";")
        let canonicalRequest = [
            "POST", "/", "",
            signed.map { "\($0.0):\($0.1.trimmingCharacters(in: .whitespaces))\n" }.joined(),
            signedHeaders,
            hexSHA256(Data(body.utf8)),
        ].joined(separator: "\n")
        let date = String(amzDate.prefix(8))
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let stringToSign = [algorithm, amzDate, scope, hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")
        let key = signingKey(secret: secret, date: date, region: region, service: service)
        let signature = hex(Data(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)))
        let authorization = "\(algorithm) Credential=\(keyID)/\(scope), SignedHeaders=\(signedHeaders), Signature=\(signature)"
        var headers: [(name: String, value: String)] = [
            ("Content-Type", contentType), ("Host", host), ("X-Amz-Date", amzDate),
        ]
        if let sessionToken { headers.append(("X-Amz-Security-Token", sessionToken)) }
        if let target { headers.append(("X-Amz-Target", target)) }
        headers.append(("Authorization", authorization))
        return SignedRequest(headers: headers, signature: signature, body: body)
    }

    /// HMAC chain: `"AWS4"+secret` → date → region → service → `aws4_request`.
    static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `yyyyMMdd'T'HHmmss'Z'` for a moment.
    static func amzDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func hexSHA256(_ data: Data) -> String { hex(Data(SHA256.hash(data: data))) }

    static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(data.count * 2)
        for byte in data { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 0xF)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
