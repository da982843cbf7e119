import Foundation

/// Substring search on bytes (memmem).
enum ByteSearch {
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack, from: 0) != nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = haystack.baseAddress, start < haystack.count, !needle.isEmpty else { return nil }
        // memchr for the first byte, memcmp for the rest (glibc's memmem is not visible to Swift).
        let first = Int32(needle[0])
        let last = haystack.count - needle.count
        var position = start
        return needle.withUnsafeBytes { n -> Int? in
            while position <= last {
                guard let hit = memchr(base + position, first, last - position + 1) else { return nil }
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + index, n.baseAddress!, n.count) == 0 { return index }
                position = index + 1
            }
            return nil
        }
    }

    /// How many times `byte` occurs in `bytes[range]` (memchr: lines are counted at memory speed).
    static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
        var n = 0, position = range.lowerBound
        while position < range.upperBound, let hit = memchr(base + position, Int32(byte), range.upperBound - position) {
            n += 1
            position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return n
    }
}
