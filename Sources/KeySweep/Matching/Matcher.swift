import Foundation

/// A regex hit of one rule: where the match and its secret group lie in the scanned bytes.
struct Candidate {
    var rule: Int
    var match: Range<Int>
    var secret: Range<Int>
}

/// Runs a rule set over bytes: the keyword prefilter first, then the regex of each rule whose
/// keywords occur. One per worker thread (it owns the PCRE2 match data); knows nothing about
/// where the bytes came from or what a secret means.
///
/// No content can make a rule run for long: each rule's search of one content has a time budget
/// (`Budget`), checked between slices of start positions, and a rule that spends it stops there
/// and is reported (`takeLimitedRules`), as is one that hits PCRE2's match or depth limit.
final class Matcher {
    let rules: RuleSet
    private let scratch: MatchScratch
    private var triggered: [Bool]
    /// Rules that stopped early since the last `takeLimitedRules`, for the scan's warnings:
    /// their matches after that point are missing.
    private var limitedRules: [Limited] = []
    /// Rules whose keywords occurred in the last content matched (the detector's hints).
    private(set) var triggeredRules: [Int] = []

    /// Rules whose keyword offsets the prefilter records (those with a keyword window, and those
    /// the caller asked for), and the offsets found in the last content.
    private let recorded: [Bool]
    private let anyRecorded: Bool
    private var keywordStarts: [[Int]]
    let budget: Budget
    /// Each rule's context words, as indexes into `rules.contextWords` (empty: it has none), and
    /// which of them the last content held.
    private let contextOf: [[Int]]
    private var wordPresent: [Bool]

    /// A rule that stopped before the end of a content, and why.
    struct Limited: Hashable, Comparable {
        var rule: Int
        var reason: Reason
        enum Reason: String, Comparable {
            case pcreLimit = "gave up at PCRE2's match limit"
            case timeBudget = "ran out of its time budget"
            case tooManyMatches = "reached the most matches kept from one content"
            /// Whether the rule stopped searching (the rest of the content is unsearched).
            var stoppedEarly: Bool { self != .tooManyMatches }
            static func < (a: Reason, b: Reason) -> Bool { a.rawValue < b.rawValue }
        }
        static func < (a: Limited, b: Limited) -> Bool { (a.rule, a.reason) < (b.rule, b.reason) }
    }

    /// The time one rule may spend on one content: a floor plus a cost per byte about a hundred
    /// times what the slowest built-in rule spends on ordinary text. Read on the monotonic clock
    /// (no system call); the floor keeps a descheduled worker from tripping it.
    struct Budget {
        var floor: Double = 0.25
        var perByte: Double = 100e-9
        /// Added for each match found (a content of nothing but matches is not pathological).
        var perMatch: Double = 20e-6
        /// The most start positions searched in one PCRE2 call, between two looks at the clock
        /// (fewer while calls are slow: `Slice`).
        var slice = 16 << 10

        func seconds(for bytes: Int) -> Double { floor + perByte * Double(bytes) }
    }

    /// Searched subject past a wide window's last start position (`Regex.Search`): a bound
    /// far beyond any match of a windowed rule, so it changes no match.
    static func wideWindowTail(_ window: Int) -> Int { 4 * window + 4096 }

    /// Candidates one rule keeps from one content (`HoldLimits.matchesPerContent`); past it the
    /// rule searches on, counting (`takeOmitted`).
    let maxCandidates: Int

    /// `recording`: rules whose keyword offsets the caller reads afterwards (`keywordOffsets`).
    init(rules: RuleSet, recording: Set<Int> = [], budget: Budget = Budget(), maxCandidates: Int = HoldLimits().matchesPerContent) {
        self.rules = rules
        self.budget = budget
        self.maxCandidates = max(maxCandidates, 1)
        scratch = MatchScratch(maxCaptures: rules.maxCaptures)
        triggered = [Bool](repeating: false, count: rules.rules.count + rules.contextWords.count)
        recorded = rules.rules.indices.map { rules.rules[$0].keywordSpan != nil || recording.contains($0) }
            + Array(repeating: false, count: rules.contextWords.count)
        anyRecorded = recorded.contains(true)
        keywordStarts = Array(repeating: [], count: rules.rules.count + rules.contextWords.count)
        contextOf = rules.rules.map { $0.context.compactMap { rules.contextWordIndex[$0] } }
        wordPresent = Array(repeating: false, count: rules.contextWords.count)
    }

    /// Where the keywords of `rule` (a windowed rule or one named in `recording`) start in the
    /// last content matched, in no particular order.
    func keywordOffsets(of rule: Int) -> [Int] { keywordStarts[rule] }

    /// The rules that stopped early since the last call (each once per reason).
    func takeLimitedRules() -> [Limited] {
        defer { limitedRules.removeAll(keepingCapacity: true) }
        return limitedRules.isEmpty ? [] : Array(Set(limitedRules)).sorted()
    }

    /// Appends every candidate in `bytes` to `out`, rule by rule. Past `maxCandidates` of one
    /// rule, the rule keeps searching (its time budget still holds) so that every match is
    /// counted (`takeOmitted`); `judge` (the detector's verdict) lets a real secret found then
    /// take the place of a placeholder or a rejected candidate kept before it, so a file of
    /// decoys cannot hide the key after them.
    /// `words`: told which context words the content holds, found in the same pass as the
    /// keywords (a search of each over every content was a tenth of a text scan). With it, a
    /// rule none of whose context words the content holds is not searched: the detector would
    /// reject each of its candidates (`odbc-connection-string-password`, whose keywords include
    /// `password`, ran over every chunk of a text to find nothing).
    func candidates(in bytes: UnsafeRawBufferPointer, into out: inout [Candidate],
                    words: Detector.ContextWords? = nil,
                    judge: ((Candidate) -> Detector.Verdict)? = nil) {
        for index in triggeredRules where !keywordStarts[index].isEmpty { keywordStarts[index].removeAll(keepingCapacity: true) }
        triggeredRules.removeAll(keepingCapacity: true)
        var marked: Int
        if let known = prefilteredHits, known.base == bytes.baseAddress, known.count == bytes.count {
            marked = rules.prefilter.mark(known.hits, into: &triggered, recording: recorded, starts: &keywordStarts)
        } else {
            marked = anyRecorded
                ? rules.prefilter.mark(bytes, into: &triggered, recording: recorded, starts: &keywordStarts)
                : rules.prefilter.mark(bytes, into: &triggered)
        }
        let ruleCount = rules.rules.count
        for k in rules.contextWords.indices {
            let present = triggered[ruleCount + k]
            if present { triggered[ruleCount + k] = false; marked -= 1 }
            wordPresent[k] = present
        }
        words?.know(wordPresent, index: rules.contextWordIndex)
        guard marked > 0 else { return }
        let allowed = budget.seconds(for: bytes.count)
        for index in 0..<ruleCount where triggered[index] {
            triggered[index] = false
            triggeredRules.append(index)
            if words != nil, !contextOf[index].isEmpty, !contextOf[index].contains(where: { wordPresent[$0] }) { continue }
            let rule = rules.rules[index]
            // Each match found, and the time spent judging candidates past the cap, extend the
            // deadline: both are linear in the content, and a content dense with real matches
            // must not run out of a budget that is there for pathological patterns.
            var deadline = MonotonicClock.seconds() + allowed
            var stop: Limited.Reason?
            var kept = CandidateCap(first: out.count, limit: maxCandidates)
            var slice = Slice(largest: budget.slice)
            func add(_ match: Range<Int>, _ secret: Range<Int>?) {
                guard let secret, !secret.isEmpty else { return }
                deadline += budget.perMatch
                let judged = kept.judgeSeconds
                kept.add(Candidate(rule: index, match: match, secret: secret), to: &out, judge: judge)
                deadline += kept.judgeSeconds - judged
            }
            // A window whose keywords are dense enough to cover the content is searched whole
            // (the same matches, one call); a `keyword_near` scope is always kept.
            if let span = rule.keywordSpan, !keywordStarts[index].isEmpty,
               rule.keywordNear != nil || keywordStarts[index].count * (span.before + 1) < bytes.count {
                let window = span.before
                // Only start positions near the keywords (exact: see `KeywordWindow`), in slices
                // of start positions: keywords close together merge into one long range, and the
                // clock must be looked at inside it too.
                let tail = window > Regex.narrowWindow ? Matcher.wideWindowTail(window) : nil
                var cursor = 0
                ranges: for (number, range) in KeywordWindow.ranges(&keywordStarts[index], window: window, after: span.after,
                                                                                  join: rule.keywordNear != nil ? 0 : KeywordWindow.joinGap, length: bytes.count).enumerated()
                where range.upperBound >= cursor {
                    if number & 63 == 63, MonotonicClock.seconds() > deadline { stop = .timeBudget; break }
                    var low = max(range.lowerBound, cursor)
                    while low <= range.upperBound {
                        let high = min(range.upperBound, low + slice.size - 1)
                        slice.begin()
                        defer { slice.end() }
                        let complete = rule.regex.forEachMatch(in: bytes, from: low, startLimit: high,
                                                               end: tail.map { high + $0 }, scratch: scratch) { match, secret in
                            cursor = match.isEmpty ? match.upperBound + 1 : match.upperBound
                            add(match, secret)
                        }
                        if !complete { stop = .pcreLimit; break ranges }
                        low = max(high + 1, cursor)
                        if low <= range.upperBound, MonotonicClock.seconds() > deadline { stop = .timeBudget; break ranges }
                    }
                }
            } else {
                // In slices of start positions, so the clock is looked at between them.
                var start = 0
                while start <= bytes.count {
                    let limit = start + slice.size
                    slice.begin()
                    defer { slice.end() }
                    var next = limit + 1
                    let complete = rule.regex.forEachMatch(in: bytes, from: start, startLimit: limit, scratch: scratch) { match, secret in
                        next = max(next, match.isEmpty ? match.upperBound + 1 : match.upperBound)
                        add(match, secret)
                    }
                    if !complete { stop = .pcreLimit; break }
                    start = next
                    if start <= bytes.count, MonotonicClock.seconds() > deadline { stop = .timeBudget; break }
                }
            }
            if kept.omitted > 0 {
                omitted += kept.omitted
                limitedRules.append(Limited(rule: index, reason: .tooManyMatches))
            }
            if let stop { limitedRules.append(Limited(rule: index, reason: stop)) }
        }
    }

    /// Matches found past `maxCandidates` and not kept, since the last call.
    private var omitted = 0

    /// The keyword occurrences of a content found before it reached the matcher (`KeywordHits`),
    /// used instead of the prefilter's pass when exactly those bytes are matched (a content
    /// the scanner matches as it is: not a copy, not a decoding).
    private var prefilteredHits: (base: UnsafeRawPointer?, count: Int, hits: KeywordHits)?

    /// Uses `hits` for `bytes` until `forgetPrefiltered`.
    func prefiltered(_ hits: KeywordHits, for bytes: UnsafeRawBufferPointer) {
        prefilteredHits = (bytes.baseAddress, bytes.count, hits)
    }

    func forgetPrefiltered() { prefilteredHits = nil }

    func takeOmitted() -> Int {
        defer { omitted = 0 }
        return omitted
    }
}

/// How many start positions one PCRE2 call may try before the clock is looked at again: few at
/// first, doubled while calls are quick, halved when one is slow. A pattern that reads to the
/// end of the content from every start costs a whole content per position, so a fixed slice of
/// 16K positions let a 4 MB text run 40 s past a 0.65 s budget.
private struct Slice {
    let largest: Int
    // 1,024: most contents are smaller, so one call still searches them whole.
    private(set) var size = 1_024
    private var started = 0.0

    init(largest: Int) { self.largest = max(largest, 1) }

    mutating func begin() { started = MonotonicClock.seconds() }

    mutating func end() {
        let spent = MonotonicClock.seconds() - started
        if spent < 0.002 { size = min(size * 2, largest) } else if spent > 0.01 { size = max(size / 2, 1) }
    }
}

/// One rule's candidates in one content, kept up to a limit. Past it every further match is
/// counted, and a real secret replaces a kept candidate the detector would drop or call a
/// placeholder (found once, when the limit is first passed). Once every kept candidate is a
/// real secret, a further candidate is counted unjudged (one the detector would have
/// rejected is then counted too: an overcount, never a loss).
private struct CandidateCap {
    let first: Int
    let limit: Int
    private(set) var omitted = 0
    /// Time spent asking the detector, which the rule's budget does not count.
    private(set) var judgeSeconds = 0.0
    private var count = 0
    /// Kept candidates a real secret may replace: rejected ones first, then placeholders.
    private var rejected: [Int]?
    private var placeholders: [Int] = []

    init(first: Int, limit: Int) {
        self.first = first
        self.limit = limit
    }

    mutating func add(_ candidate: Candidate, to out: inout [Candidate], judge: ((Candidate) -> Detector.Verdict)?) {
        if count < limit {
            count += 1
            out.append(candidate)
            return
        }
        guard let judge else { omitted += 1; return }
        let started = MonotonicClock.seconds()
        defer { judgeSeconds += MonotonicClock.seconds() - started }
        if rejected == nil {
            var free: [Int] = []
            for slot in first..<out.count {
                switch judge(out[slot]) {
                case .rejected: free.append(slot)
                case .placeholder: placeholders.append(slot)
                case .secret: break
                }
            }
            rejected = free
        }
        // Every kept candidate is a real secret: nothing can be replaced, so the new one is
        // counted without being judged (judging each costs the rule's time budget).
        guard !rejected!.isEmpty || !placeholders.isEmpty else { omitted += 1; return }
        switch judge(candidate) {
        case .rejected: return
        case .placeholder: omitted += 1
        case .secret:
            if let slot = rejected!.popLast() {
                out[slot] = candidate
            } else if let slot = placeholders.popLast() {
                out[slot] = candidate
                omitted += 1
            }
        }
    }
}

/// A cheap clock for budgets (read through the vDSO, no system call).
enum MonotonicClock {
    static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
