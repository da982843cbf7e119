/// Git's delta format (`gitformat-pack`, "Deltified representation"): the base's size, the
/// result's size, then instructions that copy a range of the base or insert literal bytes.
/// Everything is checked against the sizes: a crafted delta yields nil, never a read or write
/// out of bounds.
enum PackDelta {
    /// A range of the result copied from the base: what a reader of the result can carry over
    /// from what it learnt of the base.
    struct Copy: Equatable {
        var target: Int
        var source: Int
        var length: Int
    }

    /// The object `delta` makes of `base`, when it is sound and no larger than `maxSize`.
    static func apply(_ delta: [UInt8], to base: [UInt8], maxSize: Int) -> [UInt8]? {
        var copies: [Copy]?
        return apply(delta, to: base, maxSize: maxSize, copies: &copies)
    }

    /// The same; `copies`, when not nil, receives the ranges copied from the base, in order
    /// (the rest of the result is inserted bytes).
    static func apply(_ delta: [UInt8], to base: [UInt8], maxSize: Int, copies: inout [Copy]?) -> [UInt8]? {
        delta.withUnsafeBufferPointer { d -> [UInt8]? in
            var i = 0
            guard let sourceSize = varint(d, &i), sourceSize == UInt64(base.count),
                  let targetSize = varint(d, &i), targetSize <= UInt64(maxSize) else { return nil }
            let size = Int(targetSize)
            var sound = true
            let result = base.withUnsafeBufferPointer { b in
                [UInt8](unsafeUninitializedCapacity: max(size, 1)) { out, written in
                    var n = 0
                    while i < d.count {
                        let op = d[i]; i += 1
                        if op & 0x80 != 0 {
                            var offset = 0, length = 0
                            for bit in 0..<4 where op & (1 << bit) != 0 {
                                guard i < d.count else { sound = false; break }
                                offset |= Int(d[i]) << (8 * bit); i += 1
                            }
                            for bit in 0..<3 where op & (0x10 << bit) != 0 {
                                guard i < d.count else { sound = false; break }
                                length |= Int(d[i]) << (8 * bit); i += 1
                            }
                            if length == 0 { length = 0x10000 }
                            guard sound, offset + length <= b.count, n + length <= size else { sound = false; break }
                            (out.baseAddress! + n).update(from: b.baseAddress! + offset, count: length)
                            copies?.append(Copy(target: n, source: offset, length: length))
                            n += length
                        } else if op != 0 {
                            let length = Int(op)
                            guard i + length <= d.count, n + length <= size else { sound = false; break }
                            (out.baseAddress! + n).update(from: d.baseAddress! + i, count: length)
                            i += length; n += length
                        } else {
                            sound = false   // 0 is reserved
                            break
                        }
                    }
                    if n != size { sound = false }
                    written = sound ? n : 0
                }
            }
            return sound ? result : nil
        }
    }

    /// A size: 7 bits a byte, least significant first.
    private static func varint(_ d: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt64? {
        var value: UInt64 = 0, shift: UInt64 = 0
        while i < d.count {
            let c = d[i]; i += 1
            guard shift < 64 else { return nil }
            value |= UInt64(c & 0x7F) << shift
            shift += 7
            if c & 0x80 == 0 { return value }
        }
        return nil
    }
}
