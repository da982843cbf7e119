import Foundation
import Testing
@testable import KeySweep
@testable import KeySweepVerify

/// SigV4 by hand: the two vectors of docs/AWS.md, and how STS answers are read.
@Suite struct SigV4Tests {
    static let id = "AKIDEXAMPLE"
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

    @Test func getCallerIdentityVector() {
        let signed = SigV4.signGetCallerIdentity(keyID: Self.id, secret: Self.secret, sessionToken: nil,
                                                 host: "sts.amazonaws.com", amzDate: "20150830T123600Z")
        #expect(signed.signature == "6fb20d31f734d876c5682fdd2678d194cf68b862755f83b7ba1373c0874be25c")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=6fb20d31f734d876c5682fdd2678d194cf68b862755f83b7ba1373c0874be25c")
        #expect(signed.body == "Action=GetCallerIdentity&Version=2011-06-15")
        #expect(!signed.headers.contains { $0.value.contains(Self.secret) })
    }

    @Test func getCallerIdentityVectorWithSessionToken() {
        let signed = SigV4.signGetCallerIdentity(keyID: Self.id, secret: Self.secret, sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN",
                                                 host: "sts.amazonaws.com", amzDate: "20150830T123600Z")
        #expect(signed.signature == "8f6741566c3c2a351748d017975ea5ebcc01a186fee4fe9dc392859bfc1f750b")
        let authorization = signed.headers.first { $0.name == "Authorization" }?.value ?? ""
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"))
        #expect(signed.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "FQoGZXIvYXdzEXAMPLETOKEN" })
    }

    @Test func hostHeaderKeepsANonDefaultPort() throws {
        #expect(STSEndpoint.hostHeader(URL(string: "http://127.0.0.1:50555")!) == "127.0.0.1:50555")
        #expect(STSEndpoint.hostHeader(URL(string: "https://sts.amazonaws.com")!) == "sts.amazonaws.com")
        #expect(STSEndpoint.hostHeader(URL(string: "https://sts.amazonaws.com:443/")!) == "sts.amazonaws.com")
    }

    @Test func endpointOrder() throws {
        let env = ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1", "AWS_ENDPOINT_URL": "http://127.0.0.1:2"]
        #expect(try STSEndpoint.resolve(flag: nil, environment: env).absoluteString == "http://127.0.0.1:1")
        #expect(try STSEndpoint.resolve(flag: nil, environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:2"]).absoluteString == "http://127.0.0.1:2")
        #expect(try STSEndpoint.resolve(flag: "http://127.0.0.1:3", environment: env).absoluteString == "http://127.0.0.1:3")
        #expect(try STSEndpoint.resolve(flag: nil, environment: [:]).absoluteString == "https://sts.amazonaws.com")
        #expect(throws: STSEndpoint.Invalid.self) { try STSEndpoint.resolve(flag: "ftp://x", environment: [:]) }
        #expect(throws: STSEndpoint.Invalid.self) { try STSEndpoint.resolve(flag: "http://x/path?q=1", environment: [:]) }
    }

    @Test func firstCodeAnywhereInTheErrorXML() {
        let real = "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>x</Message></Error></ErrorResponse>"
        let moto = "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>y</Message></Error></Errors></ErrorResponse>"
        guard case .final(let unknown) = STSResponse.interpret(status: 403, body: real) else { Issue.record("not final"); return }
        #expect(unknown.verdict == .unknownID)
        guard case .retrySignature(let wrong) = STSResponse.interpret(status: 403, body: moto) else { Issue.record("no retry"); return }
        #expect(wrong.verdict == .wrongSecret)
        let skew = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z</Message></Error></ErrorResponse>"
        guard case .final(let skewed) = STSResponse.interpret(status: 403, body: skew) else { Issue.record("skew retried"); return }
        #expect(skewed.verdict == .couldNotCheck)
        #expect(skewed.reason?.hasPrefix("clock skew") == true)
    }

    @Test func arnKinds() {
        func parse(_ arn: String) -> VerificationResult { var r = VerificationResult(verdict: .live); r.arn = arn; r.parseArn(); return r }
        #expect(parse("arn:aws:iam::123456789012:user/alice").principalType == "user")
        #expect(parse("arn:aws:iam::123456789012:user/alice").principalName == "alice")
        #expect(parse("arn:aws:iam::123456789012:root").principalType == "root")
        let role = parse("arn:aws:sts::123456789012:assumed-role/deploy/ci-session")
        #expect(role.principalType == "assumed-role" && role.principalName == "deploy" && role.sessionName == "ci-session")
        #expect(parse("arn:aws:sts::123456789012:federated-user/bob").principalType == "federated-user")
    }
}
