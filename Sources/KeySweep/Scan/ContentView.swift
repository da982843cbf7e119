import Foundation

/// The bytes the matcher reads, when they differ from the content's: terminal escape sequences
/// (`ESC [ 0 m` before a key in a coloured log line) are overwritten with spaces, so the `m` of
/// `[0m` cannot glue onto a token and defeat a rule's left boundary; in NUL-separated text
/// (`/proc/PID/environ`, `env -0`, `find -print0`) each NUL becomes a newline, one entry a line.
/// Every byte keeps its offset and spaces add no line, so what is reported points into the
/// content as written. Costs a copy only when the content holds an ESC or is NUL-separated,
/// into storage kept from one content to the next (one view per worker: `ContentScanner`).
struct ContentView {
    static let escape: UInt8 = 0x1B

    /// Storage larger than this is let go after its content: a worker keeps one chunk's worth
    /// (`Chunking`), not the largest content it ever read.
    static let keptCapacity = 4 << 20

    /// The last copy. A fresh array per content cost a page fault and a zeroed page every
    /// 4 KiB (the ESC-holding chunks of a 156 MB text: a third of its page faults).
    private var storage: [UInt8] = []

    /// The storage kept for the next copy.
    var storageCapacity: Int { storage.capacity }

    /// Calls `body` with the view of `bytes`: the bytes themselves, or the copy.
    mutating func read<Result>(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return body(bytes) }
        let separated = NULSeparatedText.matches(bytes)
        guard separated || memchr(base, Int32(Self.escape), bytes.count) != nil else { return body(bytes) }
        defer { if storage.capacity > Self.keptCapacity { storage = [] } }
        storage.removeAll(keepingCapacity: true)
        storage.append(contentsOf: bytes.assumingMemoryBound(to: UInt8.self))
        if separated { for i in storage.indices where storage[i] == 0 { storage[i] = 0x0A } }
        Self.blankEscapes(&storage)
        return storage.withUnsafeBytes(body)
    }

    /// Overwrites each escape sequence with spaces: CSI (`ESC [`, parameter and intermediate
    /// bytes, one final byte), OSC (`ESC ]` up to BEL or `ESC \`, on one line) and two-byte
    /// escapes (`ESC (`, `ESC =`). A newline ends any sequence unfinished, so lines stay.
    static func blankEscapes(_ b: inout [UInt8]) {
        let n = b.count
        var i = 0
        while i < n {
            // The next ESC, found by memchr: most of a content has none.
            let next = b.withUnsafeBufferPointer { buffer -> Int in
                guard let found = memchr(buffer.baseAddress! + i, Int32(escape), n - i) else { return n }
                return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            i = next
            guard i + 1 < n else { break }
            var end = i + 2      // one past the sequence
            switch b[i + 1] {
            case UInt8(ascii: "["):
                while end < n, (0x20...0x3F).contains(b[end]) { end += 1 }
                if end < n, (0x40...0x7E).contains(b[end]) { end += 1 }
            case UInt8(ascii: "]"):
                while end < n, b[end] != 0x07, b[end] != 0x0A, b[end] != escape { end += 1 }
                if end < n, b[end] == 0x07 { end += 1 }
                else if end + 1 < n, b[end] == escape, b[end + 1] == UInt8(ascii: "\\") { end += 2 }
            case 0x20...0x2F:    // a character-set designation: one more byte
                if end < n, b[end] != 0x0A { end += 1 }
            case 0x0A:
                end = i + 1
            default: break
            }
            for k in i..<end { b[k] = 0x20 }
            i = end
        }
    }
}

/// Text whose entries are separated by single NUL bytes (`/proc/PID/environ`, `env -0`): git's
/// binary test calls it binary, but every other byte is text. UTF-16 (a NUL every other byte)
/// and binaries (other control bytes, NUL runs) are not it.
enum NULSeparatedText {
    /// Entries shorter than this around a NUL mean UTF-16 or a table, not text.
    static let minimumEntry = 2

    static func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil else { return false }
        let p = base.assumingMemoryBound(to: UInt8.self), count = bytes.count
        // A binary mostly shows a control byte in its first bytes: those are read first.
        let head = min(count, 4096)
        guard onlyTextOrNUL(p, head) else { return false }
        // Then the entries' lengths, NUL to NUL with memchr: text that merely holds some UTF-16
        // (a test file in git's sources) is turned down at its second NUL, before the bytes up
        // to it are read. (Reading each byte up to the first NUL cost a 156 MB text 7%.)
        var start = 0
        while start < count, let found = memchr(p + start, 0, count - start) {
            let end = p.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if end - start < minimumEntry { return false }
            start = end + 1
        }
        return onlyTextOrNUL(p + head, count - head)
    }

    /// Whether every byte is NUL or may sit in an entry: tab, newline, carriage return, ESC,
    /// printable ASCII, any byte of 0x80 and up (UTF-8). 32 bytes at a time, counting the
    /// control bytes and taking away the allowed ones. Only `.==`, `&+` and `&-` on the
    /// vectors and a signed `.<`: Swift runs `&` and an unsigned `.<` on SIMD32<UInt8> a lane
    /// at a time, a hundred times slower.
    static func onlyTextOrNUL(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let raw = UnsafeRawPointer(p)
        // Plus 0x80, the control bytes 0x00-0x1F are the signed bytes below -96.
        let bias = SIMD32<UInt8>(repeating: 0x80), controlBelow = SIMD32<Int8>(repeating: -96)
        let nul = SIMD32<UInt8>(repeating: 0), tab = SIMD32<UInt8>(repeating: 0x09), newline = SIMD32<UInt8>(repeating: 0x0A)
        let carriageReturn = SIMD32<UInt8>(repeating: 0x0D), escape = SIMD32<UInt8>(repeating: 0x1B)
        let delete = SIMD32<UInt8>(repeating: 0x7F)
        var i = 0
        while i + 32 <= count {
            // Per lane, the bytes that are not allowed: at most 127 blocks before they are summed.
            var lanes = SIMD32<Int8>()
            let blocks = min((count - i) / 32, 127)
            for _ in 0..<blocks {
                let v = raw.loadUnaligned(fromByteOffset: i, as: SIMD32<UInt8>.self)
                // A true lane of a mask is -1.
                lanes &-= unsafeBitCast(unsafeBitCast(v &+ bias, to: SIMD32<Int8>.self) .< controlBelow, to: SIMD32<Int8>.self)
                lanes &+= unsafeBitCast(v .== nul, to: SIMD32<Int8>.self)
                lanes &+= unsafeBitCast(v .== tab, to: SIMD32<Int8>.self)
                lanes &+= unsafeBitCast(v .== newline, to: SIMD32<Int8>.self)
                lanes &+= unsafeBitCast(v .== carriageReturn, to: SIMD32<Int8>.self)
                lanes &+= unsafeBitCast(v .== escape, to: SIMD32<Int8>.self)
                lanes &-= unsafeBitCast(v .== delete, to: SIMD32<Int8>.self)
                i &+= 32
            }
            if SIMD32<Int16>(truncatingIfNeeded: lanes).wrappedSum() != 0 { return false }
        }
        while i < count {
            let b = p[i]
            if b == 0x7F || (b < 0x20 && b != 0 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x1B) { return false }
            i += 1
        }
        return true
    }
}
