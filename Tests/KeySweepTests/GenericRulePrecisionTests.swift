import Foundation
import Testing
@testable import KeySweep

/// The generic rules measured on a labelled set: random tokens of real formats assigned to
/// keyword names (providers without a rule of their own) must be found; look-alikes taken from
/// real code (identifiers, paths, hashes, UUID ids, base64 of prose, templates, an `env` dump)
/// must not (more of both in `Corpus/GenericLookalikes.swift`). Precision and recall are printed
/// and held above a floor.
@Suite struct GenericRulePrecisionTests {
    static let rules = RuleExampleTests.rules
    static let generic: Set<String> = ["generic-secret", "generic-password"]

    static let base62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

    /// (text, the secret planted in it): keyword-named values of providers keysweep has no rule for.
    static let positives: [(text: String, secret: String)] = {
        var random = SplitMix64(seed: 17)
        let shapes: [(String, Int)] = [("0123456789abcdef", 32), ("0123456789abcdef", 40), (base62, 20), (base62, 32), (base62, 40),
                                       (base62 + "+/", 44), (base62 + "_-", 43), ("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 32)]
        let forms = ["ZEPHYR_API_KEY=%@", "widget_secret: \"%@\"", "const quasarToken = '%@';", "\"orbitAccessKey\": \"%@\",",
                     "export NIMBUS_AUTH_TOKEN=%@", "    client_secret: %@", "HELIX_SECRET='%@'", "app.config['LUMEN_SIGNING_KEY'] = '%@'",
                     "db_password = \"%@\"", "SMTP_PASSWORD=%@"]
        var out: [(String, String)] = []
        for (number, form) in forms.enumerated() {
            for shape in 0..<4 {
                let (alphabet, count) = shapes[(number + shape * 3) % shapes.count]
                var value = random.string(alphabet, count)
                if form.contains("password") || form.contains("PASSWORD") { value = String(value.prefix(16)) }
                out.append((form.replacingOccurrences(of: "%@", with: value), value))
            }
        }
        // Passwords people write: not random, still secrets.
        out += [("spring.datasource.password=Winter2024!Prod", "Winter2024!Prod"), ("MYSQL_ROOT_PASSWORD: 'r00t-Pa55w0rd#9'", "r00t-Pa55w0rd#9")]
        // More forms and shapes (Corpus/GenericLookalikes.swift).
        return out + GenericLookalikes.positives
    }()

    /// Look-alikes from real code and configuration: none is a secret.
    static let negatives: [String] = [
        // identifiers, constants and member names
        "let accessToken = tokenResponseFromAuthorizationServer",
        "SECRET_KEY_BASE_ENV = SECRET_KEY_BASE_FROM_ENVIRONMENT",
        "client_secret: REPLACE_WITH_YOUR_CLIENT_SECRET",
        "tokenEndpointAuthMethod: \"client_secret_basic\"",
        "ACCESS_TOKEN_COOKIE_NAME = \"access_token_cookie_name\"",
        "api_key_header = \"X-Api-Key-Header-Name\"",
        "token_type = \"urn:ietf:params:oauth:token-type:jwt\"",
        "secretName: kubernetes-dashboard-certs-secret",
        "tokenClass = \"token-list__item--highlighted\"",
        "SECRET_KEY=django-insecure-change-this-in-production",
        "token = \"com.acme.mobile.auth.refresh.token\"",
        "password_field = \"user_password_confirmation\"",
        "self.secret_store = SecretsManagerParameterStore",
        "api_key: MISSING_API_KEY_PLEASE_SET_IN_ENVIRONMENT",
        "private_key_type = \"RSA_PRIVATE_KEY_PKCS8_FORMAT\"",
        // paths and files
        "PWD=/builds/acme/platform/backend-service",
        "OLDPWD=/builds/acme/platform",
        "secret_file = /run/secrets/db_password_file",
        "private_key_path: \"/etc/ssl/private/server.key\"",
        "secret_key_file = \"service-account-key.json\"",
        "password_file: C:\\ProgramData\\Acme\\db-password.txt",
        "token_url = \"https://oauth2.googleapis.com/token\"",
        // hashes and ids
        "secret_sha256 = 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "\"secret_hash\": \"5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8\"",
        "token_id = 4f1c2a3e-9b8d-4c7e-a6f5-3d2e1c0b9a87",
        "api_key_id: \"0f8fad5b-d9cb-469f-a165-70867728950e\"",
        "access_key_name = \"ci-deploy-access-key-2024\"",
        "token_checksum = d41d8cd98f00b204e9800998ecf8427e",
        // encoded prose, templates, masks
        "secret: \"VGhpcyBpcyBub3QgYSBzZWNyZXQsIGp1c3QgYSBzZW50ZW5jZQ==\"",
        "api_key: \"{{ .Values.global.apiKey }}\"",
        "token = \"%(auth_token)s\"",
        "password = \"************************\"",
        "SECRET_MESSAGE = 'TheQuickBrownFoxJumpsOverTheLazyDog'",
        "tokenizer = GPT2TokenizerFastWithPaddingSide",
    ] + GenericLookalikes.negatives

    static func genericFindings(in text: String) -> [SecretMatch] {
        let scanner = ContentScanner(rules: rules, options: ScanOptions())
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { scanner.matches(in: UnsafeRawBufferPointer($0)) }
            .filter { generic.contains(rules.rules[$0.rule].id) && !$0.isPlaceholder }
    }

    /// `KEYSWEEP_LABELLED_SET=FILE` writes the set as JSON lines (`text`, and `secret` for a
    /// positive) for `Benchmarks/generic-precision.sh`, which measures any keysweep binary on it.
    @Test func labelledSetIsWrittenOnRequest() throws {
        guard let path = ProcessInfo.processInfo.environment["KEYSWEEP_LABELLED_SET"] else { return }
        var lines: [String] = []
        for sample in Self.positives {
            let data = try JSONSerialization.data(withJSONObject: ["text": sample.text, "secret": sample.secret], options: [.sortedKeys])
            lines.append(String(decoding: data, as: UTF8.self))
        }
        for text in Self.negatives {
            lines.append(String(decoding: try JSONSerialization.data(withJSONObject: ["text": text], options: [.sortedKeys]), as: UTF8.self))
        }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func precisionAndRecallOnTheLabelledSet() {
        let found = Self.positives.filter { sample in Self.genericFindings(in: sample.text).contains { $0.secret == sample.secret } }
        let falsePositives = Self.negatives.filter { !Self.genericFindings(in: $0).isEmpty }
        let recall = Double(found.count) / Double(Self.positives.count)
        let precision = Double(found.count) / Double(max(found.count + falsePositives.count, 1))
        print("generic rules on \(Self.positives.count) tokens and \(Self.negatives.count) look-alikes: recall \(found.count)/\(Self.positives.count), false positives \(falsePositives.count)/\(Self.negatives.count), precision \(Int((precision * 1000).rounded()) / 10)%")
        for text in falsePositives { print("  false positive: \(text)") }
        for sample in Self.positives where !found.contains(where: { $0.text == sample.text }) { print("  missed: \(sample.text)") }
        #expect(falsePositives.isEmpty, "look-alikes reported: \(falsePositives)")
        #expect(recall >= 0.95)
    }
}

extension SplitMix64 {
    /// `count` characters of `alphabet`, drawn from the sequence.
    mutating func string(_ alphabet: String, _ count: Int) -> String {
        let letters = Array(alphabet)
        return String((0..<count).map { _ in letters[below(letters.count)] })
    }
}
