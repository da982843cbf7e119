/// Completes AWS credentials within one piece of content: finds secret access keys that no
/// keyword names when a key id sits in the same content (however far away), and pairs each key
/// id with its nearest secret key, and each temporary (ASIA) id with its nearest session token
/// and `Expiration`. One per worker (it owns match scratch).
final class AWSCredentialDetector {
    private let rules: RuleSet
    let keyIDRule: Int?
    let secretRule: Int?
    private let tokenRule: Int?
    private let scratch = MatchScratch(maxCaptures: 4)

    /// 40 characters of the secret-key alphabet, not inside a longer base64 run.
    private static let bareSecret = try! Regex(#"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=])"#)
    private static let expiration = try! Regex(#"(?i)"?expiration"?\s*[:=]\s*"?(?<secret>\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)"#)

    static let keyIDRuleID = "aws-access-key-id"
    static let secretRuleID = "aws-secret-access-key"
    static let tokenRuleID = "aws-session-token"

    init(rules: RuleSet) {
        self.rules = rules
        keyIDRule = rules.rules.firstIndex { $0.id == Self.keyIDRuleID }
        secretRule = rules.rules.firstIndex { $0.id == Self.secretRuleID }
        tokenRule = rules.rules.firstIndex { $0.id == Self.tokenRuleID }
    }

    /// Adds unnamed secret keys next to key ids and fills in `awsPairing` of each key id.
    func complete(_ matches: inout [SecretMatch], in bytes: UnsafeRawBufferPointer, decoding: String?) {
        guard let keyIDRule, matches.contains(where: { $0.rule == keyIDRule && !$0.isPlaceholder }) else { return }
        if let secretRule { addUnnamedSecrets(&matches, rule: secretRule, in: bytes, decoding: decoding) }
        let secrets = matches.filter { $0.rule == secretRule && !$0.isPlaceholder }
        let tokens = matches.filter { $0.rule == tokenRule && !$0.isPlaceholder }
        var expirations: [(offset: Int, value: String)] = []
        if !tokens.isEmpty {
            Self.expiration.forEachMatch(in: bytes, scratch: scratch) { _, value in
                guard let value else { return }
                expirations.append((value.lowerBound, String(decoding: bytes[value], as: UTF8.self)))
            }
        }
        for index in matches.indices where matches[index].rule == keyIDRule && !matches[index].isPlaceholder {
            let id = matches[index]
            let secret = Self.nearest(to: id.offset, in: secrets.map { ($0.offset, $0.secret) })
            var token: String?
            var expiry: String?
            if id.secret.hasPrefix("ASIA"), let nearestToken = Self.nearestMatch(to: id.offset, in: tokens) {
                token = nearestToken.secret
                expiry = Self.nearest(to: nearestToken.offset, in: expirations.map { ($0.offset, $0.value) })
            }
            if secret != nil || token != nil {
                matches[index].awsPairing = AWSPairing(secret: secret, token: token, expiration: expiry, how: "same content")
            }
        }
    }

    /// Secret-key-shaped strings with both cases, not hex, above the rule's entropy floor.
    private func addUnnamedSecrets(_ matches: inout [SecretMatch], rule: Int, in bytes: UnsafeRawBufferPointer, decoding: String?) {
        let known = Set(matches.filter { $0.rule == rule }.map(\.offset))
        matches += unnamedSecrets(in: bytes, decoding: decoding).filter { !known.contains($0.offset) }
    }

    /// Every string in `bytes` shaped like a secret access key, named by a keyword or not.
    func unnamedSecrets(in bytes: UnsafeRawBufferPointer, decoding: String? = nil) -> [SecretMatch] {
        guard let rule = secretRule else { return [] }
        let text = bytes.bindMemory(to: UInt8.self)
        let floor = max(rules.rules[rule].minEntropy, 4.25)
        var lines = LineCounter(text)
        var found: [SecretMatch] = []
        Self.bareSecret.forEachMatch(in: bytes, scratch: scratch) { range, _ in
            let candidate = UnsafeBufferPointer(rebasing: text[range])
            guard AWSSecretKeyCheck().accepts(candidate), Entropy.bitsPerByte(candidate) >= floor,
                  !Self.isPathLike(candidate) else { return }
            let value = String(decoding: candidate, as: UTF8.self)
            found.append(SecretMatch(rule: rule, secret: value, line: lines.line(at: range.lowerBound),
                                     isPlaceholder: Placeholder.isPlaceholder(value), decoding: decoding,
                                     offset: range.lowerBound))
        }
        return found
    }

    /// Paths and identifiers (`src/main/java/com/Foo`) fit the alphabet but have several
    /// slashes between word-like parts; real keys hold at most a few slashes, spread randomly.
    private static func isPathLike(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        let slashes = value.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
        return slashes >= 4
    }

    private static func nearest(to offset: Int, in candidates: [(Int, String)]) -> String? {
        candidates.min { abs($0.0 - offset) < abs($1.0 - offset) }?.1
    }

    private static func nearestMatch(to offset: Int, in candidates: [SecretMatch]) -> SecretMatch? {
        candidates.min { abs($0.offset - offset) < abs($1.offset - offset) }
    }
}
