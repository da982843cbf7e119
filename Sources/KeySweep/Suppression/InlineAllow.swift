/// Inline suppressions: a `keysweep:allow` comment on the line of a secret.
///
/// `keysweep:allow` alone allows every secret on its line; `keysweep:allow:ID` (ID the 16-hex
/// finding id, or a prefix of at least 8 digits of it) allows only that secret, so a different
/// secret later put on the same line is still reported.
enum InlineAllow {
    static let marker = Array("keysweep:allow".utf8)

    /// `matches` without those allowed by a comment on their line of `bytes`.
    static func filter(_ matches: [SecretMatch], in bytes: UnsafeRawBufferPointer, rules: RuleSet) -> [SecretMatch] {
        guard !matches.isEmpty, contains(bytes, marker) else { return matches }
        let text = bytes.bindMemory(to: UInt8.self)
        var lineStarts: [Int] = [0]
        for (index, byte) in text.enumerated() where byte == 0x0A { lineStarts.append(index + 1) }
        return matches.filter { match in
            guard match.line >= 1, match.line <= lineStarts.count else { return true }
            let start = lineStarts[match.line - 1]
            let end = match.line < lineStarts.count ? lineStarts[match.line] : text.count
            let line = Array(text[start..<end])
            return !allows(line: line, rule: rules.rules[match.rule].id, secret: match.secret)
        }
    }

    /// Whether a line's `keysweep:allow` comments allow this secret.
    static func allows(line: [UInt8], rule: String, secret: String) -> Bool {
        var from = 0
        while let at = find(line, marker, from: from) {
            var position = at + marker.count
            from = position
            guard position < line.count, line[position] == UInt8(ascii: ":") || line[position] == UInt8(ascii: "=") else {
                return true // plain keysweep:allow
            }
            position += 1
            var id: [UInt8] = []
            while position < line.count, isHex(line[position]) { id.append(line[position]); position += 1 }
            if id.count < 8 { return true } // not an id: a plain allow followed by other text
            let wanted = String(decoding: id, as: UTF8.self).lowercased()
            if Fingerprint.findingID(rule: rule, secret: secret).hasPrefix(wanted) { return true }
        }
        return false
    }

    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    static func contains(_ bytes: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        ByteSearch.contains(bytes.bindMemory(to: UInt8.self), needle)
    }

    static func find(_ line: [UInt8], _ needle: [UInt8], from: Int) -> Int? {
        guard line.count >= needle.count, from <= line.count - needle.count else { return nil }
        for index in from...(line.count - needle.count) where line[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
