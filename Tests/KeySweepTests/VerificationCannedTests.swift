import Foundation
import Testing

/// `--verify` against a canned local STS responder, for what moto cannot do: expired tokens,
/// throttling, clock skew, server errors, a hanging server; plus retries, canaries and the
/// endpoint order. Every run is a full `keysweep scan REPO --verify --remediation plan.json`.
@Suite struct VerificationCannedTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        func next(_ key: String) -> Int { lock.withLock { counts[key, default: 0] += 1; return counts[key]! } }
    }

    static func token() -> String {
        "FwoGZXIvYXdz" + String((0..<320).map { _ in FakeAWS.secretAlphabet.randomElement()! })
    }

    static func scan(_ repo: GitRepo, _ extra: [String], environment: [String: String] = [:]) throws -> (ProcessResult, Plan) {
        let out = TempDirectory("keysweep-plan")
        let planPath = out.file("plan.json")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "AWS_ENDPOINT_URL_STS")
        env.removeValue(forKey: "AWS_ENDPOINT_URL")
        for (k, v) in environment { env[k] = v }
        let result = try Run.process(Keysweep.binary, ["scan", repo.path, "--format", "json", "--remediation", planPath]
                                     + (try FakeAWS.sessionTokenPatterns()) + extra, environment: env)
        guard result.status == 1 else { throw TestFailure("status \(result.status): \(result.stderr)") }
        return (result, try Plan.load(planPath))
    }

    @Test func cannedVerdicts() throws {
        let live = FakeAWS.keyID(), root = FakeAWS.keyID(), retried = FakeAWS.keyID(), wrong = FakeAWS.keyID()
        let throttled = FakeAWS.keyID(), skewed = FakeAWS.keyID(), broken = FakeAWS.keyID(), hanging = FakeAWS.keyID()
        let expired = FakeAWS.keyID(prefix: "ASIA")
        let canary = "AKIASP2TPHJSQH3FJRUX"
        let counter = Counter()
        let server = try CannedSTS { id in
            guard let id else { return CannedSTS.error(400, code: "MissingAuthenticationToken", message: "no auth") }
            switch id {
            case live: return CannedSTS.ok(arn: "arn:aws:iam::111122223333:user/alice", account: "111122223333", userID: "AIDAEXAMPLEUSERID")
            case root: return CannedSTS.ok(arn: "arn:aws:iam::111122223333:root", account: "111122223333", userID: "111122223333")
            case retried:
                return counter.next(id) == 1
                    ? CannedSTS.error(403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided.")
                    : CannedSTS.ok(arn: "arn:aws:iam::111122223333:user/bob", account: "111122223333", userID: "AIDABOB")
            case wrong: return CannedSTS.error(403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match the signature you provided.")
            case throttled: return CannedSTS.error(400, code: "Throttling", message: "Rate exceeded")
            case skewed: return CannedSTS.error(403, code: "SignatureDoesNotMatch", message: "Signature expired: 20150830T123600Z is now earlier than 20260101T000000Z (20260101T000500Z - 5 min.)")
            case broken: return .respond(status: 503, body: "<html>Service Unavailable</html>")
            case hanging: return .hang
            case expired: return CannedSTS.error(403, code: "ExpiredToken", message: "The security token included in the request is expired")
            default: return CannedSTS.error(403, code: "InvalidClientTokenId", message: "The security token included in the request is invalid.")
            }
        }
        defer { server.stop() }

        let repo = try GitRepo()
        var files: [String: String] = [:]
        for (name, id) in [("live", live), ("root", root), ("retried", retried), ("wrong", wrong), ("throttled", throttled),
                           ("skewed", skewed), ("broken", broken), ("hanging", hanging), ("canary", canary)] {
            files["\(name)/credentials"] = FakeAWS.credentials(id, FakeAWS.secret())
        }
        files["expired/credentials"] = FakeAWS.credentials(expired, FakeAWS.secret(), token: Self.token())
        try repo.commit("keys", files)

        let start = Date()
        let (_, plan) = try Self.scan(repo, ["--verify", "--sts-endpoint", server.url, "--verify-timeout", "1"])
        let elapsed = Date().timeIntervalSince(start)
        #expect(plan.verified)
        #expect(plan.sts_endpoint?.hasPrefix(server.url) == true)

        func verification(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Plan.Verification {
            let row = try #require(plan.row(id), "no row for \(id)", sourceLocation: sourceLocation)
            return try #require(row.verification, "no verification for \(id)", sourceLocation: sourceLocation)
        }
        let liveV = try verification(live)
        #expect(liveV.verdict == "live")
        #expect(liveV.arn == "arn:aws:iam::111122223333:user/alice")
        #expect(liveV.account == "111122223333")
        #expect(liveV.principal_type == "user" && liveV.principal_name == "alice")
        #expect(liveV.checked_at != nil)
        #expect(plan.row(live)?.urgency == "live")
        #expect(plan.row(live)?.commands.contains("aws iam update-access-key --user-name alice --access-key-id \(live) --status Inactive") == true)

        #expect(try verification(root).principal_type == "root")
        #expect(plan.row(root)?.type == "root user key")
        #expect(plan.row(root)?.commands.contains("aws iam delete-access-key --access-key-id \(root)") == true)
        #expect(!(plan.row(root)?.commands.contains { $0.contains("create-access-key") } ?? true))

        #expect(try verification(retried).verdict == "live", "one retry after SignatureDoesNotMatch")
        #expect(server.requests(for: retried).count == 2)
        #expect(try verification(wrong).verdict == "wrong-secret")
        #expect(server.requests(for: wrong).count == 2, "exactly one retry")

        let throttledV = try verification(throttled)
        #expect(throttledV.verdict == "could-not-check")
        #expect(throttledV.reason?.contains("throttled") == true)
        #expect(server.requests(for: throttled).count == 3, "backs off and retries twice")

        let skewedV = try verification(skewed)
        #expect(skewedV.verdict == "could-not-check")
        #expect(skewedV.reason?.hasPrefix("clock skew") == true)
        #expect(server.requests(for: skewed).count == 1)

        let brokenV = try verification(broken)
        #expect(brokenV.verdict == "could-not-check")
        #expect(brokenV.reason?.contains("503") == true)

        let hangingV = try verification(hanging)
        #expect(hangingV.verdict == "could-not-check")
        #expect(hangingV.reason?.contains("timeout") == true)
        #expect(elapsed < 30, "the timeout fired (\(elapsed) s)")

        let expiredRow = try #require(plan.row(expired))
        #expect(expiredRow.leaked == "id + secret + token")
        #expect(expiredRow.verification?.verdict == "expired")
        #expect(expiredRow.urgency == "no longer valid")
        let tokenHeader = try #require(server.requests(for: expired).first?.head.lowercased())
        #expect(tokenHeader.contains("x-amz-security-token: fwogzxivyxdz"))
        #expect(tokenHeader.contains("signedheaders=content-type;host;x-amz-date;x-amz-security-token"))

        #expect(server.requests(for: canary).isEmpty, "a canary is never sent to STS")
        let canaryRow = try #require(plan.row(canary))
        #expect(canaryRow.canary)
        #expect(canaryRow.verification?.verdict == "not-checked")
        #expect(canaryRow.rank == plan.rows.filter { !$0.placeholder }.count, "canaries last")

        // No request carried a secret key.
        for request in server.requests {
            #expect(!request.head.contains("aws_secret_access_key") && !request.body.contains("Secret"))
            #expect(request.body == "Action=GetCallerIdentity&Version=2011-06-15")
        }
    }

    @Test func noNetworkWithoutVerifyAndEndpointOrder() throws {
        let id = FakeAWS.keyID()
        let server = try CannedSTS { _ in CannedSTS.ok(arn: "arn:aws:iam::111122223333:user/carol", account: "111122223333", userID: "AIDACAROL") }
        defer { server.stop() }
        let repo = try GitRepo()
        try repo.commit("key", ["credentials": FakeAWS.credentials(id, FakeAWS.secret())])

        // Without --verify: no call, even with the endpoint variables set.
        let (_, quiet) = try Self.scan(repo, [], environment: ["AWS_ENDPOINT_URL_STS": server.url, "AWS_ENDPOINT_URL": server.url])
        #expect(server.requests.isEmpty)
        #expect(!quiet.verified)
        #expect(quiet.row(id)?.verification == nil)

        // AWS_ENDPOINT_URL_STS wins over AWS_ENDPOINT_URL.
        let dead = "http://127.0.0.1:\(try MotoServer.freePort())"
        let (_, fromEnv) = try Self.scan(repo, ["--verify"], environment: ["AWS_ENDPOINT_URL_STS": server.url, "AWS_ENDPOINT_URL": dead])
        #expect(fromEnv.row(id)?.verification?.verdict == "live")
        #expect(server.requests.count == 1)

        // AWS_ENDPOINT_URL alone is used.
        let (_, fromGeneral) = try Self.scan(repo, ["--verify"], environment: ["AWS_ENDPOINT_URL": server.url])
        #expect(fromGeneral.row(id)?.verification?.verdict == "live")
        #expect(server.requests.count == 2)

        // --sts-endpoint overrides both.
        let (_, fromFlag) = try Self.scan(repo, ["--verify", "--sts-endpoint", server.url],
                                          environment: ["AWS_ENDPOINT_URL_STS": dead, "AWS_ENDPOINT_URL": dead])
        #expect(fromFlag.row(id)?.verification?.verdict == "live")
        #expect(server.requests.count == 3)

        // A refused connection is "could not check", not a verdict.
        let (_, refused) = try Self.scan(repo, ["--verify", "--sts-endpoint", dead])
        #expect(refused.row(id)?.verification?.verdict == "could-not-check")
    }
}
