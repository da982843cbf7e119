import Foundation

/// Search and comparison on bytes: substrings (memmem), byte counts, common prefixes and suffixes.
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

    /// How many times `byte` occurs in `bytes[range]`: 32 bytes at a time in vector registers
    /// (newlines are dense in text, so one memchr call per line costs more than the counting;
    /// counting lines took 6% of a large text scan eight bytes at a time).
    static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        guard let base = bytes.baseAddress, !range.isEmpty else { return 0 }
        let raw = UnsafeRawPointer(base)
        let splat = SIMD32<UInt8>(repeating: byte)
        var n = 0
        var i = range.lowerBound
        while i + 32 <= range.upperBound {
            // Per-lane counts in bytes: at most 127 blocks before they are summed.
            var lanes = SIMD32<Int8>()
            let blocks = min((range.upperBound - i) / 32, 127)
            for _ in 0..<blocks {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A true lane of the mask is all ones: -1.
                lanes &-= unsafeBitCast(v .== splat, to: SIMD32<Int8>.self)
                i &+= 32
            }
            n &+= Int(SIMD32<Int16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < range.upperBound {
            if base[i] == byte { n &+= 1 }
            i &+= 1
        }
        return n
    }

    /// Length of the bytes `a` and `b` start with in common, compared eight at a time.
    static func commonPrefix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(pa + i).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(pb + i).loadUnaligned(as: UInt64.self)
            if x != 0 { return i + (UInt64(littleEndian: x).trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < n && pa[i] == pb[i] { i += 1 }
        return i
    }

    /// Length of the bytes `a` and `b` end with in common, compared eight at a time.
    static func commonSuffix(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        let ea = pa + a.count, eb = pb + b.count
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(ea - i - 8).loadUnaligned(as: UInt64.self) ^ UnsafeRawPointer(eb - i - 8).loadUnaligned(as: UInt64.self)
            if x != 0 { return i + (UInt64(bigEndian: x).trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < n && ea[-i - 1] == eb[-i - 1] { i += 1 }
        return i
    }
}
