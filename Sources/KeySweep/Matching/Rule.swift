import KeySweepRuleFile

/// How sure keysweep is that a match of a rule is a real secret.
public enum Confidence: String, Sendable, Comparable, CaseIterable, Codable {
    case low, medium, high

    private var rank: Int { self == .low ? 0 : self == .medium ? 1 : 2 }
    public static func < (l: Confidence, r: Confidence) -> Bool { l.rank < r.rank }
}

/// One detection rule, as written in a rule file (`Patterns/<family>/<rule id>.toml`).
public struct Rule: Sendable {
    public let id: String
    public let description: String
    let regex: Regex
    let pattern: String
    /// Lower-case literals of which at least one must occur for the regex to run (none: always run).
    let keywords: [String]
    /// Minimum Shannon entropy of the secret, in bits per byte (0: no floor).
    let minEntropy: Double
    public let confidence: Confidence
    /// Lower-case literals of which at least one must occur in the same content for a match
    /// to count (an AppSync key needs an AppSync endpoint nearby); none: no condition.
    let context: [String]
    /// Names of the checks in `SecretChecks` the secret must pass.
    let checks: [String]
    /// Texts the rule must find a secret in, and texts it must not.
    let examples: [String]
    let counterExamples: [String]
    /// The rule file it came from, for error messages.
    let file: String
    /// `keyword_window = N` in the rule file: every match holds one of the rule's keywords
    /// starting at most N bytes after the match starts. The regex then runs only at start
    /// positions up to N bytes before each keyword found (checked on the examples at load).
    var keywordWindow: Int? = nil
    /// `keyword_near = N`: a match counts only when it starts within N bytes of one of the
    /// rule's keywords, before or after it (a secret with no literal of its own, found where a
    /// word naming its provider is near). The regex runs only at those start positions: over a
    /// whole content, such a pattern cost 5 ns a byte, and one mention of the provider in a
    /// 2 MiB content paid for all of it.
    var keywordNear: Int? = nil
    /// `host_decides_test_values = true`: a test word in the secret (`testpass`) makes it a
    /// placeholder only when the host after its `@` is local or a documentation host. A weak
    /// password for a real server (`testuser:testpass@ds048537.mongolab.com`) is still a leak.
    var hostDecidesTestValues = false
    /// `published_values`: values of the rule's shape that a provider's SDK or documentation
    /// publishes in its own tests and samples (anyone can read them): placeholders, not leaks.
    var publishedValues: Set<String> = []
    /// `claims_names`: words that, in the name a value is assigned to (`telegram_api_token`),
    /// say it is this provider's. A catch-all (`fallback`) rule does not report a value so named:
    /// this rule knows the provider's format, and a value it does not find is not one (an
    /// impossible token is not a finding, whoever else would take it).
    var claimsNames: [String] = []
    /// The start positions the regex is tried at, around each keyword found: `before` and
    /// `after` it, in bytes; nil when the rule runs over the whole content.
    var keywordSpan: (before: Int, after: Int)? {
        if let keywordNear { return (keywordNear, keywordNear) }
        return keywordWindow.map { ($0, 0) }
    }
    /// `provider`: who issued the secret, as reports and the remediation plan name it.
    public var provider: String = ""
    /// `playbook`: the id of the provider steps the plan gives its findings (`ProviderPlaybooks`);
    /// nil: the generic steps.
    var playbook: String? = nil
    /// `kind`: `credential` (acts as it is) or `hash` (a password hash, cracked first);
    /// `RuleKinds`. The remediation plan ranks hashes after credentials.
    public var kind: String = RuleKinds.credential
    var isHash: Bool { kind == RuleKinds.hash }
    /// `decode`: the decodings tried on the lines around this rule's keywords (`base64`,
    /// `percent`, `escape`, `escaped-slash`; `Decodings`).
    var decode: [String] = []
    /// `[[rule.pair]]`: the other parts of the credential whose id this rule finds.
    var pairs: [PairPart] = []
    /// `[rule.unnamed]`: how this rule's secret is found with no keyword naming it, when an id
    /// it pairs with is in the same content or commit.
    var unnamed: UnnamedForm? = nil
    /// `enricher`: the provider-specific meaning added to its findings (`aws-access-key`).
    var enricher: String? = nil
    /// `more_specific_than`: rules whose finding of the same value this rule's replaces (a
    /// provider's webhook URL over a URL-with-password rule).
    var moreSpecificThan: [String] = []
    /// `fallback = true`: a catch-all; any other rule reporting the same value is more specific.
    var isFallback = false

    /// True when this rule's finding of a value replaces `other`'s finding of the same value.
    func isMoreSpecific(than other: Rule) -> Bool {
        moreSpecificThan.contains(other.id) || (other.isFallback && !isFallback)
    }
}

extension Rule {
    /// A rule known only by what a JSON report says of it: its id, description, provider and
    /// confidence, the enricher its findings took and the parts paired with them. It matches
    /// nothing; a report read back names rules the current rule set may not have.
    static func reported(id: String, description: String, provider: String, playbook: String? = nil, kind: String = RuleKinds.credential,
                         confidence: Confidence, enricher: String?, pairs: [PairPart]) -> Rule {
        var rule = Rule(id: id, description: description, regex: matchesNothing, pattern: "(?!)",
                        keywords: [], minEntropy: 0, confidence: confidence, context: [], checks: [],
                        examples: [], counterExamples: [], file: "(report)")
        rule.provider = provider
        rule.playbook = playbook
        rule.kind = kind
        rule.enricher = enricher
        rule.pairs = pairs
        return rule
    }

    private static let matchesNothing = try! Regex("(?!)")
}

/// One part of a credential an id rule pairs with its matches (`[[rule.pair]]`): each id takes
/// the nearest match of the part, one to one.
struct PairPart: Sendable {
    /// Named in reports (`secret`, `token`, `expiration`).
    let role: String
    /// The rule that finds the part; nil for a part found by `regex` instead.
    let rule: String?
    /// A part that is no finding of its own (an expiry time), found by this regex's `secret` group.
    let regex: Regex?
    let pattern: String?
    /// Only ids starting with one of these take the part (only temporary AWS key ids have a session token).
    let idPrefixes: [String]
    /// The part is taken only when the part of this role was, nearest to it.
    let near: String?
}

/// A secret found without a keyword (`[rule.unnamed]`): any string of this shape in a content
/// holding an id of the credential, passing the entropy floor and checks.
struct UnnamedForm: Sendable {
    let regex: Regex
    let pattern: String
    let minEntropy: Double
    let checks: [String]
}
