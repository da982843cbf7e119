/// Rejects values shaped like identifiers, names and prose rather than random tokens:
/// `tokenResponseFromAuthorizationServer`, `SECRET_KEY_BASE_FROM_ENVIRONMENT`,
/// `kubernetes-dashboard-certs-secret`, `urn:ietf:params:oauth:token-type:jwt`. Split at
/// separators, case humps and letter/digit boundaries, an identifier is whole words: no lone
/// letter inside a part, few and short numbers. A random token of 16 or more characters splits
/// into lone letters and digits (`yLryKGwc...` gives `y`, `Lry`, `K`, `Gwc`...) and passes.
struct NotIdentifierCheck: SecretCheck {
    static let name = "not-identifier"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool { !Self.isIdentifier(secret) }

    static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b == UInt8(ascii: "/")
    }

    static func isIdentifier(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        enum Kind { case lower, upper, digit }
        func kind(_ b: UInt8) -> Kind? {
            if b >= 0x61 && b <= 0x7A { return .lower }
            if b >= 0x41 && b <= 0x5A { return .upper }
            if b >= 0x30 && b <= 0x39 { return .digit }
            return nil
        }
        var words = 0, numbers = 0, vowelless = 0
        var part: [Kind] = []    // the current separator-delimited part
        var letters: [UInt8] = []    // its bytes
        func isVowel(_ i: Int) -> Bool { "aeiouyAEIOUY".utf8.contains(letters[i]) }
        func close() -> Bool {
            defer { part.removeAll(keepingCapacity: true); letters.removeAll(keepingCapacity: true) }
            guard !part.isEmpty else { return true }
            // Segments of the part: a new one at a letter/digit boundary, at lower->upper, and
            // before the last capital of a capital run followed by a lower-case letter (SSHPass).
            var length = 0
            var segmentKind: Kind?
            var segments: [(Kind, Int, Bool, Bool)] = []    // kind, length, has a vowel, all capitals
            var vowel = false, capitals = true
            for (i, k) in part.enumerated() {
                let next = i + 1 < part.count ? part[i + 1] : nil
                var boundary = false
                if let previous = segmentKind {
                    if (previous == .digit) != (k == .digit) { boundary = true }
                    else if k == .upper && part[i - 1] == .lower { boundary = true }
                    else if k == .upper && part[i - 1] == .upper && next == .lower && length > 1 { boundary = true }
                }
                if boundary { segments.append((segmentKind!, length, vowel, capitals)); length = 0; vowel = false; capitals = true }
                segmentKind = k == .digit ? .digit : (length == 0 ? k : segmentKind)
                length += 1
                if k == .lower { capitals = false }
                if isVowel(i) { vowel = true }
            }
            if let k = segmentKind { segments.append((k, length, vowel, capitals)) }
            for (index, segment) in segments.enumerated() {
                if segment.0 == .digit {
                    numbers += 1
                    if segment.1 > 4 { return false }
                } else {
                    words += 1
                    // Words have vowels; acronyms (PKCS, SSH) are short capitals, abbreviations
                    // (jwt, cfg) short and rare. Random letters split into segments such as
                    // `Kpx` and `Lp`, several to a token.
                    if segment.1 >= 2 && !segment.2 && !(segment.3 && segment.1 <= 5) {
                        if segment.1 >= 4 { return false }
                        vowelless += 1
                    }
                    // A lone letter is a word only as a whole part (`X-Api-Key`) or ending a digit run (`2x`).
                    if segment.1 == 1 && segments.count > 1 && !(index > 0 && segments[index - 1].0 == .digit) { return false }
                }
            }
            return true
        }
        for b in value {
            if isSeparator(b) {
                if !close() { return false }
            } else if let k = kind(b) {
                part.append(k)
                letters.append(b)
            } else {
                return false
            }
        }
        guard close() else { return false }
        return words >= 1 && numbers <= 2 && vowelless <= 1
    }
}
