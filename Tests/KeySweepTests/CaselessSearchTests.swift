import Testing
@testable import KeySweep

/// `CaselessSearch.contains` (context words over a whole content) against a plain reference, on
/// random texts over a small alphabet where the first byte recurs in both cases.
@Suite struct CaselessSearchTests {
    static func reference(_ haystack: [UInt8], _ needle: String) -> Bool {
        let lower = haystack.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let n = Array(needle.utf8)
        guard !n.isEmpty else { return true }
        guard lower.count >= n.count else { return false }
        return (0...(lower.count - n.count)).contains { Array(lower[$0..<($0 + n.count)]) == n }
    }

    @Test func agreesWithAPlainSearch() {
        var random = SplitMix64(seed: 42)
        let alphabet = Array("aAbB.zZ-".utf8)
        for needle in ["ab", "a.b", "b", "zab", ".z", "abab", "", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"] {
            for length in [0, 1, 2, 3, 7, 64, 500] {
                for _ in 0..<40 {
                    let haystack = (0..<length).map { _ in alphabet[random.below(alphabet.count)] }
                    let found = haystack.withUnsafeBufferPointer { CaselessSearch.contains($0, needle) }
                    #expect(found == Self.reference(haystack, needle), "\(needle) in \(String(decoding: haystack, as: UTF8.self))")
                }
            }
        }
        let text = Array("see https://DEV.Azure.com/org and more".utf8)
        #expect(text.withUnsafeBufferPointer { CaselessSearch.contains($0, "dev.azure.com") })
        #expect(!text.withUnsafeBufferPointer { CaselessSearch.contains($0, "visualstudio.com") })
    }

    /// The matcher's keyword pass tells the detector which context words a content holds (no
    /// search of its own afterwards): the same answers a plain search gives, for every word.
    @Test func theKeywordPassKnowsTheContextWords() throws {
        let toml = """
            [[rule]]
            id = "ctx"
            regex = '''tok_(?<secret>[a-z0-9]{8})'''
            keywords = ["tok_"]
            context = ["ab", "a.b", "zab", ".z", "Server="]
            examples = ["ab tok_k2m4n6p2"]
            """
        let rules = try RuleSet(files: [("ctx.toml", toml)])
        #expect(rules.contextWords == [".z", "a.b", "ab", "server=", "zab"])
        let matcher = Matcher(rules: rules)
        var random = SplitMix64(seed: 7)
        let alphabet = Array("aAbB.zZ-".utf8) + Array("tok_k2m4n6p2 SERVER=".utf8)
        let empty = [UInt8]()
        for length in [0, 3, 20, 200, 2_000] {
            for _ in 0..<30 {
                let text = (0..<length).map { _ in alphabet[random.below(alphabet.count)] }
                let words = Detector.ContextWords()
                var out: [Candidate] = []
                text.withUnsafeBytes { matcher.candidates(in: $0, into: &out, words: words) }
                for word in rules.contextWords {
                    // Asked about an empty text, it answers what the pass found in `text`.
                    let known = empty.withUnsafeBufferPointer { words.contains(word, in: $0) }
                    #expect(known == Self.reference(text, word), "\(word) in \(String(decoding: text, as: UTF8.self))")
                }
            }
        }
    }

    /// A rule none of whose context words a content holds is not searched when its candidates
    /// are judged with the content's words (the detector would reject each one); its keywords
    /// still count among the content's triggered rules. Without `words` (raw candidates), or
    /// with one of its words present, it is searched.
    @Test func aRuleWithoutItsContextWordsIsNotSearched() throws {
        let toml = """
            [[rule]]
            id = "ctx"
            regex = '''tok_(?<secret>[a-z0-9]{8})'''
            keywords = ["tok_"]
            context = ["server="]
            examples = ["server=db tok_k2m4n6p2"]
            """
        let matcher = Matcher(rules: try RuleSet(files: [("ctx.toml", toml)]))
        func candidates(_ text: String, judged: Bool) -> Int {
            var out: [Candidate] = []
            Array(text.utf8).withUnsafeBytes { matcher.candidates(in: $0, into: &out, words: judged ? Detector.ContextWords() : nil) }
            return out.count
        }
        #expect(candidates("x tok_k2m4n6p2", judged: true) == 0)
        #expect(matcher.triggeredRules == [0])
        #expect(candidates("x tok_k2m4n6p2", judged: false) == 1)
        #expect(candidates("SERVER=db tok_k2m4n6p2", judged: true) == 1)
    }
}
