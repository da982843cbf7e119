/// `keyword_window = N` (see `Rule.keywordWindow`): a rule whose every match holds one of its
/// keywords starting at most N bytes after the match start needs its regex tried only at start
/// positions from N bytes before each keyword occurrence up to the occurrence itself. The
/// search still sees the whole content (lookarounds and match ends are unchanged), so the
/// matches are exactly those of a search over everything, at a fraction of the cost for rules
/// whose patterns cannot be started cheaply (`[A-Za-z0-9_.-]{0,40}secret…`).
enum KeywordWindow {
    /// Merged ranges of allowed start positions, ascending, for keyword occurrences starting at
    /// `starts` (any order, duplicates allowed).
    static func ranges(_ starts: inout [Int], window: Int) -> [ClosedRange<Int>] {
        starts.sort()
        var result: [ClosedRange<Int>] = []
        for start in starts {
            let low = max(start - window, 0)
            if let last = result.last, low <= last.upperBound + 1 {
                result[result.count - 1] = last.lowerBound...max(last.upperBound, start)
            } else {
                result.append(low...start)
            }
        }
        return result
    }

    /// Why the rule's examples contradict its declared window (a match with no keyword within
    /// `keywordWindow` bytes of its start), or nil.
    static func violation(of rule: Rule) -> String? {
        guard let window = rule.keywordWindow else { return nil }
        if rule.keywords.isEmpty { return "'keyword_window' needs keywords" }
        let scratch = MatchScratch(maxCaptures: rule.regex.captureCount)
        let keywords = rule.keywords.map { Array($0.utf8) }
        for example in rule.examples {
            let bytes = Array(example.utf8)
            let lower = bytes.map { ($0 >= 65 && $0 <= 90) ? $0 + 32 : $0 }
            var problem: String?
            _ = bytes.withUnsafeBytes { raw in
                rule.regex.forEachMatch(in: raw, scratch: scratch) { match, _ in
                    let held = keywords.contains { keyword in
                        let latest = min(match.lowerBound + window, match.upperBound - keyword.count)
                        guard latest >= match.lowerBound else { return false }
                        return (match.lowerBound...latest).contains { Array(lower[$0..<($0 + keyword.count)]) == keyword }
                    }
                    if !held { problem = "'keyword_window' is \(window) but its example '\(example)' matches with no keyword that close to the match start" }
                }
            }
            if let problem { return problem }
        }
        return nil
    }
}
