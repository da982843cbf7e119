/// Values stored base64-encoded: Kubernetes Secret `data:`, `.dockercfg`/`config.json`
/// `auths`, environment dumps. Each base64 run that decodes to text is written out on its own
/// line after the text that precedes it on its original line (so `AWS_SECRET_ACCESS_KEY: ` keeps
/// naming the value).
struct Base64Decoding: Decoding {
    let name = "base64"
    /// Shortest run worth decoding: a 20-character key id encodes to 28.
    static let minimumRun = 24

    /// Where an encoded key id may be (base64-encoded `AKIA`/`ASIA` are keywords of the key id
    /// rule, so a Kubernetes Secret holding one qualifies), or Docker auths.
    func anchors(_ hints: DecodingHints) -> [Int]? { hints.keyIDs + hints.containerAuths }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool { true }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText? {
        var out = [UInt8]()
        var lines: [Int] = []
        var line = 1
        var lineStart = 0
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            guard Base64Decoding.isBase64(b) else { i += 1; continue }
            var end = i
            while end < bytes.count && Base64Decoding.isBase64(bytes[end]) { end += 1 }
            var padded = end
            while padded < bytes.count && padded - end < 2 && bytes[padded] == UInt8(ascii: "=") { padded += 1 }
            if end - i >= Base64Decoding.minimumRun, let decoded = Base64Decoding.decodeText(bytes[i..<end]) {
                // The line's text before the run, then the decoded value, as one or more lines.
                let prefix = Array(bytes[lineStart..<i])
                out += prefix
                out += decoded
                out.append(0x0A)
                let count = 1 + decoded.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                lines += Array(repeating: line, count: count)
            }
            i = padded
        }
        return out.isEmpty ? nil : DecodedText(bytes: out, originalLine: lines)
    }

    /// Each byte's base64 value, or 0xFF for a byte outside the alphabet (one load per byte:
    /// the regions decoded here add up to hundreds of megabytes in a large history).
    private static let values: [UInt8] = (0...255).map { b in
        switch b {
        case 65...90: return UInt8(b - 65)
        case 97...122: return UInt8(b - 71)
        case 48...57: return UInt8(b + 4)
        case 43: return 62
        case 47: return 63
        default: return 0xFF
        }
    }

    static func isBase64(_ b: UInt8) -> Bool { values[Int(b)] != 0xFF }

    /// Decodes standard base64 (padding optional); nil unless the result is printable text.
    static func decodeText(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8]? {
        guard run.count % 4 != 1 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(run.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for b in run {
            buffer = buffer << 6 | UInt32(values[Int(b)])
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((buffer >> UInt32(bits)) & 0xFF))
            }
        }
        let printable = out.reduce(0) { $0 + (($1 >= 32 && $1 < 127) || $1 == 9 || $1 == 10 || $1 == 13 ? 1 : 0) }
        return printable * 20 >= out.count * 19 ? out : nil
    }
}
