/// Recognises values that only look like secrets: documentation examples, runs of one
/// character, template references and obvious test values.
enum Placeholder {
    private static let words = ["example", "sample", "placeholder", "dummy", "changeme", "your_", "your-",
                                "yourkey", "yoursecret", "insert", "redacted", "xxxxxx", "******", "<", "${",
                                "{{", "$(", "%(", "fake", "notreal"]
    /// A test value (`testpass`, `sk_test…` aside) is a placeholder wherever it is used, except
    /// for rules whose host says otherwise (`Rule.hostDecidesTestValues`).
    private static let testWord = "test"

    /// Words of seven letters or more that random text of any length holds by chance about once
    /// in 10^8 (a documentation key of 300 bytes, `ABSK…EXAMPLEEXAMPLE…`, is still an example).
    private static let longWords = ["example", "placeholder", "redacted", "changeme"]

    /// Long secrets (private keys, tokens of hundreds of bytes) are random enough to hold any
    /// short word or run by chance, so only short ones are judged, and long ones by long words.
    /// `testWordsCount`: false when the secret is a password aimed at a real server.
    static func isPlaceholder(_ secret: String, testWordsCount: Bool = true) -> Bool {
        let length = secret.utf8.count
        guard length <= 256 else {
            let lower = secret.lowercased()
            return longWords.contains(where: { lower.contains($0) })
        }
        let lower = secret.lowercased()
        let judged = lower[afterModePrefix(lower)...]
        if words.contains(where: { judged.contains($0) }) { return true }
        if testWordsCount && judged.contains(testWord) { return true }
        return length <= 64 && (hasLongRun(secret.utf8) || hasCountingRun(secret.utf8))
    }

    /// Where the value proper starts after a provider's mode prefix (`sk_test_`, `rk_test_`,
    /// `pk_test_`, `shippo_test_`, `FLWSECK_TEST-`: two to ten letters, `_test_` or `_test-`, then 16
    /// characters or more; Lob's leading `test_` or `test_pub_`, then 16 letters or digits and nothing
    /// else): those keys are real keys of a test mode, not test values (`my_test_password` is one).
    private static func afterModePrefix(_ lower: String) -> String.Index {
        for lead in ["test_pub_", "test_"] where lower.hasPrefix(lead) {
            let rest = lower.utf8.dropFirst(lead.utf8.count)
            guard rest.count >= 16, rest.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }) else { break }
            return rest.startIndex
        }
        guard let mode = lower.range(of: "_test_") ?? lower.range(of: "_test-") else { return lower.startIndex }
        let prefix = lower[..<mode.lowerBound].utf8
        guard (2...10).contains(prefix.count), prefix.allSatisfy({ $0 >= 97 && $0 <= 122 }),
              lower.utf8.count - lower.utf8.distance(from: lower.startIndex, to: mode.upperBound) >= 16 else { return lower.startIndex }
        return mode.upperBound
    }

    /// Six or more of the same character in a row (`AKIAXXXXXXXXXXXXXXXX`, `aaaaaa`).
    static func hasLongRun(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        var run = 0
        for b in bytes {
            run = b == previous ? run + 1 : 1
            previous = b
            if run >= 6 { return true }
        }
        return false
    }

    /// Consecutive ascending characters, a value typed along the alphabet: seven letters
    /// (`abcdefg`, `klmnopq`) or eight of anything (`12345678`). The chance that a random value
    /// of up to 64 characters holds one (computed exactly by a Markov chain over the last byte
    /// and the run): base62 or base64 6.5e-10, lower-case and digits 1.4e-8, hex 3.8e-8, digits
    /// alone 1.6e-6; seven digits would make it 2.1e-5 for a numeric id (hex 8.2e-7).
    static func hasCountingRun(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        var run = 0, letters = 0
        for b in bytes {
            let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            if b == previous &+ 1 { run += 1; letters = letter ? letters + 1 : 0 } else { run = 1; letters = letter ? 1 : 0 }
            previous = b
            if run >= 8 || letters >= 7 { return true }
        }
        return false
    }
}

/// The host a URL's credentials are for, as the bytes after the `@` that ends its password:
/// is it one that only a developer's machine or documentation reaches?
enum CredentialHost {
    static func isLocalOrDocumentation(after secretEnd: Int, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard secretEnd < text.count, text[secretEnd] == UInt8(ascii: "@") else { return true }
        var end = secretEnd + 1
        while end < text.count, end - secretEnd <= 256, !delimiters.contains(text[end]) { end += 1 }
        let host = String(decoding: UnsafeBufferPointer(rebasing: text[(secretEnd + 1)..<end]), as: UTF8.self).lowercased()
        return isLocalOrDocumentation(host)
    }

    /// Local names (`localhost`, loopback addresses, a single-label name such as a Compose
    /// service `db`) and the names reserved for documentation and tests (RFC 2606, RFC 6761).
    static func isLocalOrDocumentation(_ host: String) -> Bool {
        if host.isEmpty || host == "[" || !host.contains(".") && !host.hasPrefix("[") { return true }
        if host.hasPrefix("127.") || host == "0.0.0.0" { return true }
        let labels = host.split(separator: ".")
        if let last = labels.last, ["test", "example", "invalid", "localhost", "local"].contains(String(last)) { return true }
        if labels.count >= 2, labels[labels.count - 2] == "example", ["com", "org", "net"].contains(String(labels[labels.count - 1])) { return true }
        return false
    }

    private static let delimiters: Set<UInt8> = Set(" \t\r\n/:?#\"'<>,;)]}`".utf8)
}
