/// TOML 1.0's syntax (its ABNF), checked before toml++ sees a document.
///
/// toml++ (under TOMLKit) is built with its assertions on (SwiftPM defines no `NDEBUG`, in
/// release builds either), and several of its error paths call a function whose precondition
/// the malformed input breaks: `[?` or `e=[1,}` abort the process instead of failing. It also
/// recurses once per nested table (100,000 dotted key segments overflow the stack) and looks
/// every `[[array]]` header up in a list of all of them (quadratic). So a document reaches it
/// only once this linear, non-recursive-beyond-`maxDepth` check has accepted its syntax and
/// its size; what is left for toml++ is meaning (duplicate keys, redefined tables, integers
/// out of range), which it reports by throwing.
public enum TOMLSyntax {
    /// Tables, arrays and key segments nested along one path (toml++ allows 256 nested values).
    public static let maxDepth = 128
    /// `[[...]]` headers in one document (toml++ compares each with every earlier array).
    public static let maxArrayTableHeaders = 20_000
    /// Bytes in one document: keysweep's configuration, rule and ignore files are far smaller.
    public static let maxBytes = 8 << 20

    /// Where and why a document is not TOML; `line` and `column` are 1-based (columns in characters).
    public struct Violation: Error, Equatable, Sendable {
        public let line: Int
        public let column: Int
        public let reason: String
    }

    public static func check(_ text: String) throws(Violation) {
        var checker = Checker(Array(text.utf8))
        try checker.document()
    }
}

private struct Checker {
    let bytes: [UInt8]
    var i = 0
    var arrayTableHeaders = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private var atEnd: Bool { i >= bytes.count }
    private var current: UInt8? { i < bytes.count ? bytes[i] : nil }
    private func peek(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    // MARK: Errors

    private func fail(_ reason: String, at position: Int? = nil) -> TOMLSyntax.Violation {
        let end = min(position ?? i, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<end] {
            if byte == 0x0A { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return TOMLSyntax.Violation(line: line, column: column, reason: reason)
    }

    /// The character at the cursor, named so it can be printed whatever it is.
    private var found: String {
        guard let byte = current else { return "the end of the file" }
        switch byte {
        case 0x0A: return "a line break"
        case 0x0D: return "a carriage return"
        case 0x21...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x20: return "a space"
        case 0x09: return "a tab"
        default:
            if byte < 0x80 { return "control character U+\(hex(UInt32(byte)))" }
            return "a non-ASCII character"
        }
    }

    private func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    // MARK: Document

    mutating func document() throws(TOMLSyntax.Violation) {
        guard bytes.count <= TOMLSyntax.maxBytes else {
            throw TOMLSyntax.Violation(line: 1, column: 1, reason: "larger than \(TOMLSyntax.maxBytes >> 20) MiB")
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 } // a byte order mark, which toml++ skips
        while !atEnd {
            skipWhitespace()
            guard let byte = current else { break }
            if byte == UInt8(ascii: "[") {
                try tableHeader()
            } else if byte != UInt8(ascii: "#") && byte != 0x0A && byte != 0x0D {
                try keyValue(depth: 0)
            }
            skipWhitespace()
            if current == UInt8(ascii: "#") { try comment() }
            if !atEnd { try newline(after: "expected the end of the line") }
        }
    }

    private mutating func skipWhitespace() {
        while let byte = current, byte == 0x20 || byte == 0x09 { i += 1 }
    }

    /// A line break (LF or CRLF), else the error `context`.
    private mutating func newline(after context: String) throws(TOMLSyntax.Violation) {
        if current == 0x0A { i += 1; return }
        if current == 0x0D && peek(1) == 0x0A { i += 2; return }
        throw fail("\(context), found \(found)")
    }

    private mutating func comment() throws(TOMLSyntax.Violation) {
        i += 1
        while let byte = current, byte != 0x0A, byte != 0x0D {
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail("\(found) in a comment") }
            i += 1
        }
    }

    /// Whitespace, comments and line breaks, as between an array's values.
    private mutating func skipBlankLinesAndComments() throws(TOMLSyntax.Violation) {
        while let byte = current {
            switch byte {
            case 0x20, 0x09: i += 1
            case UInt8(ascii: "#"): try comment()
            case 0x0A, 0x0D: try newline(after: "expected a line break")
            default: return
            }
        }
    }

    private mutating func tableHeader() throws(TOMLSyntax.Violation) {
        i += 1
        let isArray = current == UInt8(ascii: "[")
        if isArray {
            i += 1
            arrayTableHeaders += 1
            if arrayTableHeaders > TOMLSyntax.maxArrayTableHeaders {
                throw fail("more than \(TOMLSyntax.maxArrayTableHeaders) [[array of tables]] headers")
            }
        }
        skipWhitespace()
        let segments = try key()
        if segments + (isArray ? 1 : 0) > TOMLSyntax.maxDepth { throw fail("tables nested more than \(TOMLSyntax.maxDepth) deep") }
        skipWhitespace()
        for _ in 0..<(isArray ? 2 : 1) {
            guard current == UInt8(ascii: "]") else { throw fail("expected '\(isArray ? "]]" : "]")' to close the table header, found \(found)") }
            i += 1
        }
    }

    // MARK: Keys

    /// A key, plain or dotted; returns its number of segments.
    private mutating func key() throws(TOMLSyntax.Violation) -> Int {
        var segments = 0
        while true {
            try simpleKey()
            segments += 1
            let save = i
            skipWhitespace()
            guard current == UInt8(ascii: ".") else { i = save; return segments }
            i += 1
            skipWhitespace()
        }
    }

    private mutating func simpleKey() throws(TOMLSyntax.Violation) {
        guard let byte = current else { throw fail("expected a key, found \(found)") }
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
            if peek(1) == byte && peek(2) == byte { throw fail("a key cannot be a multi-line string") }
            try byte == UInt8(ascii: "\"") ? basicString() : literalString()
            return
        }
        let start = i
        while let byte = current, isBareKeyCharacter(byte) { i += 1 }
        if i == start { throw fail("expected a key, found \(found)") }
    }

    private func isBareKeyCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): return true
        default: return false
        }
    }

    /// `key = value`; `depth` counts what encloses it.
    private mutating func keyValue(depth: Int) throws(TOMLSyntax.Violation) {
        let segments = try key()
        skipWhitespace()
        guard current == UInt8(ascii: "=") else { throw fail("expected '=' after a key, found \(found)") }
        i += 1
        skipWhitespace()
        try value(depth: depth + segments)
    }

    // MARK: Values

    private mutating func value(depth: Int) throws(TOMLSyntax.Violation) {
        if depth > TOMLSyntax.maxDepth { throw fail("values nested more than \(TOMLSyntax.maxDepth) deep") }
        guard let byte = current else { throw fail("expected a value, found \(found)") }
        switch byte {
        case UInt8(ascii: "\""):
            try peek(1) == byte && peek(2) == byte ? multiLineBasicString() : basicString()
        case UInt8(ascii: "'"):
            try peek(1) == byte && peek(2) == byte ? multiLineLiteralString() : literalString()
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "{"): try inlineTable(depth: depth + 1)
        case UInt8(ascii: "t"): try word("true")
        case UInt8(ascii: "f"): try word("false")
        case UInt8(ascii: "i"): try word("inf")
        case UInt8(ascii: "n"): try word("nan")
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try numberOrDate()
        default: throw fail("expected a value, found \(found)")
        }
    }

    private mutating func word(_ text: String) throws(TOMLSyntax.Violation) {
        for expected in text.utf8 {
            guard current == expected else { throw fail("expected a value, found \(found)") }
            i += 1
        }
    }

    private mutating func array(depth: Int) throws(TOMLSyntax.Violation) {
        i += 1
        while true {
            try skipBlankLinesAndComments()
            if current == UInt8(ascii: "]") { i += 1; return }
            try value(depth: depth)
            try skipBlankLinesAndComments()
            if current == UInt8(ascii: ",") { i += 1; continue }
            guard current == UInt8(ascii: "]") else { throw fail("expected ',' or ']' in an array, found \(found)") }
            i += 1
            return
        }
    }

    private mutating func inlineTable(depth: Int) throws(TOMLSyntax.Violation) {
        i += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") { i += 1; return }
        while true {
            try keyValue(depth: depth)
            skipWhitespace()
            if current == UInt8(ascii: ",") { i += 1; skipWhitespace(); continue }
            guard current == UInt8(ascii: "}") else { throw fail("expected ',' or '}' in an inline table, found \(found)") }
            i += 1
            return
        }
    }

    // MARK: Strings

    private func isForbiddenControl(_ byte: UInt8) -> Bool { byte < 0x20 && byte != 0x09 || byte == 0x7F }

    private mutating func basicString() throws(TOMLSyntax.Violation) {
        let start = i
        i += 1
        while true {
            guard let byte = current else { throw fail("unterminated string", at: start) }
            switch byte {
            case UInt8(ascii: "\""): i += 1; return
            case UInt8(ascii: "\\"): try escape()
            case 0x0A, 0x0D: throw fail("line break in a single-line string (use \\n or a \"\"\" string)")
            default:
                if isForbiddenControl(byte) { throw fail("\(found) in a string (escape it)") }
                i += 1
            }
        }
    }

    private mutating func multiLineBasicString() throws(TOMLSyntax.Violation) {
        let start = i
        i += 3
        while true {
            guard let byte = current else { throw fail("unterminated multi-line string", at: start) }
            switch byte {
            case UInt8(ascii: "\""):
                if try closes(quote: byte) { return }
            case UInt8(ascii: "\\"):
                if let next = peek(1), next == 0x20 || next == 0x09 || next == 0x0A || next == 0x0D {
                    i += 1
                    skipWhitespace()
                    try newline(after: "only whitespace may follow a line-ending backslash")
                    while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                        if byte == 0x0D { try newline(after: "expected a line break") } else { i += 1 }
                    }
                } else {
                    try escape()
                }
            case 0x0D: try newline(after: "a carriage return must be followed by a line feed")
            case 0x0A: i += 1
            default:
                if isForbiddenControl(byte) { throw fail("\(found) in a string (escape it)") }
                i += 1
            }
        }
    }

    /// At a run of `quote`s inside a multi-line string: whether it closes the string (three,
    /// and up to two more that belong to the content).
    private mutating func closes(quote: UInt8) throws(TOMLSyntax.Violation) -> Bool {
        var run = 0
        while current == quote { run += 1; i += 1 }
        if run > 5 { throw fail("too many quotes at the end of a multi-line string") }
        return run >= 3
    }

    private mutating func escape() throws(TOMLSyntax.Violation) {
        i += 1
        guard let byte = current else { throw fail("unterminated string") }
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "b"), UInt8(ascii: "f"),
             UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 1
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            i += 1
            var scalar: UInt32 = 0
            for _ in 0..<count {
                guard let digit = current.flatMap(hexValue) else { throw fail("\\\(Character(Unicode.Scalar(byte))) needs \(count) hexadecimal digits") }
                scalar = scalar << 4 | UInt32(digit)
                i += 1
            }
            if Unicode.Scalar(scalar) == nil { throw fail("escape U+\(hex(scalar)) is not a Unicode scalar value") }
        default:
            throw fail("unknown escape \\\(found.hasPrefix("'") ? String(found.dropFirst().dropLast()) : found)")
        }
    }

    private func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    private mutating func literalString() throws(TOMLSyntax.Violation) {
        let start = i
        i += 1
        while true {
            guard let byte = current else { throw fail("unterminated string", at: start) }
            if byte == UInt8(ascii: "'") { i += 1; return }
            if byte == 0x0A || byte == 0x0D { throw fail("line break in a single-line string (use a ''' string)") }
            if isForbiddenControl(byte) { throw fail("\(found) in a string") }
            i += 1
        }
    }

    private mutating func multiLineLiteralString() throws(TOMLSyntax.Violation) {
        let start = i
        i += 3
        while true {
            guard let byte = current else { throw fail("unterminated multi-line string", at: start) }
            switch byte {
            case UInt8(ascii: "'"):
                if try closes(quote: byte) { return }
            case 0x0D: try newline(after: "a carriage return must be followed by a line feed")
            case 0x0A: i += 1
            default:
                if isForbiddenControl(byte) { throw fail("\(found) in a string") }
                i += 1
            }
        }
    }

    // MARK: Numbers, dates and times

    private func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }

    private mutating func numberOrDate() throws(TOMLSyntax.Violation) {
        if isDigit(current) && isDigit(peek(1)) {
            if isDigit(peek(2)) && isDigit(peek(3)) && peek(4) == UInt8(ascii: "-") { return try dateTime() }
            if peek(2) == UInt8(ascii: ":") { return try partialTime() }
        }
        var signed = false
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
            signed = true
            i += 1
            if current == UInt8(ascii: "i") { return try word("inf") }
            if current == UInt8(ascii: "n") { return try word("nan") }
        }
        if !signed && current == UInt8(ascii: "0"), let prefix = peek(1) {
            let radix: UInt8? = switch prefix {
            case UInt8(ascii: "x"): 16
            case UInt8(ascii: "o"): 8
            case UInt8(ascii: "b"): 2
            default: nil
            }
            if let radix {
                i += 2
                return try digits(radix: radix, what: "integer")
            }
        }
        guard isDigit(current) else { throw fail("expected a digit, found \(found)") }
        if current == UInt8(ascii: "0") {
            i += 1
            if isDigit(current) || current == UInt8(ascii: "_") { throw fail("leading zeros are not allowed in a number") }
        } else {
            try digits(radix: 10, what: "number")
        }
        if current == UInt8(ascii: ".") {
            i += 1
            try digits(radix: 10, what: "fraction")
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            i += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { i += 1 }
            try digits(radix: 10, what: "exponent")
        }
    }

    /// One or more digits of `radix`, single underscores only between digits.
    private mutating func digits(radix: UInt8, what: String) throws(TOMLSyntax.Violation) {
        func isRadixDigit(_ byte: UInt8?) -> Bool { byte.flatMap(hexValue).map { $0 < radix } ?? false }
        guard isRadixDigit(current) else { throw fail("expected a digit in the \(what), found \(found)") }
        while true {
            while isRadixDigit(current) { i += 1 }
            guard current == UInt8(ascii: "_") else { return }
            i += 1
            guard isRadixDigit(current) else { throw fail("an underscore in a number must be between digits") }
        }
    }

    /// Exactly `count` decimal digits as a number within `range`.
    private mutating func field(_ count: Int, _ range: ClosedRange<Int>, _ what: String) throws(TOMLSyntax.Violation) -> Int {
        let start = i
        var number = 0
        for _ in 0..<count {
            guard let byte = current, isDigit(byte) else { throw fail("expected \(count) digits of the \(what), found \(found)") }
            number = number * 10 + Int(byte - UInt8(ascii: "0"))
            i += 1
        }
        guard range.contains(number) else { throw fail("\(what) \(number) is out of range", at: start) }
        return number
    }

    private mutating func expect(_ byte: UInt8, in what: String) throws(TOMLSyntax.Violation) {
        guard current == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))' in the \(what), found \(found)") }
        i += 1
    }

    private mutating func dateTime() throws(TOMLSyntax.Violation) {
        let year = try field(4, 0...9999, "year")
        try expect(UInt8(ascii: "-"), in: "date")
        let month = try field(2, 1...12, "month")
        try expect(UInt8(ascii: "-"), in: "date")
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        _ = try field(2, 1...days, "day")
        let delimiter = current
        if delimiter == UInt8(ascii: "T") || delimiter == UInt8(ascii: "t")
            || delimiter == 0x20 && isDigit(peek(1)) && isDigit(peek(2)) && peek(3) == UInt8(ascii: ":") {
            i += 1
            try partialTime()
            if current == UInt8(ascii: "Z") || current == UInt8(ascii: "z") {
                i += 1
            } else if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
                i += 1
                _ = try field(2, 0...23, "offset hour")
                try expect(UInt8(ascii: ":"), in: "offset")
                _ = try field(2, 0...59, "offset minute")
            }
        }
    }

    private mutating func partialTime() throws(TOMLSyntax.Violation) {
        _ = try field(2, 0...23, "hour")
        try expect(UInt8(ascii: ":"), in: "time")
        _ = try field(2, 0...59, "minute")
        try expect(UInt8(ascii: ":"), in: "time")
        _ = try field(2, 0...59, "second")
        if current == UInt8(ascii: ".") {
            i += 1
            guard isDigit(current) else { throw fail("expected a digit in the fraction of a second, found \(found)") }
            while isDigit(current) { i += 1 }
        }
    }
}
