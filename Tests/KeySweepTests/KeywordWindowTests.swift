import Testing
@testable import KeySweep

/// A rule with `keyword_window` finds exactly what the same rule finds searching everything.
@Suite struct KeywordWindowTests {
    static func rule(_ id: String, window: Int?) -> String {
        """
        [[rule]]
        id = "\(id)"
        regex = '''(?<![A-Za-z0-9])(?<secret>[0-9a-f]{8}-us[0-9]{1,2})(?![A-Za-z0-9])'''
        keywords = ["-us"]
        \(window.map { "keyword_window = \($0)" } ?? "")
        examples = ["key: 0123abcd-us12 here"]

        [[rule]]
        id = "\(id)-generic"
        regex = '''(?i)[A-Za-z0-9_.-]{0,12}(?:secret|token)[A-Za-z0-9_-]{0,6}\\s*[:=]\\s*(?<secret>[A-Za-z0-9]{10,})'''
        keywords = ["secret", "token"]
        \(window.map { _ in "keyword_window = 13" } ?? "")
        examples = ["my_api_token = abcdefghij1234"]
        """
    }

    /// Each match as "rule-id match-range secret-range", sorted.
    static func matches(_ rules: RuleSet, _ text: [UInt8]) -> [String] {
        let matcher = Matcher(rules: rules)
        var out: [Candidate] = []
        text.withUnsafeBytes { matcher.candidates(in: $0, into: &out) }
        return out.map { "\(rules.rules[$0.rule].id) \($0.match) \($0.secret)" }.sorted()
    }

    @Test func windowedMatchesEqualFullMatches() throws {
        let windowed = try RuleSet(files: [("w.toml", KeywordWindowTests.rule("r", window: 8))])
        let full = try RuleSet(files: [("f.toml", KeywordWindowTests.rule("r", window: nil))])
        #expect(windowed.rules.allSatisfy { $0.keywordWindow != nil })
        var generator = SystemRandomNumberGenerator()
        let pieces = ["0123abcd-us12", "beef0000-us3", "ffff-us1", "-us", "x", " ", "\n", "ab12cd34", "SECRET = ",
                      "my_token=", "Abcdefghij12345", "token", "=", "aaaaaaaaaaaaaaaaaaaa", "9", "-us99z"]
        for round in 0..<400 {
            var text: [UInt8] = []
            let count = round < 200 ? Int.random(in: 0...40, using: &generator) : Int.random(in: 200...3000, using: &generator)
            for _ in 0..<count { text += Array(pieces.randomElement(using: &generator)!.utf8) }
            #expect(KeywordWindowTests.matches(windowed, text) == KeywordWindowTests.matches(full, text))
        }
    }

    /// Dense starts are ordered through a bitmap, sparse ones by sorting: both give the ranges
    /// of the plain definition (each start's window, joined when less than `joinGap` apart).
    @Test func rangesAreTheSameDenseOrSparse() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            let length = Int.random(in: 1...5000, using: &generator)
            let count = round < 150 ? Int.random(in: 0...63, using: &generator) : Int.random(in: 64...3000, using: &generator)
            let window = [0, 1, 13, 64, 200].randomElement(using: &generator)!
            let after = [0, 0, 5, 200].randomElement(using: &generator)!
            var starts = (0..<count).map { _ in Int.random(in: 0..<length, using: &generator) }
            var expected: [ClosedRange<Int>] = []
            for start in starts.sorted() {
                let low = max(start - window, 0), high = min(start + after, length)
                if let last = expected.last, low <= last.upperBound + KeywordWindow.joinGap {
                    expected[expected.count - 1] = last.lowerBound...max(last.upperBound, high)
                } else {
                    expected.append(low...high)
                }
            }
            #expect(KeywordWindow.ranges(&starts, window: window, after: after, length: length) == expected)
        }
    }

    static func nearRule(near: Int?, example: String = "acme: k2m4n6p2q3r4s5t6") -> String {
        """
        [[rule]]
        id = "near"
        regex = '''(?<![a-z2-7])(?<secret>[a-z2-7]{16})(?![a-z2-7])'''
        keywords = ["acme"]
        \(near.map { "keyword_near = \($0)" } ?? "")
        examples = ["\(example)"]
        """
    }

    /// `keyword_near = N` finds what the full search finds whose start lies within N bytes of a
    /// keyword, before or after it, and nothing further away.
    @Test func keywordNearFindsExactlyWhatIsNearAKeyword() throws {
        let near = try RuleSet(files: [("n.toml", Self.nearRule(near: 40))])
        let full = try RuleSet(files: [("f.toml", Self.nearRule(near: nil))])
        #expect(near.rules[0].keywordNear == 40)
        let token = "k2m4n6p2q3r4s5t6"
        let close = Array("acme \(String(repeating: " ", count: 30))\(token) ".utf8)
        let before = Array("\(token)\(String(repeating: ".", count: 20)) ACME".utf8)
        let far = Array("acme\(String(repeating: ".", count: 60))\(token)".utf8)
        #expect(Self.matches(near, close).count == 1)
        #expect(Self.matches(near, before).count == 1)
        #expect(Self.matches(near, far).isEmpty)
        #expect(Self.matches(full, far).count == 1)
        var generator = SystemRandomNumberGenerator()
        let pieces = [token, "acme", "ACME ", " ", "\n", "x", "zzzzzzzzzzzz", "k2m4n6p2", ". . . . . . "]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 0...200, using: &generator) { text += pieces.randomElement(using: &generator)! }
            let bytes = Array(text.utf8), lower = Array(text.lowercased().utf8), keyword = Array("acme".utf8)
            let keywordStarts = bytes.count < 4 ? [] : (0...(bytes.count - 4)).filter { Array(lower[$0..<($0 + 4)]) == keyword }
            let expected = Self.matches(full, bytes).filter { line in
                let start = Int(line.split(separator: " ")[1].split(separator: ".")[0])!
                return keywordStarts.contains { abs($0 - start) <= 40 }
            }
            #expect(Self.matches(near, bytes) == expected)
        }
    }

    @Test func keywordNearIsCheckedOnItsExamplesAndExcludesAWindow() {
        #expect(throws: RuleSet.LoadError.self) {
            try RuleSet(files: [("n.toml", Self.nearRule(near: 5, example: "acme is the vendor, and its token: k2m4n6p2q3r4s5t6"))])
        }
        let both = Self.nearRule(near: 40).replacingOccurrences(of: "keyword_near = 40", with: "keyword_near = 40\nkeyword_window = 4")
        #expect(throws: RuleSet.LoadError.self) { try RuleSet(files: [("n.toml", both)]) }
    }

    @Test func aWindowTheExamplesContradictIsRejected() {
        let text = KeywordWindowTests.rule("r", window: 2)
        #expect(throws: RuleSet.LoadError.self) { try RuleSet(files: [("w.toml", text)]) }
    }

    /// Every built-in rule with a window finds, on text made of every rule's examples and
    /// counter-examples mixed with source-like filler, exactly what its full search finds.
    @Test func builtInWindowsAreExact() throws {
        let builtIn = try RuleSet.builtIn()
        // Alone, without the pairs and declarations that name rules outside the windowed set.
        let windowed = builtIn.rules.filter { $0.keywordWindow != nil }.map { rule -> Rule in
            var alone = rule
            alone.pairs = []
            alone.moreSpecificThan = []
            return alone
        }
        #expect(windowed.count >= 10)
        let full = try RuleSet(rules: windowed.map { var rule = $0; rule.keywordWindow = nil; return rule })
        let withWindows = try RuleSet(rules: windowed)
        let samples = builtIn.rules.flatMap { $0.examples + $0.counterExamples }
        let filler = ["\n", " ", "// the GitHub hub of high-throughput cf. caches\n", "x = key-value;\n",
                      "user:$6$ not a hash\n", "token = next(token);\n", "\t", "ghost", "mailgun"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<60 {
            var text = ""
            for _ in 0..<400 {
                text += Bool.random(using: &generator) ? samples.randomElement(using: &generator)! : filler.randomElement(using: &generator)!
            }
            let bytes = Array(text.utf8)
            #expect(Self.matches(withWindows, bytes) == Self.matches(full, bytes))
        }
    }
}
