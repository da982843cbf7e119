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
}
