/// The strings of a binary property list (`bplist00`: macOS and iOS preferences, `.plist` in
/// app bundles), read through its offset table: each dictionary entry whose key and value are
/// strings is written `key = value` on a line (so a rule that wants its keyword before the
/// value finds it), every other string on a line of its own. Strings are stored as ASCII or
/// UTF-16BE, which a search for printable runs misses or splits. Anything out of bounds ends
/// the reading (what was read stays); the text is at most `outputFactor` times the input.
enum BinaryPlist {
    static let magic = Array("bplist00".utf8)
    static let outputFactor = 2

    static func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= magic.count + 32 && zip(bytes.prefix(magic.count), magic).allSatisfy { $0 == $1 }
    }

    static func text(of bytes: UnsafeRawBufferPointer) -> [UInt8] {
        guard matches(bytes), let reader = Reader(bytes) else { return [] }
        let limit = outputFactor * bytes.count
        // Dictionary entries looked at: many offsets may name one large dictionary.
        var budget = 4 * bytes.count
        var out: [UInt8] = []
        var paired = Set<Int>()
        for object in 0..<reader.count where out.count < limit && budget > 0 {
            guard let (keys, values) = reader.dictionary(object) else { continue }
            budget -= keys.count + 1
            for (key, value) in zip(keys, values) where out.count < limit {
                // Both checked to be strings before either is copied.
                guard reader.isString(key), reader.isString(value), let k = reader.string(key), let v = reader.string(value) else { continue }
                out += k + Array(" = ".utf8) + v + [0x0A]
                paired.insert(key)
                paired.insert(value)
            }
        }
        for object in 0..<reader.count where out.count < limit && !paired.contains(object) {
            guard let s = reader.string(object), s.count >= BinaryStrings.minimumRun else { continue }
            out += s + [0x0A]
        }
        return out
    }

    /// The trailer, offset table and objects, every read bounds-checked.
    private struct Reader {
        let b: UnsafeBufferPointer<UInt8>
        let offsetSize: Int, refSize: Int, count: Int, table: Int

        init?(_ bytes: UnsafeRawBufferPointer) {
            b = bytes.bindMemory(to: UInt8.self)
            let t = b.count - 32
            offsetSize = Int(b[t + 6])
            refSize = Int(b[t + 7])
            guard (1...8).contains(offsetSize), (1...8).contains(refSize) else { return nil }
            let objects = Reader.uint(b, t + 8, 8), tableAt = Reader.uint(b, t + 24, 8)
            guard let objects, let tableAt, tableAt >= 8, tableAt < UInt64(t),
                  objects <= UInt64((t - Int(tableAt)) / offsetSize) else { return nil }
            count = Int(objects)
            table = Int(tableAt)
        }

        /// A big-endian unsigned integer of `size` bytes at `at`, nil past the end.
        static func uint(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ size: Int) -> UInt64? {
            guard at >= 0, size <= 8, at + size <= b.count else { return nil }
            var v: UInt64 = 0
            for i in at..<(at + size) { v = v << 8 | UInt64(b[i]) }
            return v
        }

        func offset(of object: Int) -> Int? {
            guard object >= 0, object < count, let at = Reader.uint(b, table + object * offsetSize, offsetSize),
                  at < UInt64(table) else { return nil }
            return Int(at)
        }

        /// The marker's type, its count and where its content starts.
        func header(_ object: Int) -> (type: UInt8, count: Int, start: Int)? {
            guard let at = offset(of: object) else { return nil }
            let marker = b[at], type = marker >> 4
            guard marker & 0x0F == 0x0F else { return (type, Int(marker & 0x0F), at + 1) }
            // The count follows as an integer object: 0x1N, then 2^N bytes.
            guard at + 1 < b.count, b[at + 1] >> 4 == 1, b[at + 1] & 0x0F <= 3 else { return nil }
            let size = 1 << Int(b[at + 1] & 0x0F)
            guard let n = Reader.uint(b, at + 2, size), n <= UInt64(b.count) else { return nil }
            return (type, Int(n), at + 2 + size)
        }

        func isString(_ object: Int) -> Bool {
            guard let at = offset(of: object) else { return false }
            return b[at] >> 4 == 0x5 || b[at] >> 4 == 0x6
        }

        /// An ASCII (0x5) or UTF-16BE (0x6) string's bytes, as UTF-8.
        func string(_ object: Int) -> [UInt8]? {
            guard let (type, n, start) = header(object) else { return nil }
            switch type {
            case 0x5:
                guard start + n <= table else { return nil }
                return Array(b[start..<(start + n)])
            case 0x6:
                guard start + 2 * n <= table else { return nil }
                let units = (0..<n).map { UInt16(b[start + 2 * $0]) << 8 | UInt16(b[start + 2 * $0 + 1]) }
                return Array(String(decoding: units, as: UTF16.self).utf8)
            default: return nil
            }
        }

        /// A dictionary's key and value object numbers.
        func dictionary(_ object: Int) -> (keys: [Int], values: [Int])? {
            guard let (type, n, start) = header(object), type == 0xD, start + 2 * n * refSize <= table else { return nil }
            let refs = (0..<(2 * n)).map { Int(Reader.uint(b, start + $0 * refSize, refSize) ?? UInt64(Int.max)) }
            return (Array(refs[0..<n]), Array(refs[n...]))
        }
    }
}
