import Foundation
import Testing

/// `--verify` against a real moto server with authentication switched on: a live user key, the
/// same id with a wrong secret, an unknown id, and a temporary key from `sts assume-role`, each
/// verdict read from a full `keysweep scan REPO --verify --remediation plan.json` run.
@Suite struct VerificationMotoTests {
    struct Keys: Decodable {
        var user_id: String; var user_secret: String
        var temp_id: String; var temp_secret: String; var temp_token: String
    }

    @Test func motoVerdicts() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        // Create a user with a key and a role to assume (auth still off), then switch auth on.
        let output = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        iam.create_user(UserName="leaky")
        key = iam.create_access_key(UserName="leaky")["AccessKey"]
        trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
        role = iam.create_role(RoleName="deployer", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
        creds = boto3.client("sts").assume_role(RoleArn=role["Arn"], RoleSessionName="ci-run")["Credentials"]
        print(json.dumps({"user_id": key["AccessKeyId"], "user_secret": key["SecretAccessKey"],
                          "temp_id": creds["AccessKeyId"], "temp_secret": creds["SecretAccessKey"], "temp_token": creds["SessionToken"]}))
        """)
        let keys = try JSONDecoder().decode(Keys.self, from: Data(output.utf8))
        try moto.enableAuthentication()

        let unknown = FakeAWS.keyID()
        let repo = try GitRepo()
        try repo.commit("live key", ["live/credentials": FakeAWS.credentials(keys.user_id, keys.user_secret)])
        try repo.commit("copy", ["deploy/.env": "AWS_ACCESS_KEY_ID=\(keys.user_id)\nAWS_SECRET_ACCESS_KEY=\(keys.user_secret)\n"])
        try repo.commit("unknown key", ["unknown/credentials": FakeAWS.credentials(unknown, FakeAWS.secret())])
        try repo.commit("temporary key", ["temp/credentials": FakeAWS.credentials(keys.temp_id, keys.temp_secret, token: keys.temp_token)])

        let (result, plan) = try VerificationCannedTests.scan(repo, ["--verify", "--sts-endpoint", moto.url])
        #expect(result.stderr.isEmpty || !result.stderr.contains("error"), "\(result.stderr)")

        // One row per distinct key id: the user key id appears once, with whichever secret was paired.
        let userRows = plan.rows.filter { $0.key == keys.user_id }
        #expect(userRows.count == 1)
        let user = try #require(userRows.first)
        #expect(user.account == "123456789012")
        #expect(user.exposure.paths.contains("live/credentials"))
        #expect(user.exposure.paths.contains("deploy/.env"))

        let temp = try #require(plan.row(keys.temp_id))
        #expect(temp.leaked == "id + secret + token")
        #expect(temp.verification?.verdict == "live")
        #expect(temp.verification?.principal_type == "assumed-role")
        #expect(temp.verification?.principal_name == "deployer")
        #expect(temp.verification?.session_name == "ci-run")
        #expect(temp.commands.contains { $0.hasPrefix("aws iam put-role-policy --role-name deployer --policy-name AWSRevokeOlderSessions") })
        #expect(!temp.commands.contains { $0.contains("delete-access-key") })

        let unknownRow = try #require(plan.row(unknown))
        #expect(unknownRow.verification?.verdict == "unknown-id")
        #expect(unknownRow.verification?.code == "InvalidClientTokenId")

        #expect(user.verification?.verdict == "live")
        #expect(user.verification?.arn == "arn:aws:iam::123456789012:user/leaky")
        #expect(user.verification?.principal_name == "leaky")
        #expect(user.urgency == "live")
        #expect(user.commands.contains("aws iam update-access-key --user-name leaky --access-key-id \(keys.user_id) --status Inactive"))
        #expect(user.commands.contains("aws iam delete-access-key --user-name leaky --access-key-id \(keys.user_id)"))
        #expect(plan.rows.first?.urgency == "live")

        // The same id with only a wrong secret: SignatureDoesNotMatch, so "secret wrong, id real".
        let wrongRepo = try GitRepo()
        try wrongRepo.commit("wrong secret", ["credentials": FakeAWS.credentials(keys.user_id, FakeAWS.secret())])
        let (_, wrongPlan) = try VerificationCannedTests.scan(wrongRepo, ["--verify", "--sts-endpoint", moto.url])
        let wrong = try #require(wrongPlan.row(keys.user_id))
        #expect(wrong.verification?.verdict == "wrong-secret")
        #expect(wrong.verification?.code == "SignatureDoesNotMatch")
        #expect(wrong.urgency == "key id only")
    }

    /// Where the text leaves a secret in doubt (`pairing: ambiguous`), `--verify` tries each
    /// candidate for the id, one STS call each (counted), and the one STS accepts is the id's.
    @Test func verifySettlesAnAmbiguousPairing() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let output = try moto.python("""
        import boto3, json
        iam = boto3.client("iam")
        out = {}
        for name in ["alpha", "beta", "gamma"]:
            iam.create_user(UserName=name)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            out[name] = [key["AccessKeyId"], key["SecretAccessKey"]]
        print(json.dumps(out))
        """)
        let keys = try JSONDecoder().decode([String: [String]].self, from: Data(output.utf8))
        try moto.enableAuthentication()
        let (alpha, beta, gamma) = (keys["alpha"]!, keys["beta"]!, keys["gamma"]!)
        let decoy = FakeAWS.secret()
        let repo = try GitRepo()
        try repo.commit("doubts", [
            // Two ids and one secret on one line: both ids are ambiguous with beta's secret.
            "rotation.log": "rotated \(alpha[0]) to \(beta[0]) secret \(beta[1])\n",
            // One id a line away from two secrets.
            "notes.txt": "old: \(decoy)\nkey \(gamma[0])\nnew: \(gamma[1])\n",
        ])
        // Without --verify: the doubt is in the plan, no call made.
        let (_, quiet) = try VerificationCannedTests.scan(repo, [])
        #expect(quiet.row(gamma[0])?.secret_finding == nil)
        #expect(quiet.row(gamma[0])?.secret_candidates?.count == 2)

        let (_, plan) = try VerificationCannedTests.scan(repo, ["--verify", "--sts-endpoint", moto.url])
        let b = try #require(plan.row(beta[0]))
        #expect(b.verification?.verdict == "live")
        #expect(b.verification?.candidates_tried == 1)
        #expect(b.leaked == "id + secret")
        #expect(b.secret_finding != nil)
        let a = try #require(plan.row(alpha[0]))
        #expect(a.verification?.verdict == "wrong-secret")
        #expect(a.verification?.candidates_tried == 1)
        #expect(a.secret_finding == nil)
        let g = try #require(plan.row(gamma[0]))
        #expect(g.verification?.verdict == "live")
        #expect(g.verification?.candidates_tried == 2)
        #expect(g.secret_finding != nil && g.leaked == "id + secret")
        // The settled secrets are their credentials' rows, not rows of their own; the decoy is one.
        #expect(!plan.rows.contains { $0.key == beta[1] || $0.key == gamma[1] })
    }
}
