/// Rejects values shaped like identifiers, names and prose rather than random tokens:
/// `tokenResponseFromAuthorizationServer`, `SECRET_KEY_BASE_FROM_ENVIRONMENT`,
/// `kubernetes-dashboard-certs-secret`, `urn:ietf:params:oauth:token-type:jwt`,
/// `cmp2-qat-1208358310`. Split at separators, case humps and letter/digit boundaries, an
/// identifier is whole words: no lone letter inside a part, few and short numbers (a part that
/// is a number, an account or a build, may have up to 13 digits). A random token of 16 or more
/// characters splits into lone letters and digits (`yLryKGwc...` gives `y`, `Lry`, `K`,
/// `Gwc`...) and passes. A value whose body, two thirds of it or more, is three words or more
/// with vowels (`clm01063:AgencyIdentificationCodeContentType`) is an identifier whatever its
/// code prefix.
struct NotIdentifierCheck: SecretCheck {
    static let name = "not-identifier"

    func accepts(_ secret: UnsafeBufferPointer<UInt8>) -> Bool { !Self.isIdentifier(secret) }

    static func isSeparator(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b == UInt8(ascii: "/")
    }

    /// One separator-delimited part, judged alone.
    struct Part {
        var wordLike = true
        var words = 0, numbers = 0, vowelless = 0, length = 0
    }

    static func isIdentifier(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var parts: [Part] = []
        var bytes: [UInt8] = []
        for b in value {
            if isSeparator(b) {
                if !bytes.isEmpty { parts.append(part(bytes)) }
                bytes.removeAll(keepingCapacity: true)
            } else if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) {
                bytes.append(b)
            } else {
                return false
            }
        }
        if !bytes.isEmpty { parts.append(part(bytes)) }
        if parts.allSatisfy(\.wordLike) {
            let words = parts.reduce(0) { $0 + $1.words }, numbers = parts.reduce(0) { $0 + $1.numbers }
            let vowelless = parts.reduce(0) { $0 + $1.vowelless }
            if words >= 1 && numbers <= 2 && vowelless <= 1 { return true }
        }
        return parts.contains { $0.wordLike && $0.words >= 3 && $0.numbers == 0 && $0.vowelless == 0 && $0.length * 3 >= value.count * 2 }
    }

    private static func part(_ letters: [UInt8]) -> Part {
        enum Kind { case lower, upper, digit }
        func kind(_ b: UInt8) -> Kind {
            if b >= 0x61 && b <= 0x7A { return .lower }
            if b >= 0x41 && b <= 0x5A { return .upper }
            return .digit
        }
        var result = Part(length: letters.count)
        // A number on its own (an account id, a date, a build number, a timestamp in
        // milliseconds: up to 13 digits) is one number; longer, it is a numeric secret.
        if letters.count <= 13 && letters.allSatisfy({ kind($0) == .digit }) {
            result.numbers = 1
            return result
        }
        func isVowel(_ i: Int) -> Bool { "aeiouyAEIOUY".utf8.contains(letters[i]) }
        // Segments of the part: a new one at a letter/digit boundary, at lower->upper, and
        // before the last capital of a capital run followed by a lower-case letter (SSHPass).
        let part = letters.map(kind)
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
                result.numbers += 1
                if segment.1 > 4 { result.wordLike = false }
            } else {
                result.words += 1
                // Words have vowels; acronyms (PKCS, SSH) are short capitals, abbreviations
                // (jwt, cfg) short and rare. Random letters split into segments such as
                // `Kpx` and `Lp`, several to a token.
                if segment.1 >= 2 && !segment.2 && !(segment.3 && segment.1 <= 5) {
                    if segment.1 >= 4 { result.wordLike = false }
                    result.vowelless += 1
                }
                // A lone letter is a word only as a whole part (`X-Api-Key`) or ending a digit run (`2x`).
                if segment.1 == 1 && segments.count > 1 && !(index > 0 && segments[index - 1].0 == .digit) { result.wordLike = false }
            }
        }
        return result
    }
}
