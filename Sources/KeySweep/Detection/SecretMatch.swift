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
    /// For an AWS access key id: the secret key, session token and expiry found with it.
    public var awsPairing: AWSPairing?
}

/// The parts of an AWS credential found next to a key id.
public struct AWSPairing: Sendable, Hashable {
    public var secret: String?
    public var token: String?
    /// `Expiration` written next to temporary credentials, as written.
    public var expiration: String?
    /// How the secret was tied to the id: `same content` or `same commit`.
    public var how: String

    public init(secret: String? = nil, token: String? = nil, expiration: String? = nil, how: String) {
        self.secret = secret
        self.token = token
        self.expiration = expiration
        self.how = how
    }
}
