import Foundation

/// A labeled corpus of AWS leaks: a generator that plants fresh random credentials in every
/// shape people leak them in, across a git history, and the exact findings a scan must give.
/// Decoys (documentation examples, templates, hashes, fake ids) must give none.
struct AWSCorpus {
    /// A finding the scan must report: rule and secret, and optionally how it must look.
    struct Expected: Hashable {
        var rule: String
        var secret: String
        var decoding: String? = nil      // a decoding that must appear on some occurrence
        var pairedSecret: String? = nil  // for key ids: the secret it must pair with
        var pairedToken: String? = nil
        var canary = false
    }

    /// Files of one commit.
    struct Commit {
        var message: String
        var files: [String: Data]
    }

    private(set) var commits: [Commit] = []
    private(set) var expected: Set<Expected> = []
    private var random: SplitMix64

    init(seed: UInt64 = 2014) {
        random = SplitMix64(seed: seed)
        build()
    }

    // MARK: fresh values

    private static let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    private static let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// A key id of a new-generation account (fifth character from Q on: an account is encoded).
    mutating func keyID(_ prefix: String = "AKIA") -> String {
        var tail = [Self.base32[16 + random.below(16)]]
        while tail.count < 16 { tail.append(Self.base32[random.below(32)]) }
        let id = prefix + String(tail)
        return Self.isPlain(id) ? id : keyID(prefix)
    }

    /// A secret key without '/' and '+' when `plain`, so it survives URLs unencoded.
    mutating func secretKey(plain: Bool = false) -> String {
        while true {
            var chars: [Character] = []
            while chars.count < 40 {
                let c = Self.base64[random.below(64)]
                if plain && (c == "/" || c == "+") { continue }
                chars.append(c)
            }
            let value = String(chars)
            if Self.isPlain(value) { return value }
        }
    }

    mutating func sessionToken() -> String {
        var chars: [Character] = []
        while chars.count < 600 { chars.append(Self.base64[random.below(64)]) }
        return "IQoJb3JpZ2luX2Vj" + String(chars)
    }

    /// No accidental placeholder words or runs in a random value.
    private static func isPlain(_ value: String) -> Bool {
        let lower = value.lowercased()
        for word in ["example", "test", "fake", "dummy", "sample", "xxx", "insert", "your"] where lower.contains(word) { return false }
        var run = 1
        var previous: Character = " "
        for c in value { run = c == previous ? run + 1 : 1; previous = c; if run >= 4 { return false } }
        return true
    }

    // MARK: the corpus

    private mutating func add(_ message: String, _ files: [String: String]) {
        commits.append(Commit(message: message, files: files.mapValues { Data($0.utf8) }))
    }

    private mutating func addData(_ message: String, _ files: [String: Data]) {
        commits.append(Commit(message: message, files: files))
    }

    /// `decoding`: how the secret (and token) can be seen; `idDecoding`: how the id can.
    private mutating func expectPair(_ id: String, _ secret: String, token: String? = nil, decoding: String? = nil,
                                     idDecoding: String? = nil) {
        expected.insert(Expected(rule: "aws-access-key-id", secret: id, decoding: idDecoding, pairedSecret: secret, pairedToken: token))
        expected.insert(Expected(rule: "aws-secret-access-key", secret: secret, decoding: decoding))
        if let token { expected.insert(Expected(rule: "aws-session-token", secret: token, decoding: decoding)) }
    }

    private mutating func build() {
        add("initial", ["README.md": "# service\n"])

        // Configuration files.
        var id = keyID(), secret = secretKey()
        add("aws credentials file", ["home/.aws/credentials": "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\nregion = eu-west-1\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("dotenv", [".env": "DEBUG=1\nexport AWS_ACCESS_KEY_ID=\"\(id)\"\nexport AWS_SECRET_ACCESS_KEY=\"\(secret)\"\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("yaml config", ["config/app.yml": "storage:\n  provider: s3\n  aws_access_key_id: \(id)\n  aws_secret_access_key: \(secret)\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("hadoop properties", ["conf/s3.properties": "fs.s3a.access.key=\(id)\nfs.s3a.secret.key=\(secret)\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("hadoop xml", ["conf/core-site.xml": """
            <configuration>
              <property>
                <name>fs.s3a.access.key</name>
                <value>\(id)</value>
              </property>
              <property>
                <name>fs.s3a.secret.key</name>
                <value>\(secret)</value>
              </property>
            </configuration>
            """])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("terraform", ["infra/main.tf": "provider \"aws\" {\n  region     = \"us-east-1\"\n  access_key = \"\(id)\"\n  secret_key = \"\(secret)\"\n}\n"])
        expectPair(id, secret)

        // Code in several languages; some name the secret, some only sit next to the id.
        id = keyID(); secret = secretKey()
        add("python", ["app/storage.py": "import boto3\n\ns3 = boto3.client(\n    's3',\n    aws_access_key_id='\(id)',\n    aws_secret_access_key='\(secret)',\n)\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("javascript", ["web/upload.js": "const s3 = new AWS.S3({ accessKeyId: '\(id)', secretAccessKey: '\(secret)' });\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("go", ["cmd/sync/main.go": "package main\n\nfunc creds() *credentials.Credentials {\n\treturn credentials.NewStaticCredentials(\"\(id)\", \"\(secret)\", \"\")\n}\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("java", ["src/main/java/Uploader.java": "class Uploader {\n  AWSCredentials c = new BasicAWSCredentials(\"\(id)\",\n      \"\(secret)\");\n}\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("csharp", ["Services/Blob.cs": "var client = new AmazonS3Client(new BasicAWSCredentials(\"\(id)\", \"\(secret)\"), RegionEndpoint.USEast1);\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("ruby", ["config/initializers/aws.rb": "Aws.config.update(credentials: Aws::Credentials.new('\(id)', '\(secret)'))\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("php", ["config/filesystems.php": "<?php\nreturn ['s3' => [\n    'key' => '\(id)',\n    'secret' => '\(secret)',\n]];\n"])
        expectPair(id, secret)

        // The IAM console's CSV download.
        id = keyID(); secret = secretKey()
        add("csv", ["keys/alice_accessKeys.csv": "Access key ID,Secret access key\n\(id),\(secret)\n"])
        expectPair(id, secret)

        // A shell script and an env dump in a log.
        id = keyID(); secret = secretKey()
        add("deploy script", ["scripts/deploy.sh": "#!/bin/sh\nset -e\nexport AWS_ACCESS_KEY_ID=\(id)\nexport AWS_SECRET_ACCESS_KEY=\(secret)\naws s3 sync dist s3://site\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        add("env dump", ["logs/ci-env.txt": "HOME=/root\nPATH=/usr/bin\nAWS_ACCESS_KEY_ID=\(id)\nAWS_DEFAULT_REGION=us-east-1\nAWS_SECRET_ACCESS_KEY=\(secret)\nSHLVL=1\n"])
        expectPair(id, secret)

        // A notebook: JSON-escaped source lines.
        id = keyID(); secret = secretKey()
        add("notebook", ["analysis.ipynb": """
            {"cells": [{"cell_type": "code", "source": ["import os\\n", "os.environ[\\"AWS_ACCESS_KEY_ID\\"] = \\"\(id)\\"\\n", "os.environ[\\"AWS_SECRET_ACCESS_KEY\\"] = \\"\(secret.replacingOccurrences(of: "/", with: "\\/"))\\"\\n"]}]}
            """])
        expectPair(id, secret)

        // URLs: credentials in an s3:// URL, and percent-encoded in a query string.
        id = keyID(); secret = secretKey(plain: true)
        add("url", ["docs/backup.md": "Run: `duplicity /data s3://\(id):\(secret)@backups.example.org/host1`\n"])
        expectPair(id, secret)

        id = keyID(); secret = secretKey()
        let encoded = secret.replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "+", with: "%2B")
        add("form body", ["logs/request.txt": "POST /connect HTTP/1.1\n\naccess=\(id)&secret=\(encoded)&region=us-east-1\n"])
        expectPair(id, secret, decoding: "url")

        // A minified bundle: one very long line, id and secret far apart.
        id = keyID(); secret = secretKey()
        let filler = String(repeating: "function(a,b){return a+b};var q=[1,2,3];", count: 2000)
        add("bundle", ["dist/app.min.js": "!function(){var c={region:\"us-east-1\",accessKeyId:\"\(id)\"};\(filler)var d={secretAccessKey:\"\(secret)\"};}();"])
        expectPair(id, secret)

        // Temporary credentials: STS JSON with Expiration, a Python repr, a signed-request debug log.
        id = keyID("ASIA"); secret = secretKey()
        var token = sessionToken()
        add("sts json", ["tmp/assume-role.json": """
            {
                "Credentials": {
                    "AccessKeyId": "\(id)",
                    "SecretAccessKey": "\(secret)",
                    "SessionToken": "\(token)",
                    "Expiration": "2024-05-01T12:00:00+00:00"
                }
            }
            """])
        expectPair(id, secret, token: token)

        id = keyID("ASIA"); secret = secretKey(); token = sessionToken()
        add("python repr", ["logs/debug.log": "DEBUG creds={'AccessKeyId': '\(id)', 'SecretAccessKey': '\(secret)', 'SessionToken': '\(token)', 'Expiration': datetime.datetime(2024, 5, 1, 12, 0, tzinfo=tzutc())}\n"])
        expectPair(id, secret, token: token)

        id = keyID("ASIA"); token = sessionToken()
        add("botocore debug", ["logs/botocore.log": """
            2024-05-01 12:00:00,000 botocore.auth [DEBUG] StringToSign: AWS4-HMAC-SHA256
            2024-05-01 12:00:00,001 botocore.endpoint [DEBUG] Sending http request: <AWSPreparedRequest method=GET, url=https://bucket.s3.amazonaws.com/, headers={'X-Amz-Security-Token': b'\(token)', 'Authorization': b'AWS4-HMAC-SHA256 Credential=\(id)/20240501/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'}>

            """])
        expected.insert(Expected(rule: "aws-access-key-id", secret: id, pairedToken: token))
        expected.insert(Expected(rule: "aws-session-token", secret: token))

        // A presigned URL: temporary id and a percent-encoded token.
        id = keyID("ASIA"); token = sessionToken()
        let encodedToken = token.replacingOccurrences(of: "/", with: "%2F").replacingOccurrences(of: "+", with: "%2B")
        add("presigned url", ["share.txt": "https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=\(id)%2F20240501%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240501T120000Z&X-Amz-Expires=3600&X-Amz-Security-Token=\(encodedToken)&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"])
        expected.insert(Expected(rule: "aws-access-key-id", secret: id, pairedToken: token))
        expected.insert(Expected(rule: "aws-session-token", secret: token, decoding: "url"))

        // A stack trace with local variables.
        id = keyID(); secret = secretKey()
        add("stack trace", ["logs/crash.txt": """
            Traceback (most recent call last):
              File "sync.py", line 12, in upload
                client.put_object(Bucket=b, Key=k, Body=data)
                  Locals: aws_access_key_id = '\(id)'
                          aws_secret_access_key = '\(secret)'
            botocore.exceptions.ClientError: AccessDenied

            """])
        expectPair(id, secret)

        // UTF-16 files, with and without a byte-order mark.
        id = keyID(); secret = secretKey()
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("[default]\r\naws_access_key_id = \(id)\r\naws_secret_access_key = \(secret)\r\n".data(using: .utf16LittleEndian)!)
        addData("utf-16 with bom", ["windows/credentials.ini": utf16])
        expectPair(id, secret, decoding: "utf-16", idDecoding: "utf-16")

        id = keyID(); secret = secretKey()
        addData("utf-16 without bom", ["windows/setenv.ps1": "$env:AWS_ACCESS_KEY_ID=\"\(id)\"\r\n$env:AWS_SECRET_ACCESS_KEY=\"\(secret)\"\r\n".data(using: .utf16LittleEndian)!])
        expectPair(id, secret, decoding: "utf-16", idDecoding: "utf-16")

        // Base64-encoded values: a Kubernetes Secret.
        id = keyID(); secret = secretKey()
        func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }
        add("k8s secret", ["k8s/aws-secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: aws\ntype: Opaque\ndata:\n  AWS_ACCESS_KEY_ID: \(b64(id))\n  AWS_SECRET_ACCESS_KEY: \(b64(secret))\n"])
        expectPair(id, secret, decoding: "base64", idDecoding: "base64")

        // A key id in one file and its secret, named by nothing, in another file of the same commit.
        id = keyID(); secret = secretKey()
        add("split across files", ["deploy/key-id.txt": "key: \(id)\n", "deploy/key-material.txt": "\(secret)\n"])
        expectPair(id, secret)

        // Other AWS key kinds, an id with no secret anywhere, and a canary.
        let bearer = keyID("ABIA")
        add("bearer id", ["notes/ids.txt": "service bearer: \(bearer)\n"])
        expected.insert(Expected(rule: "aws-access-key-id", secret: bearer))
        let canary = "AKIASP2TPHJSQH3FJRUX" // decodes to 171436882533, a Thinkst canary account
        let canarySecret = secretKey()
        add("canary", ["honeypot/credentials": "[prod-admin]\naws_access_key_id = \(canary)\naws_secret_access_key = \(canarySecret)\n"])
        expected.insert(Expected(rule: "aws-access-key-id", secret: canary, pairedSecret: canarySecret, canary: true))
        expected.insert(Expected(rule: "aws-secret-access-key", secret: canarySecret))

        // A secret added and removed later: history still holds it.
        id = keyID(); secret = secretKey()
        add("oops", ["app/settings_local.py": "AWS_ACCESS_KEY_ID = '\(id)'\nAWS_SECRET_ACCESS_KEY = '\(secret)'\n"])
        add("remove creds", ["app/settings_local.py": "AWS_ACCESS_KEY_ID = os.environ['AWS_ACCESS_KEY_ID']\nAWS_SECRET_ACCESS_KEY = os.environ['AWS_SECRET_ACCESS_KEY']\n"])
        expectPair(id, secret)

        // Decoys: nothing here may be reported.
        add("decoys", [
            "docs/aws-setup.md": """
                Configure the CLI with your own keys, for example:

                    aws_access_key_id = AKIAIOSFODNN7EXAMPLE
                    aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
                    AKIAI44QH8DHBEXAMPLE  ASIAJEXAMPLEXEG2JICEA  AKIAEXAMPLEPBUMBC3GA

                Or export AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY} from your vault.
                """,
            "templates/credentials.tmpl": "aws_access_key_id = AKIAXXXXXXXXXXXXXXXX\naws_secret_access_key = <your-secret-key>\n",
            "app/config.py": "AWS_SECRET_ACCESS_KEY = os.environ[\"AWS_SECRET_ACCESS_KEY\"]\nsecret_hash = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'\n",
            "fixtures/fake_ids.txt": "AKIA0123456789ABCDEF AKIA1111222233334444 AKIAZAVB57H55F3T4B8H\nuser AIDAZAVB57H5V3Q4ACRGM role AROAZAVB57H5V3Q4ACRGM\n",
            "tests/test_s3.py": "def test_upload():\n    key = 'AKIATESTTESTTESTTEST'\n    secret = 'testsecretkeytestsecretkeytestsecretkey0'\n",
            "ci/actions.yml": "uses: actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab\nsecret_sha: 2c26b46b68ffc68ff99b453c1d30413413422d70\n",
            "lib/paths.txt": "const SECRET_PATH = 'src/main/resources/com/acme/billing/Invoice'\n",
        ])
    }
}
