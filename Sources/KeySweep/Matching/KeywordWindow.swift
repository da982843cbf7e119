/// `keyword_window = N` (see `Rule.keywordWindow`): a rule whose every match holds one of its
/// keywords starting at most N bytes after the match start needs its regex tried only at start
/// positions from N bytes before each keyword occurrence up to the occurrence itself. The
/// search still sees the whole content (lookarounds and match ends are unchanged), so the
/// matches are exactly those of a search over everything, at a fraction of the cost for rules
/// whose patterns cannot be started cheaply (`[A-Za-z0-9_.-]{0,40}secret…`).
enum KeywordWindow {
    /// Ranges closer than this are searched as one: a regex call costs about as much as this
    /// many failed start positions, so content dense with keywords (`t1.t1.t1.…`) costs one
    /// call, not one per keyword. The positions in between cannot start a match (the window's
    /// promise), so the matches are the same.
    static let joinGap = 32

    /// Merged ranges of allowed start positions, ascending, for keyword occurrences starting at
    /// `starts` (any order, duplicates allowed, each below `length`), from `window` bytes before
    /// each to `after` bytes after it; ranges less than `join` bytes apart are joined (0 for
    /// `keyword_near`, whose scope the positions in between are outside of).
    static func ranges(_ starts: inout [Int], window: Int, after: Int = 0, join: Int = joinGap, length: Int) -> [ClosedRange<Int>] {
        var result: [ClosedRange<Int>] = []
        var low = -1, high = -1
        @inline(__always) func add(_ start: Int) {
            let next = max(start - window, 0), last = min(start + after, length)
            if high >= 0, next <= high + join {
                high = max(high, last)
            } else {
                if high >= 0 { result.append(low...high) }
                low = next
                high = last
            }
        }
        let words = (length >> 6) + 1
        if starts.count >= 64, starts.count * 8 >= words {
            // Dense (a hostile content has a keyword every few bytes): the starts come from the
            // automaton's four interleaved stretches, so order them through a bitmap, linear
            // in the content, rather than sorting.
            var bits = [UInt64](repeating: 0, count: words)
            bits.withUnsafeMutableBufferPointer { bits in
                starts.withUnsafeBufferPointer { starts in
                    var i = 0
                    while i < starts.count { let s = starts[i]; bits[s >> 6] |= 1 << UInt64(s & 63); i += 1 }
                }
                var word = 0
                while word < words {
                    var value = bits[word]
                    while value != 0 {
                        add(word << 6 | value.trailingZeroBitCount)
                        value &= value &- 1
                    }
                    word += 1
                }
            }
        } else {
            starts.sort()
            starts.withUnsafeBufferPointer { starts in
                var i = 0
                while i < starts.count { add(starts[i]); i += 1 }
            }
        }
        if high >= 0 { result.append(low...high) }
        return result
    }

    /// Why the rule's examples (or `texts`) contradict its declared window (a match with no
    /// keyword within `keywordWindow` bytes of its start, or for `keyword_near` none within that
    /// many bytes of it either side), or nil.
    static func violation(of rule: Rule, in texts: [String]? = nil) -> String? {
        // A window without keywords is refused earlier (`RuleSet.compile`).
        guard let span = rule.keywordSpan else { return nil }
        let window = span.before
        let name = rule.keywordNear != nil ? "keyword_near" : "keyword_window"
        let scratch = MatchScratch(maxCaptures: rule.regex.captureCount)
        let keywords = rule.keywords.map { Array($0.utf8) }
        for text in texts ?? rule.examples {
            let bytes = Array(text.utf8)
            let lower = bytes.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
            var problem: String?
            _ = bytes.withUnsafeBytes { raw in
                rule.regex.forEachMatch(in: raw, scratch: scratch) { match, _ in
                    let held = keywords.contains { keyword in
                        if rule.keywordNear != nil {
                            let first = max(match.lowerBound - window, 0), last = min(match.lowerBound + span.after, bytes.count - keyword.count)
                            guard last >= first else { return false }
                            return (first...last).contains { Array(lower[$0..<($0 + keyword.count)]) == keyword }
                        }
                        let latest = min(match.lowerBound + window, match.upperBound - keyword.count)
                        guard latest >= match.lowerBound else { return false }
                        return (match.lowerBound...latest).contains { Array(lower[$0..<($0 + keyword.count)]) == keyword }
                    }
                    if !held && problem == nil {
                        let matched = String(decoding: bytes[match], as: UTF8.self)
                        problem = "'\(name)' is \(window) but \(texts == nil ? "its example" : "a text") matches '\(matched)' "
                            + "with no keyword that close to the match start"
                    }
                }
            }
            if let problem { return problem }
        }
        return nil
    }
}
