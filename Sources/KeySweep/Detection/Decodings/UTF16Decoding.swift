import Foundation

/// UTF-16 text, as Windows editors write it (little- or big-endian, with or without a BOM).
/// Decoded to one byte per code unit: ASCII kept, everything else `?`, so lines map 1:1.
struct UTF16Decoding: Decoding {
    let name = "utf-16"

    enum Order { case little, big }

    static func order(of bytes: UnsafeBufferPointer<UInt8>) -> Order? {
        guard bytes.count >= 4 else { return nil }
        if bytes[0] == 0xFF && bytes[1] == 0xFE { return .little }
        if bytes[0] == 0xFE && bytes[1] == 0xFF { return .big }
        // No BOM: mostly ASCII text has a NUL in nearly every second byte and almost none in the
        // others. Most contents have no NUL at all: one memchr says so.
        let sample = min(bytes.count & ~1, 4096)
        guard memchr(bytes.baseAddress!, 0, sample) != nil else { return nil }
        var evenNUL = 0, oddNUL = 0
        for i in stride(from: 0, to: sample, by: 2) {
            if bytes[i] == 0 { evenNUL += 1 }
            if bytes[i + 1] == 0 { oddNUL += 1 }
        }
        let pairs = sample / 2
        if oddNUL * 10 >= pairs * 7 && evenNUL * 20 <= pairs { return .little }
        if evenNUL * 10 >= pairs * 7 && oddNUL * 20 <= pairs { return .big }
        return nil
    }

    /// The whole content is UTF-16 or none of it is.
    func anchors(_ hints: DecodingHints) -> [Int]? { nil }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool { UTF16Decoding.order(of: bytes) != nil }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText? {
        guard let order = UTF16Decoding.order(of: bytes) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count / 2)
        var i = (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) ? 2 : 0
        while i + 1 < bytes.count {
            let unit = order == .little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            out.append(unit < 0x80 && unit != 0 ? UInt8(unit) : UInt8(ascii: "?"))
            i += 2
        }
        return DecodedText(bytes: out, originalLine: nil)
    }
}
