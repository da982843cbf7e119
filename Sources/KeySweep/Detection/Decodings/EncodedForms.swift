/// The encoded form of a decoded secret is an occurrence of that secret, not a second one: the
/// base64 value of a Kubernetes Secret that decodes to a key id is the key id (reported with
/// its decoding), not also a `generic-secret` of its own.
enum EncodedForms {
    /// Drops each match whose text, decoded the way another match on the same line was revealed,
    /// holds that match's secret, unless its rule is the more confident of the two (a rule made
    /// for the encoded value keeps it).
    static func drop(from matches: [SecretMatch], rules: RuleSet) -> [SecretMatch] {
        let decoded = matches.filter { $0.decoding != nil }
        guard !decoded.isEmpty else { return matches }
        var byLine: [Int: [SecretMatch]] = [:]
        for match in decoded { byLine[match.line, default: []].append(match) }
        return matches.filter { match in
            guard let revealed = byLine[match.line] else { return true }
            return !revealed.contains { isEncodedForm(match, of: $0, rules: rules) }
        }
    }

    private static func isEncodedForm(_ encoded: SecretMatch, of revealed: SecretMatch, rules: RuleSet) -> Bool {
        guard encoded.secret != revealed.secret,
              rules.rules[encoded.rule].confidence <= rules.rules[revealed.rule].confidence,
              let steps = remainingSteps(from: encoded.decoding, to: revealed.decoding) else { return false }
        var bytes = Array(encoded.secret.utf8)
        for step in steps {
            guard let decoder = Decodings.all.first(where: { $0.name == step }),
                  let out = bytes.withUnsafeBufferPointer({ decoder.decode($0) }) else { return false }
            bytes = out.bytes
        }
        let secret = Array(revealed.secret.utf8)
        return bytes.withUnsafeBufferPointer { ByteSearch.contains($0, secret) }
    }

    /// The decodings applied after `outer`'s to reach `inner` (`base64` from plain text,
    /// `base64` from `percent` to `percent+base64`); nil when `inner` is not a decoding of `outer`.
    private static func remainingSteps(from outer: String?, to inner: String?) -> [String]? {
        guard let inner else { return nil }
        let a = outer.map { $0.split(separator: "+").map(String.init) } ?? []
        let b = inner.split(separator: "+").map(String.init)
        guard b.count > a.count, Array(b.prefix(a.count)) == a else { return nil }
        return Array(b.dropFirst(a.count))
    }
}
