/// Every keyword occurrence in one content (of a rule's keywords or a context word), ordered
/// by where it starts: what the prefilter's pass over the content finds (`KeywordPrefilter`).
///
/// Kept for a blob whose deltas are read next (`PackBlobReader`): an occurrence wholly inside a
/// range a delta copies is an occurrence of the delta's result at the copied place, so the
/// result's occurrences are those carried over plus those found by scanning only its inserted
/// bytes and the joins between copies, each widened by the longest keyword less one byte but
/// not past a byte that is in no keyword. That is every occurrence, exactly: one not wholly
/// inside a copy touches an inserted byte or spans a join, and holds only keyword bytes. The matcher then searches the result as if it had made the pass itself
/// (`Matcher.prefiltered`), at a cost that follows what the delta adds.
struct KeywordHits: Sendable {
    struct Hit: Equatable, Sendable {
        var start: Int32
        /// One past the last byte.
        var end: Int32
        /// The rule, or the context word (`RuleSet.contextWords`) after the rules.
        var rule: Int32
    }

    private(set) var hits: [Hit]

    /// Most occurrences kept per byte of content: denser content (a keyword repeated end to
    /// end) is not carried over; its deltas and the matcher make their own pass.
    static let maxPerByte = 0.25

    /// The occurrences in `bytes`, by a full pass; nil when too dense to keep.
    static func scan(_ bytes: UnsafeRawBufferPointer, _ prefilter: KeywordPrefilter, density: Double = maxPerByte) -> KeywordHits? {
        var hits: [Hit] = []
        let limit = Self.limit(bytes.count, density)
        prefilter.hits(in: bytes, [0..<bytes.count], into: &hits, limit: limit)
        guard hits.count <= limit else { return nil }
        hits.sort(by: before)
        return Self.bounded(hits, count: bytes.count, density: density)
    }

    /// The occurrences in `target`, which a delta made of the content these are the
    /// occurrences of, copying `copies` (in target order) and inserting the rest.
    func following(_ copies: [PackDelta.Copy], in target: UnsafeRawBufferPointer, _ prefilter: KeywordPrefilter,
                   density: Double = maxPerByte) -> KeywordHits? {
        let reach = max(prefilter.longestKeyword - 1, 0)
        let count = target.count
        // Given up as soon as there are too many: a delta copying one dense stretch many times
        // must not build a list it would then drop.
        let limit = Self.limit(count, density)
        // Carried: each copy's occurrences lying wholly inside what it copies. They come out in
        // target order (the copies are, and each copy's in the base's), so no sort is needed.
        var found: [Hit] = []
        let complete = hits.withUnsafeBufferPointer { base -> Bool in
            guard !base.isEmpty else { return true }
            for copy in copies {
                let sourceEnd = copy.source + copy.length, shift = Int32(truncatingIfNeeded: copy.target - copy.source)
                var i = Self.firstStarting(atOrAfter: copy.source, in: base)
                while i < base.count, Int(base[i].start) < sourceEnd {
                    let hit = base[i]
                    if Int(hit.end) <= sourceEnd { found.append(Hit(start: hit.start &+ shift, end: hit.end &+ shift, rule: hit.rule)) }
                    i += 1
                }
                if found.count > limit { return false }
            }
            return true
        }
        guard complete else { return nil }
        // Scanned: the inserted ranges and the joins between copies, widened by `reach`, and
        // no further than a byte no keyword holds (source code's copies are short, and break
        // mostly at such bytes: a newline, a parenthesis).
        var regions: [Range<Int>] = []
        let text = target.bindMemory(to: UInt8.self)
        func add(_ low: Int, _ high: Int) {
            var from = low, to = high
            while from > max(low - reach, 0), prefilter.inKeyword(text[from - 1]) { from -= 1 }
            while to < min(high + reach, count), prefilter.inKeyword(text[to]) { to += 1 }
            let range = from..<to
            guard !range.isEmpty else { return }
            if let last = regions.last, range.lowerBound <= last.upperBound {
                regions[regions.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                regions.append(range)
            }
        }
        var position = 0
        for copy in copies {
            if copy.target > position { add(position, copy.target) }          // inserted bytes
            else if copy.target > 0 { add(copy.target, copy.target) }          // a join of two copies
            position = copy.target + copy.length
        }
        if position < count || copies.isEmpty { add(position, count) }
        var scanned: [Hit] = []
        prefilter.hits(in: target, regions, into: &scanned, limit: limit)
        guard scanned.count <= limit else { return nil }
        // Those wholly inside one copy were carried already; the rest are merged in.
        scanned.removeAll { Self.inOneCopy($0, copies) }
        guard !scanned.isEmpty else { return Self.bounded(found, count: count, density: density) }
        scanned.sort(by: Self.before)
        var merged: [Hit] = []
        merged.reserveCapacity(found.count + scanned.count)
        var i = 0, j = 0
        while i < found.count, j < scanned.count {
            if Self.before(scanned[j], found[i]) { merged.append(scanned[j]); j += 1 } else { merged.append(found[i]); i += 1 }
        }
        merged.append(contentsOf: found[i...])
        merged.append(contentsOf: scanned[j...])
        return Self.bounded(merged, count: count, density: density)
    }

    private static func bounded(_ hits: [Hit], count: Int, density: Double) -> KeywordHits? {
        hits.count <= limit(count, density) ? KeywordHits(hits: hits) : nil
    }

    /// Most occurrences kept for `count` bytes.
    static func limit(_ count: Int, _ density: Double) -> Int { max(Int(min(Double(count) * density, 1e9)), 64) }

    /// The order occurrences are kept in.
    private static func before(_ a: Hit, _ b: Hit) -> Bool { (a.start, a.end, a.rule) < (b.start, b.end, b.rule) }

    /// The first of `hits` starting at or after `offset`.
    private static func firstStarting(atOrAfter offset: Int, in hits: UnsafeBufferPointer<Hit>) -> Int {
        var low = 0, high = hits.count
        while low < high {
            let middle = (low + high) / 2
            if Int(hits[middle].start) < offset { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Whether `hit` lies wholly inside one copy (copies are in target order).
    private static func inOneCopy(_ hit: Hit, _ copies: [PackDelta.Copy]) -> Bool {
        var low = 0, high = copies.count
        while low < high {
            let middle = (low + high) / 2
            if copies[middle].target + copies[middle].length <= Int(hit.start) { low = middle + 1 } else { high = middle }
        }
        guard low < copies.count else { return false }
        let copy = copies[low]
        return copy.target <= Int(hit.start) && Int(hit.end) <= copy.target + copy.length
    }
}
