/// Percent-encoded text (`%2F`, `%2B`, `%3D` in URLs, form bodies and presigned links).
/// `%0A` and `%0D` stay encoded so lines map 1:1.
struct PercentDecoding: Decoding {
    let name = "url"
    func anchors(_ hints: DecodingHints) -> [Int]? { hints.anchors(.percent) }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool {
        PercentDecoding.hasEncodedKeyCharacter(bytes)
    }

    /// One pass for `%2F`, `%2B` or `%3D` (either case): the characters of keys and tokens
    /// that URLs encode.
    static func hasEncodedKeyCharacter(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = 0
        while let index = ByteSearch.firstIndex(of: [UInt8(ascii: "%")], in: bytes, from: position) {
            guard index + 2 < bytes.count else { return false }
            let a = bytes[index + 1], b = bytes[index + 2] | 0x20
            if (a == UInt8(ascii: "2") && (b == UInt8(ascii: "f") || b == UInt8(ascii: "b"))) ||
               (a == UInt8(ascii: "3") && b == UInt8(ascii: "d")) { return true }
            position = index + 1
        }
        return false
    }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.count,
               let hi = PercentDecoding.hex(bytes[i + 1]), let lo = PercentDecoding.hex(bytes[i + 2]) {
                let value = hi << 4 | lo
                if value != 0x0A && value != 0x0D && value != 0 {
                    out.append(value)
                    i += 3
                    changed = true
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return changed ? DecodedText(bytes: out, originalLine: nil) : nil
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 48
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - 87
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - 55
        default: return nil
        }
    }
}
