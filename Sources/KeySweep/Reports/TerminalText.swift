/// Text that comes from what was scanned (file names, authors, secrets, messages) made safe to
/// print: control characters become visible escapes (`\e`, `\n`, `\x07`), so a file name cannot
/// clear the screen, set a window title or forge a line of the report; bidirectional overrides
/// (Trojan Source) are shown as `\u{202E}` too.
public enum TerminalText {
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            guard isUnsafe(scalar) else { out.append(scalar); continue }
            let shown: String
            switch scalar {
            case "\u{1B}": shown = "\\e"
            case "\n": shown = "\\n"
            case "\r": shown = "\\r"
            case "\t": shown = "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                shown = scalar.value <= 0xFF ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{\(hex)}"
            }
            out.append(contentsOf: shown.unicodeScalars)
        }
        return String(out)
    }

    /// Each line escaped, the line breaks kept: for multi-line text made of names from elsewhere.
    public static func escapeLines(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { escape(String($0)) }.joined(separator: "\n")
    }

    /// C0 and C1 controls, DEL, and the bidirectional embedding, override and isolate marks.
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }
}
