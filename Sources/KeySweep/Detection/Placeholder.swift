/// Recognises values that only look like secrets: documentation examples, runs of one
/// character, template references and obvious test values.
enum Placeholder {
    private static let words = ["example", "sample", "placeholder", "dummy", "changeme", "your_", "your-",
                                "yourkey", "yoursecret", "insert", "redacted", "xxxxxx", "******", "<", "${",
                                "{{", "$(", "%(", "fake", "notreal", "test"]

    /// Long secrets (private keys, tokens of hundreds of bytes) are random enough to hold any
    /// short word or run by chance, so only short ones are judged.
    static func isPlaceholder(_ secret: String) -> Bool {
        let length = secret.utf8.count
        guard length <= 256 else { return false }
        let lower = secret.lowercased()
        let judged = lower[afterModePrefix(lower)...]
        if words.contains(where: { judged.contains($0) }) { return true }
        return length <= 64 && (hasLongRun(secret.utf8) || hasCountingRun(secret.utf8))
    }

    /// Where the value proper starts after a provider's mode prefix (`sk_test_`, `rk_test_`,
    /// `pk_test_`, `shippo_test_`: two to ten letters, `_test_`, then 16 characters or more):
    /// those keys are real keys of a test mode, not test values (`my_test_password` is one).
    private static func afterModePrefix(_ lower: String) -> String.Index {
        guard let mode = lower.range(of: "_test_") else { return lower.startIndex }
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

    /// Eight or more consecutive ascending characters (`ABCDEFGH`, `12345678`).
    static func hasCountingRun(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = 0
        var run = 0
        for b in bytes {
            run = b == previous &+ 1 ? run + 1 : 1
            previous = b
            if run >= 8 { return true }
        }
        return false
    }
}
