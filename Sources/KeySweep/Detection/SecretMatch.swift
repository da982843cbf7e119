/// A candidate the detector accepted: a secret of one rule at one line of one piece of content.
public struct SecretMatch: Sendable, Hashable {
    public var rule: Int
    public var secret: String
    /// 1-based line of the start of the secret.
    public var line: Int
    /// True when the value is a documentation example, a template or a test value.
    public var isPlaceholder: Bool
    /// The decoding that revealed it (`base64`, `utf-16le`, `url`), nil when found as written.
    public var decoding: String?
    /// Byte offset of the secret in the content it was found in (in decoded content, an
    /// offset there), for pairing nearby values.
    var offset: Int = 0
    /// For a match of a rule with `[[rule.pair]]` parts: the parts found with it.
    public var pairing: Pairing?
}
