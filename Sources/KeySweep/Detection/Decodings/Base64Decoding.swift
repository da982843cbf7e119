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
    func anchors(_ hints: DecodingHints) -> [Int]? { hints.anchors(.base64) }

    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool { true }

    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText? {
        // The table is bound once here: a static read inside the byte loop is a lazy-global
        // check per byte.
        Base64.standard.withUnsafeBufferPointer { standard in
            var out = [UInt8]()
            var lines: [Int] = []
            var line = 1
            var lineStart = 0
            var i = 0
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
                guard standard[Int(b)] else { i += 1; continue }
                var end = i
                while end < bytes.count && standard[Int(bytes[end])] { end += 1 }
                var padded = end
                while padded < bytes.count && padded - end < 2 && bytes[padded] == UInt8(ascii: "=") { padded += 1 }
                if end - i >= Base64Decoding.minimumRun, let decoded = Base64Decoding.decodeText(bytes[i..<end]) {
                    // The line's text before the run, then the decoded value, as one or more lines.
                    out += bytes[lineStart..<i]
                    out += decoded
                    out.append(0x0A)
                    let count = 1 + decoded.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                    lines += Array(repeating: line, count: count)
                }
                i = padded
            }
            return out.isEmpty ? nil : DecodedText(bytes: out, originalLine: lines)
        }
    }

    /// The decoded run, if it is printable text.
    static func decodeText(_ run: Slice<UnsafeBufferPointer<UInt8>>) -> [UInt8]? {
        guard let out = Base64.decode(run) else { return nil }
        let printable = out.reduce(0) { $0 + (($1 >= 32 && $1 < 127) || $1 == 9 || $1 == 10 || $1 == 13 ? 1 : 0) }
        return printable * 20 >= out.count * 19 ? out : nil
    }
}
