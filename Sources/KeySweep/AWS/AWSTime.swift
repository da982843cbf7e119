import Foundation

/// Times as keysweep writes them: ISO 8601 UTC, whole seconds, so they compare as strings.
package enum AWSTime {
    /// IAM's `2026-12-07T08:00:00Z`, with fractions or an offset; the text itself when unreadable.
    package static func normalize(_ text: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        var trimmed = text.trimmingCharacters(in: .whitespaces)
        // Drop a fraction: "…:00.123Z" → "…:00Z".
        if let dot = trimmed.firstIndex(of: "."), trimmed.distance(from: trimmed.startIndex, to: dot) == 19 {
            let end = trimmed[dot...].dropFirst().firstIndex { !$0.isNumber } ?? trimmed.endIndex
            trimmed.removeSubrange(dot..<end)
        }
        if let date = parser.date(from: trimmed) { return VerificationClock.iso8601(date) }
        return text
    }

    package static func date(_ text: String) -> Date? {
        let normalized = normalize(text)
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        return parser.date(from: normalized)
    }
}

extension AWSTime {
    /// Seconds since 1970 of an AWS time in any of its forms (fractions, offsets, a space for
    /// the `T` as boto3 prints it); nil when unreadable.
    package static func seconds(_ text: String?) -> Int64? {
        guard let text else { return nil }
        let fixed = text.count > 19 && text[text.index(text.startIndex, offsetBy: 10)] == " "
            ? String(text.prefix(10)) + "T" + text.dropFirst(11) : text
        return date(fixed).map { Int64($0.timeIntervalSince1970.rounded()) }
    }
}
