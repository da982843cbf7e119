/// A way text hides a secret from a plain match (UTF-16, percent-encoding, string escapes,
/// base64 values). Each decoding lives in its own file; `Decodings.all` lists them.
protocol Decoding: Sendable {
    /// Named in the report (`occurrence.decoding`).
    var name: String { get }
    /// Keyword offsets near which this decoding can reveal a secret: only the lines around them
    /// are decoded (`DecodingRegions`); empty when nothing here needs it. Nil: the decoding is
    /// of the whole content (UTF-16), judged and decoded as a whole.
    func anchors(_ hints: DecodingHints) -> [Int]?
    /// Cheap test: is decoding worth trying on these bytes (a region, or the whole content)?
    /// `hints` says which families of rules had a keyword in the content.
    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool
    /// The decoded text, with a way back to the original line numbers; nil when nothing changes.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText?
}

/// Decoded bytes and, for each of their lines, the line of the original content it came from.
struct DecodedText {
    var bytes: [UInt8]
    /// `originalLine[i]` is the original line of decoded line `i + 1`; nil when lines map 1:1.
    var originalLine: [Int]?

    func line(_ decodedLine: Int) -> Int {
        guard let map = originalLine, decodedLine >= 1, decodedLine <= map.count else { return decodedLine }
        return map[decodedLine - 1]
    }
}

/// What a rule's keywords anchor (`decode = [...]` in its rule file): the lines around them
/// are tried with that decoding.
enum DecodingAnchor: String, CaseIterable, Sendable {
    /// Base64 values (a key id's prefix base64-encoded is a keyword; Docker auths).
    case base64
    /// `%XX` escapes (URLs, form bodies).
    case percent
    /// Any backslash escape (`\u0041KIA`, `\n` before a value).
    case escape
    /// Only an escaped slash (`\/`, as PHP writes JSON): for values whose only escapable
    /// character is `/`, so a backslash elsewhere is not worth a decoding.
    case escapedSlash = "escaped-slash"
}

/// What the prefilter saw in the content, and where: decodings are tried only near keywords
/// where they can pay off (a keyword such as `secret` is everywhere; a key id prefix is not).
struct DecodingHints {
    /// Keyword offsets of the rules declaring each anchor, by `DecodingAnchor` position.
    private var offsets = [[Int]](repeating: [], count: DecodingAnchor.allCases.count)

    /// Offsets of the keywords anchoring any of `kinds`.
    func anchors(_ kinds: DecodingAnchor...) -> [Int] { kinds.flatMap { offsets[$0.index] } }

    func has(_ kind: DecodingAnchor) -> Bool { !offsets[kind.index].isEmpty }

    /// Which anchors each rule declares, worked out once per scanner (not per content).
    struct Families: Sendable {
        let byRule: [[DecodingAnchor]]

        init(_ rules: RuleSet) {
            byRule = rules.rules.map { $0.decode.compactMap(DecodingAnchor.init(rawValue:)) }
        }

        /// The rules whose keyword offsets the matcher must record for the hints.
        var rules: Set<Int> { Set(byRule.indices.filter { !byRule[$0].isEmpty }) }
    }

    /// The hints from the matcher's last content.
    init(_ matcher: Matcher, families: Families) {
        for index in matcher.triggeredRules where !families.byRule[index].isEmpty {
            let found = matcher.keywordOffsets(of: index)
            for kind in families.byRule[index] { offsets[kind.index] += found }
        }
    }
}

extension DecodingAnchor {
    fileprivate var index: Int { DecodingAnchor.allCases.firstIndex(of: self)! }
}

enum Decodings {
    static let all: [any Decoding] = [UTF16Decoding(), PercentDecoding(), EscapeDecoding(), Base64Decoding()]
    /// What rule files may name in `decode`.
    static let names = Set(DecodingAnchor.allCases.map(\.rawValue))
}
