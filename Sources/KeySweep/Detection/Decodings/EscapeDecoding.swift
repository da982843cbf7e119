/// Backslash escapes of JSON, notebook and source strings: `\n`, `\t`, `\"`, `\/`, `\\`,
/// `\u002F`. Escaped line breaks become spaces so lines map 1:1 and a value after `\n` starts
/// at a word boundary.
struct EscapeDecoding: Decoding {
    let name = "escaped"

    func anchors(_ hints: DecodingHints) -> [Int]? { hints.anchors(.escape, .escapedSlash) }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool {
        // Around ids and tokens any escape can hide a boundary; next to a bare `secret` word only
        // an escaped slash (`\/`, as PHP writes JSON) can break a key apart.
        hints.has(.escape) ? ByteSearch.contains(bytes, [UInt8(ascii: "\\")])
            : hints.has(.escapedSlash) && ByteSearch.contains(bytes, Array(#"\/"#.utf8))
    }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText? {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = 0
        var changed = false
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count else { out.append(bytes[i]); i += 1; continue }
            let next = bytes[i + 1]
            switch next {
            case UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                out.append(UInt8(ascii: " ")); i += 2; changed = true
            case UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "'"):
                out.append(next); i += 2; changed = true
            case UInt8(ascii: "u") where i + 5 < bytes.count:
                var value: UInt32 = 0
                var ok = true
                for k in 2..<6 {
                    guard let digit = PercentDecoding.hex(bytes[i + k]) else { ok = false; break }
                    value = value << 4 | UInt32(digit)
                }
                if ok && value > 0 && value < 0x80 && value != 0x0A && value != 0x0D {
                    out.append(UInt8(value)); i += 6; changed = true
                } else {
                    out.append(bytes[i]); i += 1
                }
            default:
                out.append(bytes[i]); i += 1
            }
        }
        return changed ? DecodedText(bytes: out, originalLine: nil) : nil
    }
}
