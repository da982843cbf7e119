/// The header of one entry of a pack file (git's pack format, `gitformat-pack`): the entry's
/// type, its inflated size, how many header bytes precede its zlib data and, for a delta, where
/// its base is. The one place pack entry headers are parsed.
struct PackEntryHeader {
    /// Entry types as pack headers number them (5 is reserved).
    static let commit: UInt8 = 1, tree: UInt8 = 2, blob: UInt8 = 3, tag: UInt8 = 4
    static let offsetDelta: UInt8 = 6, referenceDelta: UInt8 = 7

    /// Where a delta's base is.
    enum Base {
        case none
        /// At this offset in the same pack (an `OFS_DELTA`).
        case offset(UInt64)
        /// The object with this id (a `REF_DELTA`), in this pack or elsewhere.
        case reference(ObjectID)
    }

    let type: UInt8
    /// The inflated size: of the object, or of a delta's instructions.
    let size: UInt64
    let base: Base
    /// Header bytes before the zlib data.
    let length: Int

    /// Longest header: a size of 64 bits (10 bytes) and a 20-byte reference base.
    static let maxLength = 32

    /// The header of the entry at `offset`, from `b`, its first bytes; nil when they are damaged
    /// (a size or distance past 64 bits, a base before the pack's start, too few bytes).
    init?(_ b: UnsafeBufferPointer<UInt8>, at offset: UInt64) {
        guard !b.isEmpty else { return nil }
        var i = 0
        var c = b[i]; i += 1
        type = (c >> 4) & 7
        var size = UInt64(c & 0x0F)
        var shift: UInt64 = 4
        while c & 0x80 != 0 {
            guard i < b.count, shift < 64 else { return nil }
            c = b[i]; i += 1
            size |= UInt64(c & 0x7F) << shift
            shift += 7
        }
        self.size = size
        switch type {
        case Self.offsetDelta:
            guard i < b.count else { return nil }
            c = b[i]; i += 1
            var distance = UInt64(c & 0x7F)
            while c & 0x80 != 0 {
                // A distance past 64 bits is damage (git's check), not an overflow trap.
                guard i < b.count, distance < (1 << 57) - 1 else { return nil }
                c = b[i]; i += 1; distance = ((distance + 1) << 7) | UInt64(c & 0x7F)
            }
            guard distance > 0, distance <= offset else { return nil }
            base = .offset(offset - distance)
        case Self.referenceDelta:
            guard i + 20 <= b.count else { return nil }
            base = .reference(ObjectID(rawBytes: UnsafeRawPointer(b.baseAddress! + i)))
            i += 20
        default:
            base = .none
        }
        length = i
    }
}
