/// One rule as its rule file states it (`Patterns/<family>/<rule id>.toml`): plain values, no
/// compiled regex. `RuleFileReader` makes them from TOML; the build embeds the built-in ones as
/// Swift values (`PatternEmbedder`), so start-up reads no TOML; `RuleSet` compiles them.
public struct RuleDefinition: Sendable, Equatable {
    public var id: String
    public var description: String
    public var regex: String
    public var caseless = false
    public var keywords: [String] = []
    public var entropy: Double = 0
    public var confidence = "medium"
    public var checks: [String] = []
    public var examples: [String] = []
    public var counterExamples: [String] = []
    public var context: [String] = []
    public var keywordWindow: Int? = nil
    public var keywordNear: Int? = nil
    public var provider = ""
    /// `playbook`: the provider steps the remediation plan gives its findings (`ProviderPlaybooks`).
    public var playbook: String? = nil
    /// `kind`: what a secret of the rule is (`RuleKinds`): a credential that acts as it is, or a
    /// password hash that must be cracked first. The remediation plan ranks by it.
    public var kind = "credential"
    public var decode: [String] = []
    public var pairs: [Pair] = []
    public var unnamed: Unnamed? = nil
    public var enricher: String? = nil
    public var moreSpecificThan: [String] = []
    public var fallback = false
    /// `host_decides_test_values`: see `Rule.hostDecidesTestValues`.
    public var hostDecidesTestValues = false
    /// `published_values`: see `Rule.publishedValues`.
    public var publishedValues: [String] = []
    /// `claims_names`: see `Rule.claimsNames`.
    public var claimsNames: [String] = []
    /// The rule file it came from, for error messages.
    public var file: String

    /// `[[rule.pair]]`: `role`, then `rule` or `regex`, optional `id_prefixes` and `near`.
    public struct Pair: Sendable, Equatable {
        public var role: String
        public var rule: String?
        public var regex: String?
        public var idPrefixes: [String] = []
        public var near: String?

        public init(role: String, rule: String? = nil, regex: String? = nil, idPrefixes: [String] = [], near: String? = nil) {
            self.role = role; self.rule = rule; self.regex = regex; self.idPrefixes = idPrefixes; self.near = near
        }
    }

    /// `[rule.unnamed]`: `regex` (with a `secret` group), optional `entropy` and `checks`.
    public struct Unnamed: Sendable, Equatable {
        public var regex: String
        public var entropy: Double = 0
        public var checks: [String] = []

        public init(regex: String, entropy: Double = 0, checks: [String] = []) {
            self.regex = regex; self.entropy = entropy; self.checks = checks
        }
    }

    public init(id: String, description: String, regex: String, file: String) {
        self.id = id
        self.description = description
        self.regex = regex
        self.file = file
    }
}

/// The values of a rule's `kind`.
public enum RuleKinds {
    /// A credential that acts as it is (a token, an API key, a password): the default.
    public static let credential = "credential"
    /// A password hash (bcrypt, crypt, Django, htpasswd): useful only once cracked.
    public static let hash = "hash"
    public static let all: [String] = [credential, hash]
}

/// A rule file that cannot be used, with the file and rule named.
public struct RuleFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
