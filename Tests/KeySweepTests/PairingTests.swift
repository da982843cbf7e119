import Foundation
import Testing

/// Pairing that is always right: one secret never pairs with two ids; order and structure
/// (same line, INI section, JSON object, CSV row, `old -> new`) decide before distance; a real
/// doubt is reported as `ambiguous` with the candidates. Each shape is a file of a real repository.
@Suite struct PairingTests {
    /// Key id → the value of its paired secret ("" when none), and → its candidates when ambiguous.
    struct Pairs {
        var secret: [String: String] = [:]
        var token: [String: String] = [:]
        var how: [String: String] = [:]
        var candidates: [String: Set<String>] = [:]
    }

    static func pairs(_ repo: GitRepo) throws -> (Pairs, Data) {
        let result = try Keysweep.run(["scan", repo.path, "--format", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any])
        let findings = json["findings"] as? [[String: Any]] ?? []
        let valueOf = Dictionary(findings.map { ($0["id"] as! String, $0["secret"] as! String) }, uniquingKeysWith: { a, _ in a })
        var pairs = Pairs()
        for finding in findings where finding["rule"] as? String == "aws-access-key-id" {
            let id = finding["secret"] as! String
            let pairing = finding["pairing"] as? [String: Any]
            let parts = pairing?["parts"] as? [String: String] ?? [:]
            pairs.secret[id] = parts["secret"].flatMap { valueOf[$0] } ?? ""
            pairs.token[id] = parts["token"].flatMap { valueOf[$0] } ?? ""
            pairs.how[id] = pairing?["how"] as? String
            if let candidates = (pairing?["candidates"] as? [String: [String]])?["secret"] {
                pairs.candidates[id] = Set(candidates.compactMap { valueOf[$0] })
            }
        }
        return (pairs, result.stdoutData)
    }

    @Test func terraformPlanOldAndNewPairInOrder() throws {
        var keys = AWSCorpus(seed: 151)
        let oldID = keys.keyID(), newID = keys.keyID(), oldSecret = keys.secretKey(), newSecret = keys.secretKey()
        let repo = try GitRepo()
        try repo.commit("plan", ["plan.txt": """
            Terraform will perform the following actions:

              # aws_iam_access_key.deploy must be replaced
            -/+ resource "aws_iam_access_key" "deploy" {
                  ~ id                   = "\(oldID)" -> "\(newID)"
                  ~ secret               = "\(oldSecret)" -> "\(newSecret)"
                    user                 = "deploy"
                }

            Plan: 1 to add, 0 to change, 1 to destroy.

            """,
            // The same two lines with nothing around them.
            "bare.txt": "\"\(oldID)\" -> \"\(newID)\"\n\"\(oldSecret)\" -> \"\(newSecret)\"\n"])
        let (pairs, _) = try Self.pairs(repo)
        #expect(pairs.secret[oldID] == oldSecret)
        #expect(pairs.secret[newID] == newSecret)
    }

    @Test func aPastedDebugSessionDoesNotLendOneKeysSecretToAnother() throws {
        var keys = AWSCorpus(seed: 152)
        let temporary = keys.keyID("ASIA"), token = keys.sessionToken()
        let longTerm = keys.keyID(), secret = keys.secretKey()
        let repo = try GitRepo()
        try repo.commit("paste", ["debug-session.txt": """
            $ aws s3 ls --debug
            2024-05-01 12:00:00,101 - MainThread - botocore.credentials - DEBUG - Looking for credentials via: env
            2024-05-01 12:00:00,102 - MainThread - botocore.credentials - INFO - Found credentials in environment variables.
            2024-05-01 12:00:00,140 - MainThread - botocore.auth - DEBUG - Calculating signature using v4 auth.
            2024-05-01 12:00:00,141 - MainThread - botocore.endpoint - DEBUG - Sending http request: <AWSPreparedRequest stream_output=False, method=GET, url=https://s3.amazonaws.com/, headers={'X-Amz-Security-Token': b'\(token)', 'Authorization': b'AWS4-HMAC-SHA256 Credential=\(temporary)/20240501/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7'}>
            2024-05-01 12:00:00,380 - MainThread - botocore.parsers - DEBUG - Response headers: {'x-amz-request-id': 'TX234'}
            An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied
            $ unset AWS_SESSION_TOKEN
            $ exit
            $ ssh build-host
            Last login: Wed May  1 11:58:02 2024
            build-host$ env | sort
            HOME=/home/ci
            AWS_ACCESS_KEY_ID=\(longTerm)
            AWS_SECRET_ACCESS_KEY=\(secret)
            PATH=/usr/local/bin:/usr/bin:/bin

            """])
        let (pairs, _) = try Self.pairs(repo)
        #expect(pairs.secret[longTerm] == secret)
        #expect(pairs.secret[temporary] == "", "the ASIA id must not take the AKIA key's secret")
        #expect(pairs.token[temporary] == token)

        // The plan: the temporary key is not complete.
        let saved = TempDirectory("keysweep-paste")
        let scan = try Keysweep.run(["scan", repo.path, "--remediation", saved.file("plan.json")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let plan = try Plan.load(saved.file("plan.json"))
        #expect(plan.row(temporary)?.complete == false)
        #expect(plan.row(temporary)?.leaked == "id + token")
        #expect(plan.row(longTerm)?.leaked == "id + secret")
    }

    @Test func structuredFilesWithSeveralKeysPairOneToOne() throws {
        var keys = AWSCorpus(seed: 153)
        var id: [String] = [], secret: [String] = []
        for _ in 0..<14 { id.append(keys.keyID()); secret.append(keys.secretKey()) }
        let repo = try GitRepo()
        try repo.commit("shapes", [
            // IAM console CSV with several users.
            "iam/users.csv": """
                User name,Password,Access key ID,Secret access key,Console login link
                alice,,\(id[0]),\(secret[0]),https://123456789012.signin.aws.amazon.com/console
                bob,,\(id[1]),\(secret[1]),https://123456789012.signin.aws.amazon.com/console
                carol,,\(id[2]),\(secret[2]),https://123456789012.signin.aws.amazon.com/console

                """,
            // An INI file with several profiles, in odd orders, one with an id only.
            "aws/credentials": """
                [default]
                aws_secret_access_key = \(secret[3])
                aws_access_key_id = \(id[3])

                [staging]
                region = eu-west-1
                aws_access_key_id = \(id[4])

                [prod]
                aws_access_key_id = \(id[5])
                output = json
                aws_secret_access_key = \(secret[5])

                """,
            // A JSON array of `aws iam create-access-key` outputs, keys in varying order.
            "keys.json": """
                [
                  {
                    "AccessKey": {
                      "UserName": "deploy",
                      "AccessKeyId": "\(id[6])",
                      "Status": "Active",
                      "SecretAccessKey": "\(secret[6])",
                      "CreateDate": "2024-05-01T12:00:00+00:00"
                    }
                  },
                  {
                    "AccessKey": {
                      "SecretAccessKey": "\(secret[7])",
                      "UserName": "backup",
                      "Status": "Active",
                      "AccessKeyId": "\(id[7])",
                      "CreateDate": "2024-05-01T12:00:01+00:00"
                    }
                  },
                  {
                    "AccessKey": {
                      "UserName": "reports",
                      "AccessKeyId": "\(id[8])",
                      "SecretAccessKey": "\(secret[8])"
                    }
                  }
                ]

                """,
            // Interleaved without structure: ids first, then their secrets in the same order.
            "env/interleaved.env": """
                PRIMARY_AWS_ACCESS_KEY_ID=\(id[9])
                REPLICA_AWS_ACCESS_KEY_ID=\(id[10])
                PRIMARY_AWS_SECRET_ACCESS_KEY=\(secret[9])
                REPLICA_AWS_SECRET_ACCESS_KEY=\(secret[10])

                """,
            // Compact JSON on one line, secret before id in one object.
            "env/compact.json": "{\"a\":{\"SecretAccessKey\":\"\(secret[11])\",\"AccessKeyId\":\"\(id[11])\"},\"b\":{\"AccessKeyId\":\"\(id[12])\",\"SecretAccessKey\":\"\(secret[12])\"}}\n",
        ])
        let (pairs, _) = try Self.pairs(repo)
        for k in [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12] {
            #expect(pairs.secret[id[k]] == secret[k], "id \(k) paired with \(pairs.secret[id[k]] ?? "nil")")
        }
        #expect(pairs.secret[id[4]] == "", "a profile with no secret takes none of its neighbours'")
        // No secret is paired with two ids.
        let taken = pairs.secret.values.filter { !$0.isEmpty }
        #expect(taken.count == Set(taken).count)
    }

    @Test func aRealDoubtIsReportedAsAmbiguousWithTheCandidates() throws {
        var keys = AWSCorpus(seed: 154)
        let a = keys.keyID(), b = keys.keyID(), s = keys.secretKey()
        let c = keys.keyID(), s1 = keys.secretKey(), s2 = keys.secretKey()
        let repo = try GitRepo()
        try repo.commit("doubt", [
            // Two ids and one secret, all on one line: whose is it?
            "rotation.log": "rotated \(a) to \(b) secret \(s)\n",
            // One id between two secrets, a line away each.
            "notes.txt": "old: \(s1)\nkey \(c)\nnew: \(s2)\n",
        ])
        let (pairs, data) = try Self.pairs(repo)
        let text = String(decoding: data, as: UTF8.self)
        for id in [a, b] {
            #expect(pairs.secret[id] == "", "\(text)")
            #expect(pairs.how[id] == "ambiguous")
            #expect(pairs.candidates[id] == [s])
        }
        #expect(pairs.secret[c] == "")
        #expect(pairs.how[c] == "ambiguous")
        #expect(pairs.candidates[c] == [s1, s2])
    }

    /// A 40-character token beside a key id whose secret is named is not a second secret: a
    /// value found only because an id is there must be taken by an id. Without a keyword and
    /// with the id's secret missing, a bare value still pairs.
    @Test func aSpareFortyCharacterTokenBesideAPairedIdIsNotASecret() throws {
        let csrf = "q8Zr3KvT0wXn5LbY2mPd7HsJc4GfA9eUiRo1NtWk", session = "Xb7Tq2LmN9cVz4RkW1pHs8DfJ3gY6aEoU5iKe0Qw"
        var keys = AWSCorpus(seed: 156)
        let id3 = keys.keyID(), secret3 = keys.secretKey()
        let repo = try GitRepo()
        try repo.commit("session", [
            // The token nearer the id than its named secret.
            "app.env": "AWS_ACCESS_KEY_ID=\(id3)\nSESSION_TOKEN=\(session)\nAWS_SECRET_ACCESS_KEY=\(secret3)\n",
            "settings.ini": "[default]\naws_access_key_id = \(Secrets.keyID)\naws_secret_access_key = \(Secrets.secretKey)\ncsrf_token = \(csrf)\n",
            "bare.txt": "\(Secrets.keyID2)\n\(Secrets.secretKey2)\n",
        ])
        let (pairs, data) = try Self.pairs(repo)
        let report = try JSONDecoder().decode(Report.self, from: data)
        #expect(pairs.secret[Secrets.keyID] == Secrets.secretKey)
        // Not an AWS secret (the generic rule may still call an assigned token a token).
        let aws = Set(report.findings(rule: "aws-secret-access-key").map(\.secret))
        #expect(!aws.contains(csrf), "\(String(decoding: data, as: UTF8.self))")
        #expect(!aws.contains(session))
        #expect(pairs.secret[id3] == secret3)
        #expect(report.findings(rule: "aws-secret-access-key").map(\.secret).sorted() == [Secrets.secretKey, Secrets.secretKey2, secret3].sorted())
        #expect(pairs.secret[Secrets.keyID2] == Secrets.secretKey2)
    }
}
