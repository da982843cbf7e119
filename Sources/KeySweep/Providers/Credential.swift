/// One leaked credential, provider-neutral: the finding that names it (a key id, a token) and
/// the parts found with it, by the role its rule's `[[rule.pair]]` gives them (`secret`,
/// `token`). A token that is its own secret has no parts.
package struct Credential: Sendable {
    /// The provider its rule declares, as `ProviderName` spells it.
    package var provider: String
    package var id: Finding
    package var parts: [String: Finding]

    /// The value that names the credential (the AWS key id, the GitHub token).
    package var value: String { id.secret }
    /// When it first leaked: the date of the commit that introduced it; nil outside history.
    package var leakedAt: String? { id.occurrences.compactMap { $0.commit?.date }.min { a, b in
        (GitDate.seconds(iso8601: a) ?? .max) < (GitDate.seconds(iso8601: b) ?? .max)
    } }
    /// Every finding of the credential.
    package var findings: [Finding] { [id] + parts.keys.sorted().compactMap { parts[$0] } }
    /// Shown or read from a redacted report: the value is not whole.
    package var isRedacted: Bool { id.secret.contains("…") }

    /// The credentials of `provider` in `findings`: each finding of one of its rules that is not
    /// itself a part another finding's pairing names, with the parts its pairing names.
    package static func all(of provider: String, in findings: [Finding]) -> [Credential] {
        let wanted = ProviderName.normalised(provider)
        return paired(findings.filter { ProviderName.normalised($0.rule.provider) == wanted }, in: findings)
    }

    /// Every finding as credentials, whatever its provider, in the order of `findings`: each
    /// finding that is not a part another finding's pairing names, with the parts its own
    /// pairing names (an AWS key id with its secret and session token; a token alone). The HTML
    /// report's one row per credential.
    package static func all(in findings: [Finding]) -> [Credential] {
        paired(findings, in: findings)
    }

    /// `candidates` with the parts (looked up in `findings`) their pairings name, less those
    /// that are themselves such a part.
    private static func paired(_ candidates: [Finding], in findings: [Finding]) -> [Credential] {
        struct Key: Hashable { var rule: String; var secret: String }
        let byKey = Dictionary(findings.map { (Key(rule: $0.rule.id, secret: $0.secret), $0) }, uniquingKeysWith: { a, _ in a })
        var partIDs = Set<String>()
        var credentials: [Credential] = []
        for finding in candidates {
            var parts: [String: Finding] = [:]
            for pair in finding.rule.pairs {
                guard let rule = pair.rule, let value = finding.pairing?.parts[pair.role],
                      let part = byKey[Key(rule: rule, secret: value)] else { continue }
                parts[pair.role] = part
                partIDs.insert(part.id)
            }
            credentials.append(Credential(provider: ProviderName.normalised(finding.rule.provider), id: finding, parts: parts))
        }
        return credentials.filter { !partIDs.contains($0.id.id) }
    }
}

/// Provider names as rule files write them, made one spelling ("Newrelic" and "New Relic",
/// "Azure" and "Microsoft Azure"): the registry of provider modules is keyed by it.
package enum ProviderName {
    static let aliases: [String: String] = [
        "newrelic": "New Relic", "azure": "Microsoft Azure", "aws": "AWS", "amazon web services": "AWS",
        "github": "GitHub",
        // Spellings rule files used before (reports read back name them so).
        "digitalocean": "DigitalOcean", "openai": "OpenAI", "huggingface": "Hugging Face", "pypi": "PyPI",
        "npm": "npm", "npmrc": "npm", "sendgrid": "SendGrid", "planetscale": "PlanetScale", "wordpress": "WordPress",
        "jwt": "JWT", "putty": "PuTTY", "pgp": "OpenPGP", "filezilla": "FileZilla",
    ]

    package static func normalised(_ name: String?) -> String {
        guard let name, !name.isEmpty else { return "" }
        return aliases[name.lowercased()] ?? name
    }
}
