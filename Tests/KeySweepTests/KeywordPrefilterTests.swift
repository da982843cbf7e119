import Testing
@testable import KeySweep

/// The prefilter must mark exactly the rules a plain case-insensitive search would, wherever
/// the keyword falls (the automaton cuts long input into four overlapping stretches).
@Suite struct KeywordPrefilterTests {
    static let keywords: [[String]] = [["akia", "asia"], ["secret"], ["ghp_", "gho_"], [], ["private key-----"], ["x"]]

    static func naive(_ text: [UInt8]) -> [Bool] {
        let lower = text.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        return keywords.map { list in
            list.isEmpty || list.contains { word in
                let w = Array(word.utf8)
                guard lower.count >= w.count else { return false }
                return (0...(lower.count - w.count)).contains { Array(lower[$0..<($0 + w.count)]) == w }
            }
        }
    }

    static let filter = KeywordPrefilter(keywords: keywords)

    static func marked(_ text: [UInt8]) -> [Bool] {
        var hits = [Bool](repeating: false, count: keywords.count)
        let n = text.withUnsafeBytes { filter.mark($0, into: &hits) }
        #expect(n == hits.filter { $0 }.count)
        return hits
    }

    @Test func agreesWithANaiveSearchAtEveryOffsetAndLength() {
        let filler = Array("the quick brown fox jumps over the lazy dog; ".utf8)
        for word in ["AKIA", "asia", "SeCrEt", "ghp_", "GHO_", "-----BEGIN PRIVATE KEY-----", "X"] {
            for length in [0, 1, 5, 15, 16, 17, 31, 32, 33, 64, 100, 1000] {
                // Every offset near the cuts between the automaton's stretches, others sparsely.
                var offsets: [Int] = Array(stride(from: 0, through: length, by: length < 200 ? 3 : 37))
                if length >= 200 {
                    for cut in 1...3 {
                        let middle: Int = length * cut / 4
                        offsets += Array((middle - 20)...(middle + 4))
                    }
                }
                for offset in offsets {
                    var text = Array(filler.prefix(length))
                    while text.count < length { text += filler.prefix(length - text.count) }
                    text = text.map { $0 == UInt8(ascii: "x") ? UInt8(ascii: "y") : $0 }
                    text.insert(contentsOf: Array(word.utf8), at: min(offset, text.count))
                    #expect(KeywordPrefilterTests.marked(text) == KeywordPrefilterTests.naive(text), "\(word) at \(offset) in \(length)")
                    let cut = Array(text.dropLast())
                    #expect(KeywordPrefilterTests.marked(cut) == KeywordPrefilterTests.naive(cut))
                }
            }
        }
    }

    @Test func randomText() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aAkKiIsSeEcCrRtTgGhHpPoO_- yY".utf8)
        for _ in 0..<300 {
            let length = Int.random(in: 0...2000, using: &generator)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }
            #expect(KeywordPrefilterTests.marked(text) == KeywordPrefilterTests.naive(text))
        }
    }

    /// Every occurrence starting and ending inside one of the ranges, by a plain search.
    static func naiveHits(_ text: [UInt8], _ ranges: [Range<Int>]) -> [KeywordHits.Hit] {
        let lower = text.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
        var result: [KeywordHits.Hit] = []
        for range in ranges {
            for (rule, list) in keywords.enumerated() {
                for word in Set(list) where !word.isEmpty {
                    let w = Array(word.utf8)
                    guard range.count >= w.count else { continue }
                    for start in range.lowerBound...(range.upperBound - w.count) where Array(lower[start..<(start + w.count)]) == w {
                        result.append(KeywordHits.Hit(start: Int32(start), end: Int32(start + w.count), rule: Int32(rule)))
                    }
                }
            }
        }
        return result.sorted { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
    }

    /// The occurrences in a list of ranges: four automata walk four ranges at once, and cut a
    /// long range in four (each stretch after the first warmed up on the bytes before it and
    /// reporting only what ends in its own part): exactly a plain search's, none twice, at
    /// every length from short ranges (lanes refilled often) to ranges cut in four.
    @Test func hitsInRangesAgreeWithANaiveSearch() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["akia", "AsIa", "secret", "ghp_", "gho_", "private key-----", "x", "se", "cret", "a", " ", "\n", "z"].map { Array($0.utf8) }
        for round in 0..<400 {
            var text: [UInt8] = []
            let target = [40, 300, 3_000, 20_000][round % 4]
            while text.count < target { text += pieces.randomElement(using: &generator)! }
            var ranges: [Range<Int>] = []
            var position = Int.random(in: 0..<8, using: &generator)
            while position < text.count {
                let length = Int.random(in: 0...(round % 3 == 0 ? 2_000 : 60), using: &generator)
                let end = min(position + length, text.count)
                ranges.append(position..<end)
                position = end + Int.random(in: 1..<40, using: &generator)
            }
            var hits: [KeywordHits.Hit] = []
            text.withUnsafeBytes { KeywordPrefilterTests.filter.hits(in: $0, ranges, into: &hits) }
            hits.sort { ($0.start, $0.end, $0.rule) < ($1.start, $1.end, $1.rule) }
            #expect(hits == KeywordPrefilterTests.naiveHits(text, ranges), "round \(round)")
            if hits != KeywordPrefilterTests.naiveHits(text, ranges) { return }
        }
    }
}
