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
}
