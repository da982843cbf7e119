/// The other parts of a credential leaked with an id (`[[rule.pair]]` of the id's rule): a
/// secret key and session token next to an AWS key id, an auth token next to a Twilio SID.
struct Pairing: Sendable, Hashable, Codable {
    /// Each part's value, by role (`secret`, `token`, `expiration`).
    var parts: [String: String]
    /// How the parts were tied to the id.
    var how: Method

    enum Method: String, Sendable, Hashable, Codable {
        /// In the same blob, file or chunk.
        case sameContent = "same content"
        /// In another file of the commit that introduced the id.
        case sameCommit = "same commit"
    }

    init(parts: [String: String] = [:], how: Method) {
        self.parts = parts
        self.how = how
    }

    subscript(role: String) -> String? { parts[role] }

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
