import Foundation
import Testing

/// The encoded form of a decoded secret is an occurrence of that secret (with its decoding),
/// never a finding of its own.
@Suite struct EncodedFormTests {
    private func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    @Test func aKubernetesSecretsBase64ValueIsTheDecodedKeyNotASecondSecret() throws {
        let repo = try GitRepo()
        let commit = try repo.commit("k8s", ["k8s/aws.yaml": """
            apiVersion: v1
            kind: Secret
            metadata:
              name: aws
            type: Opaque
            data:
              AWS_ACCESS_KEY_ID: \(b64(Secrets.keyID))
              AWS_SECRET_ACCESS_KEY: \(b64(Secrets.secretKey))
              DATABASE_PASSWORD: \(b64("n0t-a-key-but-Str0ng-passw0rd!"))

            """])
        let (_, report) = try Keysweep.scanJSON([repo.path, "--include-placeholders"])
        let id = try #require(report.finding(secret: Secrets.keyID))
        #expect(id.first.commit == commit)
        #expect(id.first.line == 7)
        #expect(id.occurrences.map(\.decoding) == ["base64"])
        let secret = try #require(report.finding(secret: Secrets.secretKey))
        #expect(secret.occurrences.map(\.decoding) == ["base64"])
        #expect(id.aws?.paired_secret == secret.id)
        // Neither encoded value is a finding of its own, at any confidence.
        for encoded in [b64(Secrets.keyID), b64(Secrets.secretKey)] {
            #expect(!report.findings.contains { $0.secret.contains(encoded) || encoded.contains($0.secret) && $0.secret.count > 20 },
                    "\(report.findings.map { "\($0.rule) \($0.secret)" })")
        }
    }

    @Test func theEncodedFormOnStandardInputToo() throws {
        let text = "AWS_ACCESS_KEY_ID: \(b64(Secrets.keyID))\n"
        let (_, report) = try Keysweep.scanJSON(["-"], stdin: Data(text.utf8))
        #expect(report.findings.map(\.secret) == [Secrets.keyID], "\(report.findings.map { "\($0.rule) \($0.secret)" })")
        #expect(report.findings.first?.occurrences.first?.decoding == "base64")
    }
}
