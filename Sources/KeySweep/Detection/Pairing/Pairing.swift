/// The other parts of a credential leaked with an id (`[[rule.pair]]` of the id's rule): a
/// secret key and session token next to an AWS key id, an auth token next to a Twilio SID.
struct Pairing: Sendable, Hashable, Codable {
    /// Each part's value, by role (`secret`, `token`, `expiration`).
    var parts: [String: String]
    /// How the parts were tied to the id.
    var how: Method
    /// Parts the text leaves in doubt, by role: the values the id may take (`--verify` tries
    /// each). Never also in `parts`.
    var candidates: [String: [String]] = [:]

    enum Method: String, Sendable, Hashable, Codable {
        /// In the same blob, file or chunk.
        case sameContent = "same content"
        /// In another file of the commit that introduced the id.
        case sameCommit = "same commit"
        /// In the same content, which of several values is the id's is not clear (`candidates`).
        case ambiguous
        /// One of the candidates of an ambiguous pairing, the one STS accepted (`--verify`).
        case verified

        /// How sure the tie is: STS's answer, then one content, then one commit, then doubt.
        var strength: Int {
            switch self {
            case .verified: 3
            case .sameContent: 2
            case .sameCommit: 1
            case .ambiguous: 0
            }
        }
    }

    init(parts: [String: String] = [:], how: Method, candidates: [String: [String]] = [:]) {
        self.parts = parts
        self.how = how
        self.candidates = candidates
    }

    subscript(role: String) -> String? { parts[role] }

    private enum CodingKeys: String, CodingKey { case parts, how, candidates }

    /// Records cached before `candidates` existed have none.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        parts = try c.decode([String: String].self, forKey: .parts)
        how = try c.decode(Method.self, forKey: .how)
        candidates = try c.decodeIfPresent([String: [String]].self, forKey: .candidates) ?? [:]
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(parts, forKey: .parts)
        try c.encode(how, forKey: .how)
        if !candidates.isEmpty { try c.encode(candidates, forKey: .candidates) }
    }

    /// How much of the credential it holds, for keeping the most complete of several sightings:
    /// each part found by a rule weighs more than every later one together.
    func weight(for rule: Rule) -> Int {
        var weight = 0
        for (position, part) in rule.pairs.enumerated() where part.rule != nil && parts[part.role] != nil {
            weight += 1 << (rule.pairs.count - position)
        }
        return weight
    }
}
