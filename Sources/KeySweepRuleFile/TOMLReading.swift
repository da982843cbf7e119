import TOMLKit

/// Why a TOML document could not be read: where (1-based line and column) and what, in one
/// line with no control characters (the reason may quote the document's keys).
public struct TOMLReadError: Error, Sendable {
    public let line: Int
    public let column: Int
    public let reason: String

    /// `FILE:LINE:COLUMN: invalid TOML: REASON`.
    public func message(file: String) -> String { "\(file):\(line):\(column): invalid TOML: \(reason)" }
}

/// The one way keysweep parses TOML: `TOMLSyntax` first, so toml++ only sees documents it
/// cannot abort or recurse on, then toml++ for the values.
public enum TOMLReading {
    public static func table(_ text: String) throws(TOMLReadError) -> TOMLTable {
        do {
            try TOMLSyntax.check(text)
        } catch {
            throw TOMLReadError(line: error.line, column: error.column, reason: error.reason)
        }
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw TOMLReadError(line: error.source.begin.line, column: error.source.begin.column,
                                reason: printable(error.description))
        } catch {
            throw TOMLReadError(line: 1, column: 1, reason: printable("\(error)"))
        }
    }

    /// `text` with control characters as `\u{..}` escapes, cut to 300 characters.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if out.unicodeScalars.count >= 300 { return out + "…" }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029 {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
