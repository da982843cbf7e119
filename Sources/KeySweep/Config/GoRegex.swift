/// Translates Go RE2 patterns (as written in gitleaks configurations) to PCRE2, matched on bytes.
///
/// Most RE2 syntax means the same in PCRE2 (`(?P<name>…)`, `(?i)` at the start or inside a
/// group, `\Q…\E`, `\z`, POSIX classes, `\pL`). What differs is rewritten:
/// - the capture group `secretGroup` becomes the named group `secret` (keysweep's secret group);
/// - a `{` that is not a repetition is a literal in RE2 (`x{,3}`, `{abc}`), a quantifier or an
///   error in PCRE2: it is escaped;
/// - octal escapes `\1`–`\377` (octal in RE2, back-references in PCRE2) become `\o{…}`;
/// - `\x{…}` above `\x{FF}` (a UTF-8 character in RE2) becomes its UTF-8 bytes outside a class;
///   inside a class it cannot be translated (the rule is reported and skipped).
enum GoRegex {
    struct Untranslatable: Error, CustomStringConvertible {
        let description: String
    }

    static func translate(_ pattern: String, secretGroup: Int) throws -> String {
        let c = Array(pattern.unicodeScalars)
        var out = ""
        var i = 0
        var inClass = false
        var classStart = 0
        var group = 0
        func peek(_ k: Int) -> Unicode.Scalar? { i + k < c.count ? c[i + k] : nil }
        while i < c.count {
            let ch = c[i]
            if ch == "\\" {
                guard let next = peek(1) else { throw Untranslatable(description: "pattern ends with a backslash") }
                if next == "Q" {
                    // Quoted literal up to \E (or the end): same in PCRE2.
                    var j = i + 2
                    while j < c.count && !(c[j] == "\\" && j + 1 < c.count && c[j + 1] == "E") { j += 1 }
                    let end = min(j + 2, c.count)
                    out.unicodeScalars.append(contentsOf: c[i..<end])
                    i = end
                    continue
                }
                if next == "x", peek(2) == "{" {
                    var j = i + 3
                    var hex = ""
                    while j < c.count && c[j] != "}" { hex.unicodeScalars.append(c[j]); j += 1 }
                    guard j < c.count, let value = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(value) else {
                        throw Untranslatable(description: "bad escape \\x{\(hex)}")
                    }
                    if value <= 0xFF {
                        out += "\\x{\(hex)}"
                    } else if inClass {
                        throw Untranslatable(description: "character class with \\x{\(hex)} (a multi-byte character; keysweep matches bytes)")
                    } else {
                        out += "(?:" + String(scalar).utf8.map { "\\x" + hex2($0) }.joined() + ")"
                    }
                    i = j + 1
                    continue
                }
                if let digit = next.properties.numericType, digit == .decimal, next != "0", next != "8", next != "9" {
                    var j = i + 1
                    var octal = ""
                    while j < c.count && octal.count < 3, let d = c[j].properties.numericType, d == .decimal, c[j] != "8", c[j] != "9" {
                        octal.unicodeScalars.append(c[j]); j += 1
                    }
                    out += "\\o{\(octal)}"
                    i = j
                    continue
                }
                if next == "8" || next == "9" { throw Untranslatable(description: "invalid escape \\\(next)") }
                out.unicodeScalars.append(ch)
                out.unicodeScalars.append(next)
                i += 2
                continue
            }
            if inClass {
                if ch == "[" && peek(1) == ":" {
                    // POSIX class [:alpha:]: copy whole.
                    var j = i + 2
                    while j + 1 < c.count && !(c[j] == ":" && c[j + 1] == "]") { j += 1 }
                    let end = min(j + 2, c.count)
                    out.unicodeScalars.append(contentsOf: c[i..<end])
                    i = end
                    continue
                }
                if ch == "]" && i > classStart {
                    inClass = false
                } else if ch == "[" {
                    out += "\\["
                    i += 1
                    continue
                }
                out.unicodeScalars.append(ch)
                i += 1
                continue
            }
            switch ch {
            case "[":
                inClass = true
                out += "["
                i += 1
                if peek(0) == "^" { out += "^"; i += 1 }
                if peek(0) == "]" { out += "\\]"; i += 1 } // a leading ] is a literal
                classStart = i
                continue
            case "(":
                if peek(1) == "?" {
                    if peek(2) == "P" && peek(3) == "<" || (peek(2) == "<" && peek(3) != "=" && peek(3) != "!") {
                        group += 1
                        var j = i + (peek(2) == "P" ? 4 : 3)
                        var name = ""
                        while j < c.count && c[j] != ">" { name.unicodeScalars.append(c[j]); j += 1 }
                        out += group == secretGroup ? "(?<secret>" : "(?<\(name == "secret" ? "secret_" : name)>"
                        i = j + 1
                        continue
                    }
                    // (?:, (?i), (?i: … flags and non-capturing groups: same in PCRE2.
                    out += "("
                    i += 1
                    continue
                }
                group += 1
                out += group == secretGroup ? "(?<secret>" : "("
                i += 1
                continue
            case "{":
                var j = i + 1
                var body = ""
                while j < c.count && c[j] != "}" && body.count < 12 { body.unicodeScalars.append(c[j]); j += 1 }
                if j < c.count && c[j] == "}" && isRepetition(body) {
                    out += "{" + body + "}"
                    i = j + 1
                } else {
                    out += "\\{"
                    i += 1
                }
                continue
            default:
                out.unicodeScalars.append(ch)
                i += 1
            }
        }
        if secretGroup > group {
            throw Untranslatable(description: "secretGroup \(secretGroup) but the regex has \(group) groups")
        }
        return out
    }

    /// `n`, `n,` or `n,m` (RE2's repetitions); anything else is literal text in RE2.
    private static func isRepetition(_ body: String) -> Bool {
        let parts = body.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = parts.first, !first.isEmpty, first.allSatisfy(\.isASCII), Int(first) != nil else { return false }
        if parts.count == 2 { return parts[1].isEmpty || (parts[1].allSatisfy(\.isASCII) && Int(parts[1]) != nil) }
        return true
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}
