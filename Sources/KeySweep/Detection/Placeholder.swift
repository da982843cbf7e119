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
        if words.contains(where: { lower.contains($0) }) { return true }
        return length <= 64 && (hasLongRun(secret.utf8) || hasCountingRun(secret.utf8))
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
