/// Base64 for the checks and the decodings: standard and URL-safe alphabets, padding optional.
enum Base64 {
    /// Each byte's value in either alphabet (`+/` standard, `-_` URL-safe), or -1.
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8.enumerated() {
            table[Int(c)] = Int8(i)
        }
        table[Int(UInt8(ascii: "-"))] = 62
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Whether each byte is in the standard alphabet (`A-Za-z0-9+/`), for finding encoded runs
    /// in text (the URL-safe `-` and `_` would join identifiers into runs).
    static let standard: [Bool] = (0...255).map { b in values[b] >= 0 && b != Int(UInt8(ascii: "-")) && b != Int(UInt8(ascii: "_")) }

    /// The decoded bytes; nil for a character outside both alphabets, data after padding, or a
    /// length no encoding has.
    static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        // The table is bound once: a static read inside the loop is a lazy-global check per byte.
        values.withUnsafeBufferPointer { values in
            var out: [UInt8] = []
            out.reserveCapacity(text.count * 3 / 4)
            var buffer: UInt32 = 0
            var bits = 0
            var padding = 0
            for c in text {
                if c == UInt8(ascii: "=") { padding += 1; continue }
                guard padding == 0 else { return nil }
                let v = values[Int(c)]
                guard v >= 0 else { return nil }
                buffer = buffer << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
                }
            }
            guard padding <= 2, bits < 6 else { return nil }
            return out
        }
    }
}
