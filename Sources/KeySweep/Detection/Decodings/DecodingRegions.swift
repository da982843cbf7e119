import Foundation

/// The parts of a content worth decoding: whole lines around keyword offsets. A keyword such as
/// `asia` or `secret` occurs all over large source files; decoding (and rescanning) only the
/// lines near each occurrence keeps the cost of decodings proportional to the keywords, not to
/// the content (a whole 8 MiB chunk decoded three ways cost six times the plain scan).
enum DecodingRegions {
    /// Bytes taken on each side of a keyword before widening to whole lines: room for the other
    /// half of a credential (a secret a few lines from its id, an auth value after `auths`).
    static let radius = 4096
    /// How far a region may widen to reach a line break (long lines: minified JSON, base64).
    static let lineReach = 65536

    /// Merged regions around `offsets` (any order), ascending, each starting at a line start
    /// (or `lineReach` before the window) and ending after a line break (or `lineReach` after).
    /// Line numbers are left to the caller (`LineCounter`), for the rare region with a match:
    /// counting the lines up to each region cost a tenth of a large text scan.
    static func around(_ offsets: [Int], in text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !offsets.isEmpty else { return [] }
        let count = text.count
        var spans: [Range<Int>] = []
        for offset in offsets.sorted() {
            let windowEnd = min(count, offset + radius)
            if let last = spans.last, max(0, offset - radius) <= last.upperBound {
                // Overlaps the region before (keywords come in clusters): widen it, if at all.
                if windowEnd > last.upperBound {
                    spans[spans.count - 1] = last.lowerBound..<lineEnd(after: windowEnd, in: text)
                }
                continue
            }
            spans.append(lineStart(before: max(0, offset - radius), in: text)..<lineEnd(after: windowEnd, in: text))
        }
        return spans
    }

    private static func lineStart(before position: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        var i = position
        let limit = max(0, position - lineReach)
        while i > limit && text[i - 1] != 0x0A { i -= 1 }
        return i
    }

    private static func lineEnd(after position: Int, in text: UnsafeBufferPointer<UInt8>) -> Int {
        guard position < text.count, let base = text.baseAddress else { return text.count }
        let reach = min(text.count - position, lineReach)
        guard let hit = memchr(base + position, 0x0A, reach) else { return position + reach }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
    }
}
