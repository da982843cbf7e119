/// Whether the name a value is assigned to says the value is a counter-example: tests name the
/// token they expect to be refused `invalidToken`, `wrongPassword`, `bogus_token`,
/// `nonMatchingToken`, `FAKE_API_KEY`. Words are whole (split at separators, case humps and
/// digits), so the verb in `invalidateToken` or the library in `fakerSecret` is no such word.
/// `sample`, `example` and `test` are left out: `SAMPLE_API_KEY`, `EXAMPLE_TOKEN` and
/// `TEST_API_KEY` hold real keys of a sample app or a test account often enough.
enum PlaceholderName {
    static let words: Set<String> = ["invalid", "incorrect", "wrong", "bad", "bogus", "fake", "dummy", "mock", "mocked",
                                     "malformed", "placeholder", "nonmatching", "unmatched"]
    /// The bytes before the value that are looked at: a name and its assignment.
    static let window = 96

    static func isCounterExample(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = max(0, name.count - window)
        // A name cut by the window starts at its next word, not inside one.
        if start > 0 { while start < name.count, isLetter(name[start]) { start += 1 } }
        // The value's own field only: another field of a connection string or a query
        // (`Server=mock-db;Password=`, `?fake=1&token=`) names something else.
        if let field = name[start...].lastIndex(where: { fieldEnds.contains($0) }) { start = field + 1 }
        var word: [UInt8] = []
        var previous = ""
        func close() -> Bool {
            defer { word.removeAll(keepingCapacity: true) }
            guard !word.isEmpty else { previous = ""; return false }
            let current = String(decoding: word, as: UTF8.self)
            // Two words joined (`nonMatching`, `PlaceHolder`) count as one.
            if words.contains(current) || words.contains(previous + current) { return true }
            previous = current
            return false
        }
        var i = start
        while i < name.count {
            let b = name[i]
            guard isLetter(b) else {
                if close() { return true }
                if isDigit(b) { previous = "" }
                i += 1
                continue
            }
            let upper = b <= 0x5A
            if upper, !word.isEmpty {
                // A new word at lower -> upper (`nonMatching`), and before the last capital of a
                // capital run followed by a lower-case letter (`APIKey`, `BADToken`).
                let nextLower = i + 1 < name.count && name[i + 1] >= 0x61 && name[i + 1] <= 0x7A
                if name[i - 1] >= 0x61 || nextLower {
                    if close() { return true }
                }
            }
            word.append(upper ? b + 32 : b)
            i += 1
        }
        return close()
    }

    private static let fieldEnds: Set<UInt8> = [UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "?")]

    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
}
