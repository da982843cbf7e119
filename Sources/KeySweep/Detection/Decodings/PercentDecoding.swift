/// Percent-encoded text (`%2F`, `%2B`, `%3D` in URLs, form bodies and presigned links).
/// `%0A` and `%0D` stay encoded so lines map 1:1.
struct PercentDecoding: Decoding {
    let name = "url"
    private static let markers: [[UInt8]] = ["%2F", "%2f", "%2B", "%2b", "%3D", "%3d"].map { Array($0.utf8) }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool {
        hints.aws && Decodings.containsAny(bytes, PercentDecoding.markers)
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
