/// A regex hit of one rule: where the match and its secret group lie in the scanned bytes.
struct Candidate {
    var rule: Int
    var match: Range<Int>
    var secret: Range<Int>
}

/// Runs a rule set over bytes: the keyword prefilter first, then the regex of each rule whose
/// keywords occur. One per worker thread (it owns the PCRE2 match data); knows nothing about
/// where the bytes came from or what a secret means.
final class Matcher {
    let rules: RuleSet
    private let scratch: MatchScratch
    private var triggered: [Bool]
    /// Rules that stopped early on a PCRE2 limit since the last `takeLimitedRules`, for the
    /// scan's warnings: their matches after that point are missing.
    private var limitedRules: [Int] = []
    /// Rules whose keywords occurred in the last content matched (the detector's hints).
    private(set) var triggeredRules: [Int] = []

    /// Rules whose keyword offsets the prefilter records (those with a keyword window, and those
    /// the caller asked for), and the offsets found in the last content.
    private let recorded: [Bool]
    private let anyRecorded: Bool
    private var keywordStarts: [[Int]]

    /// `recording`: rules whose keyword offsets the caller reads afterwards (`keywordOffsets`).
    init(rules: RuleSet, recording: Set<Int> = []) {
        self.rules = rules
        scratch = MatchScratch(maxCaptures: rules.maxCaptures)
        triggered = [Bool](repeating: false, count: rules.rules.count)
        recorded = rules.rules.indices.map { rules.rules[$0].keywordWindow != nil || recording.contains($0) }
        anyRecorded = recorded.contains(true)
        keywordStarts = Array(repeating: [], count: rules.rules.count)
    }

    /// Where the keywords of `rule` (a windowed rule or one named in `recording`) start in the
    /// last content matched, in no particular order.
    func keywordOffsets(of rule: Int) -> [Int] { keywordStarts[rule] }

    /// The rules that gave up on a PCRE2 limit since the last call (each once).
    func takeLimitedRules() -> [Int] {
        defer { limitedRules.removeAll(keepingCapacity: true) }
        return limitedRules.isEmpty ? [] : Array(Set(limitedRules)).sorted()
    }

    /// Appends every candidate in `bytes` to `out`, rule by rule.
    func candidates(in bytes: UnsafeRawBufferPointer, into out: inout [Candidate]) {
        for index in triggeredRules where !keywordStarts[index].isEmpty { keywordStarts[index].removeAll(keepingCapacity: true) }
        triggeredRules.removeAll(keepingCapacity: true)
        let marked = anyRecorded
            ? rules.prefilter.mark(bytes, into: &triggered, recording: recorded, starts: &keywordStarts)
            : rules.prefilter.mark(bytes, into: &triggered)
        guard marked > 0 else { return }
        for index in triggered.indices where triggered[index] {
            triggered[index] = false
            triggeredRules.append(index)
            let rule = rules.rules[index]
            var complete = true
            if let window = rule.keywordWindow, !keywordStarts[index].isEmpty,
               keywordStarts[index].count * (window + 1) < bytes.count {
                // Only start positions near the keywords (exact: see `KeywordWindow`).
                var cursor = 0
                for range in KeywordWindow.ranges(&keywordStarts[index], window: window) where range.upperBound >= cursor {
                    complete = rule.regex.forEachMatch(in: bytes, from: max(range.lowerBound, cursor), startLimit: range.upperBound,
                                                       scratch: scratch) { match, secret in
                        cursor = match.isEmpty ? match.upperBound + 1 : match.upperBound
                        guard let secret, !secret.isEmpty else { return }
                        out.append(Candidate(rule: index, match: match, secret: secret))
                    } && complete
                }
            } else {
                complete = rule.regex.forEachMatch(in: bytes, scratch: scratch) { match, secret in
                    guard let secret, !secret.isEmpty else { return }
                    out.append(Candidate(rule: index, match: match, secret: secret))
                }
            }
            if !complete { limitedRules.append(index) }
        }
    }
}
