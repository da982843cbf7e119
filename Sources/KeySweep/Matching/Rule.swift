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
    public let regex: Regex
    public let pattern: String
    /// Lower-case literals of which at least one must occur for the regex to run (none: always run).
    public let keywords: [String]
    /// Minimum Shannon entropy of the secret, in bits per byte (0: no floor).
    public let minEntropy: Double
    public let confidence: Confidence
    /// Lower-case literals of which at least one must occur in the same content for a match
    /// to count (an AppSync key needs an AppSync endpoint nearby); none: no condition.
    public let context: [String]
    /// Names of the checks in `SecretChecks` the secret must pass.
    public let checks: [String]
    /// Texts the rule must find a secret in, and texts it must not.
    public let examples: [String]
    public let counterExamples: [String]
    /// The rule file it came from, for error messages.
    public let file: String
    /// `keyword_window = N` in the rule file: every match holds one of the rule's keywords
    /// starting at most N bytes after the match starts. The regex then runs only at start
    /// positions up to N bytes before each keyword found (checked on the examples at load).
    public var keywordWindow: Int? = nil
}
