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

    /// How many times `byte` occurs in `bytes[range]`: eight bytes at a time (newlines are
    /// dense in text, so one memchr call per line costs more than the counting).
    static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
        let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var n = 0
        var i = range.lowerBound
        let raw = UnsafeRawPointer(base)
        while i + 8 <= range.upperBound {
            let x = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ pattern
            // High bit set in each byte of x that is zero (exact, no carries between bytes).
            let zeros = ~(((x & low7) &+ low7) | x | low7)
            // One bit per matching byte, summed into the top byte by a multiply (no popcnt
            // instruction in the x86-64 baseline: nonzeroBitCount would be a software loop).
            n &+= Int(((zeros >> 7) &* 0x0101_0101_0101_0101) >> 56)
            i &+= 8
        }
        while i < range.upperBound {
            if base[i] == byte { n &+= 1 }
            i &+= 1
        }
        return n
    }
}
