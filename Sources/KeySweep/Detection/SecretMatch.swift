/// A candidate the detector accepted: a secret of one rule at one line of one piece of content.
struct SecretMatch: Sendable, Hashable {
    var rule: Int
    var secret: String
    /// 1-based line of the start of the secret.
    var line: Int
    /// True when the value is a documentation example, a template or a test value.
    var isPlaceholder: Bool
    /// The decoding that revealed it (`base64`, `utf-16le`, `url`), nil when found as written.
    var decoding: String?
    /// Byte offset of the secret in the content it was found in (in decoded content, an
    /// offset there), for pairing nearby values.
    var offset: Int = 0
    /// For a match of a rule with `[[rule.pair]]` parts: the parts found with it.
    var pairing: Pairing?
    /// Inside an archive: the members it was found in, outermost first (`outer.zip!dir/inner.tar.gz!file.py`);
    /// an empty name is the one stream of a compressed file.
    var members: [String]? = nil
    /// For a secret longer than `CutSecret.limit`: what is kept of it whole (`secret` is then
    /// its held text, `CutSecret.held`).
    var cut: CutSecret? = nil
}

/// What is held of a secret longer than `CutSecret.limit` bytes, so memory does not follow the
/// input (600 MB of 1 MB session tokens on standard input peaked at 688 MB): its text becomes
/// `held(whole)`, its first characters and a digest of it all, which stays unique and is what
/// the ledger, pairing and the cache compare; this keeps what reports need of the rest.
struct CutSecret: Sendable, Hashable, Codable {
    /// Longer secrets are cut: PEM and PGP private key blocks and real session tokens are shorter.
    static let limit = 8 << 10
    /// Characters of the secret kept in front.
    static let kept = 64

    /// The whole secret's length, in characters and in UTF-8 bytes.
    var characters: Int
    var bytes: Int
    /// Its last four characters (`--redact` shows them).
    var tail: String
    /// `Fingerprint.findingID` of the match's rule and the whole secret: ids stay what they are.
    var findingID: String

    /// The text held for `whole` when it is longer than `limit`: its first `kept` characters,
    /// its length and its SHA-256 (`IQoJb3Jp…(1048576 chars, sha256:…)`); shorter than `limit`,
    /// so never cut again.
    static func held(_ whole: String) -> String {
        whole.utf8.count > limit ? "\(whole.prefix(kept))…(\(whole.count) chars, sha256:\(Fingerprint.sha256Hex(whole)))" : whole
    }

    /// The first characters of the secret, from its held text.
    static func prefix(of held: String) -> String { String(held.prefix(kept)) }

    /// The SHA-256 of the whole secret (hex), from its held text.
    static func digest(of held: String) -> String { String(held.suffix(65).dropLast()) }

    /// `matches` with every secret longer than `limit`, and every paired value, held cut.
    static func bound(_ matches: [SecretMatch], rules: RuleSet) -> [SecretMatch] {
        guard matches.contains(where: { $0.secret.utf8.count > limit || $0.pairing.map(holdsLong) == true }) else { return matches }
        return matches.map { match in
            var match = match
            if match.secret.utf8.count > limit {
                let whole = match.secret
                match.cut = CutSecret(characters: whole.count, bytes: whole.utf8.count, tail: String(whole.suffix(4)),
                                      findingID: Fingerprint.findingID(rule: rules.rules[match.rule].id, secret: whole))
                match.secret = held(whole)
            }
            if var pairing = match.pairing, holdsLong(pairing) {
                pairing.parts = pairing.parts.mapValues(held)
                pairing.candidates = pairing.candidates.mapValues { $0.map(held) }
                match.pairing = pairing
            }
            return match
        }
    }

    private static func holdsLong(_ pairing: Pairing) -> Bool {
        pairing.parts.values.contains { $0.utf8.count > limit } || pairing.candidates.values.contains { $0.contains { $0.utf8.count > limit } }
    }
}

extension CutSecret {
    /// What a JSON report says of a secret held cut (`secret_truncated`, its `secret` the held
    /// text): its length and finding id; the tail is not written (redacted read back, none shows).
    init(reportedID id: String, characters: Int?) {
        self.init(characters: characters ?? 0, bytes: characters ?? 0, tail: "", findingID: id)
    }
}
