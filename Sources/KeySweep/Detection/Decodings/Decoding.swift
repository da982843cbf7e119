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

/// What the prefilter saw in the content, and where: decodings are tried only near keywords
/// where they can pay off (a keyword such as `secret` is everywhere; a key id prefix is not).
struct DecodingHints {
    /// Offsets of key id prefixes, or of the base64 forms of `AKIA`/`ASIA`.
    var keyIDs: [Int] = []
    /// Offsets of session token prefixes.
    var tokens: [Int] = []
    /// Offsets of words that name a secret key (`secret`).
    var secretWords: [Int] = []
    /// Offsets of the keywords of Docker or Kubernetes credential rules.
    var containerAuths: [Int] = []

    var keyID: Bool { !keyIDs.isEmpty }
    var token: Bool { !tokens.isEmpty }
    var secretWord: Bool { !secretWords.isEmpty }
    var containerAuth: Bool { !containerAuths.isEmpty }
    /// Either half of an AWS credential may be here.
    var aws: Bool { keyID || token || secretWord }

    /// Which family of hint each rule gives, worked out once per scanner (not per content).
    struct Families: Sendable {
        enum Family: Sendable { case keyID, token, secretWord, containerAuth }
        let byRule: [Family?]

        init(_ rules: RuleSet) {
            byRule = rules.rules.map { rule in
                switch rule.id {
                case AWSCredentialDetector.keyIDRuleID: return .keyID
                case AWSCredentialDetector.tokenRuleID: return .token
                case AWSCredentialDetector.secretRuleID: return .secretWord
                case let id where id.contains("docker") || id.contains("kubernetes"): return .containerAuth
                default: return nil
                }
            }
        }

        /// The rules whose keyword offsets the matcher must record for the hints.
        var rules: Set<Int> { Set(byRule.indices.filter { byRule[$0] != nil }) }
    }

    /// The hints from the matcher's last content.
    init(_ matcher: Matcher, families: Families) {
        for index in matcher.triggeredRules {
            switch families.byRule[index] {
            case .keyID?: keyIDs += matcher.keywordOffsets(of: index)
            case .token?: tokens += matcher.keywordOffsets(of: index)
            case .secretWord?: secretWords += matcher.keywordOffsets(of: index)
            case .containerAuth?: containerAuths += matcher.keywordOffsets(of: index)
            case nil: break
            }
        }
    }
}

enum Decodings {
    static let all: [any Decoding] = [UTF16Decoding(), PercentDecoding(), EscapeDecoding(), Base64Decoding()]
}
