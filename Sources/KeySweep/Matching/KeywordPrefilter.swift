/// Finds which rules' keywords occur in a chunk, so a rule's regex runs only on chunks that
/// contain one of its keywords. Keywords match ASCII case-insensitively; the search itself is
/// `KeywordAutomaton` (one Aho-Corasick pass, whose cost per byte does not grow with the
/// number of keywords).
struct KeywordPrefilter: Sendable {
    private let automaton: KeywordAutomaton
    private let alwaysRun: [Int]            // rules without keywords
    let ruleCount: Int

    /// `keywords[i]` are the keywords of rule `i`; an empty list means "always run".
    init(keywords: [[String]]) {
        ruleCount = keywords.count
        alwaysRun = keywords.indices.filter { keywords[$0].allSatisfy(\.isEmpty) }
        automaton = KeywordAutomaton(keywords: keywords)
    }

    /// Marks in `hits` (one flag per rule, cleared by the caller) each rule whose keyword occurs
    /// in `bytes`, or which has no keywords. Returns how many rules were marked.
    func mark(_ bytes: UnsafeRawBufferPointer, into hits: inout [Bool]) -> Int {
        var none: [[Int]] = []
        return mark(bytes, into: &hits, recording: [], starts: &none)
    }

    /// The same, and for each rule `r` with `recording[r]`, the offsets where its keywords
    /// start are appended to `starts[r]` (unordered; emptied by the caller).
    func mark(_ bytes: UnsafeRawBufferPointer, into hits: inout [Bool], recording: [Bool], starts: inout [[Int]]) -> Int {
        var marked = 0
        for rule in alwaysRun where !hits[rule] { hits[rule] = true; marked += 1 }
        return marked + automaton.mark(bytes, into: &hits, recording: recording, starts: &starts)
    }

    /// Whether `byte` occurs in some keyword: an occurrence holds no other byte.
    func inKeyword(_ byte: UInt8) -> Bool { automaton.inKeyword(byte) }

    /// Longest keyword, in bytes.
    var longestKeyword: Int { automaton.longest }

    /// The occurrences in each of `ranges` (ascending, apart), in no particular order (see
    /// `KeywordAutomaton.hits`).
    func hits(in bytes: UnsafeRawBufferPointer, _ ranges: [Range<Int>], into hits: inout [KeywordHits.Hit], limit: Int = .max) {
        automaton.hits(in: bytes, ranges, into: &hits, limit: limit)
    }

    /// What `mark` would find, from the content's occurrences found before (`KeywordHits`).
    func mark(_ found: KeywordHits, into hits: inout [Bool], recording: [Bool], starts: inout [[Int]]) -> Int {
        var marked = 0
        for rule in alwaysRun where !hits[rule] { hits[rule] = true; marked += 1 }
        for hit in found.hits {
            let rule = Int(hit.rule)
            if !hits[rule] { hits[rule] = true; marked += 1 }
            if recording[rule] { starts[rule].append(Int(hit.start)) }
        }
        return marked
    }
}
