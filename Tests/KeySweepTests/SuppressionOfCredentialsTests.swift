import Foundation
import Testing

/// `keysweep ignore` of a credential: its id takes the parts paired with it.
@Suite struct SuppressionOfCredentialsTests {
    /// Ignoring a credential's id ignores its secret too, and says so; a part alone still can be.
    @Test func ignoringAKeyIDTakesItsSecret() throws {
        let repo = try GitRepo()
        let id = FakeAWS.keyID(), secret = FakeAWS.secret()
        try repo.commit("keys", ["config/credentials": FakeAWS.credentials(id, secret)])
        let (_, report) = try Keysweep.scanJSON([repo.path])
        let idFinding = try #require(report.finding(secret: id)?.id)
        let secretFinding = try #require(report.finding(secret: secret)?.id)

        let ignore = try Keysweep.run(["ignore", idFinding, repo.path, "--reason", "rotated 2026-12-07"])
        #expect(ignore.status == 0, "\(ignore.stderr)")
        #expect(ignore.stderr.contains("also ignored: the AWS secret access key \(secretFinding) paired with it"), "\(ignore.stderr)")
        try repo.commit("acknowledge", [:])
        let (clean, cleanReport) = try Keysweep.scanJSON([repo.path])
        #expect(clean.status == 0)
        #expect(cleanReport.findings.isEmpty, "\(cleanReport.findings.map(\.rule))")
        // The same credential staged in another file: the pre-commit check passes.
        repo.write("deploy/credentials", FakeAWS.credentials(id, secret))
        _ = try repo.git(["add", "deploy/credentials"])
        #expect(try Keysweep.run(["scan", repo.path, "--staged"]).status == 0)

        // The secret alone: only the secret.
        let other = try GitRepo()
        let otherID = FakeAWS.keyID(), otherSecret = FakeAWS.secret()
        try other.commit("keys", ["credentials": FakeAWS.credentials(otherID, otherSecret)])
        let part = try #require(try Keysweep.scanJSON([other.path]).1.finding(secret: otherSecret)?.id)
        let alone = try Keysweep.run(["ignore", part, other.path, "--reason", "test"])
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(!alone.stderr.contains("also ignored"))
        try other.commit("acknowledge", [:])
        #expect(try Keysweep.scanJSON([other.path]).1.findings.map(\.secret) == [otherID])
    }
}
