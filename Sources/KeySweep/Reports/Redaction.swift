import Crypto
import Foundation

/// How reports show a secret: redacted so it can be recognised but not used (`AKIA…4BKH`,
/// `-----BEGIN RSA PRIVATE KEY----- …(1.7 KB)`), or shortened when it is too long to read
/// (`IQoJ…(812 chars)`, a PEM block as its header and fingerprint).
public enum Redaction {
    /// Recognisable but unusable: the first and last four characters of a secret of 20 or more,
    /// two of one of 12 to 19, none of a shorter one; a PEM block keeps only its header line.
    public static func redact(_ secret: String) -> String {
        if let header = pemHeader(secret) { return "\(header) …(\(size(secret.utf8.count)))" }
        let characters = Array(secret)
        guard characters.count >= 12 else { return String(repeating: "*", count: min(characters.count, 8)) }
        let keep = characters.count >= 20 ? 4 : 2
        return oneLine(String(characters.prefix(keep))) + "…" + oneLine(String(characters.suffix(keep)))
    }

    /// Secrets longer than this are shortened in the text report (unless `--show-secrets`).
    static let longSecret = 100

    /// The text report's form without `--redact`: short secrets in full; a PEM block as its
    /// header and fingerprint; a long or multi-line secret as its start and length.
    static func shorten(_ secret: String) -> String {
        if let header = pemHeader(secret) { return "\(header) (\(size(secret.utf8.count)), \(fingerprint(secret)))" }
        let characters = Array(secret)
        guard characters.count > longSecret || secret.contains(where: \.isNewline) else { return secret }
        return oneLine(String(characters.prefix(4))) + "…(\(characters.count) chars)"
    }

    /// `sha256:` and the first 16 hex digits of the value's SHA-256: tells two blocks apart, and
    /// a copy of the key can be checked against it (`tr -d '\r' < key | sha256sum`).
    static func fingerprint(_ secret: String) -> String {
        "sha256:" + String(Fingerprint.hex(SHA256.hash(data: Data(secret.utf8))).prefix(16))
    }

    /// The `-----BEGIN … -----` line of a PEM (or PGP armour) block, if the secret is one.
    /// Also when the block is written with `\n` escapes (a private key inside JSON).
    static func pemHeader(_ secret: String) -> String? {
        guard secret.hasPrefix("-----BEGIN ") else { return nil }
        let rest = secret.dropFirst(11)
        guard let end = rest.range(of: "-----") else { return nil }
        let label = rest[..<end.lowerBound]
        guard !label.isEmpty, label.count < 60, label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " }) else { return nil }
        return "-----BEGIN \(label)-----"
    }

    /// `812 B`, `1.7 KB`.
    static func size(_ bytes: Int) -> String {
        bytes < 1000 ? "\(bytes) B" : String(format: "%.1f KB", Double(bytes) / 1000)
    }

    private static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline ? " " : $0 })
    }
}

extension Redaction {
    /// `redact` of a finding's secret: for a secret held cut (`CutSecret`), the same text as
    /// for the whole secret. A value its provider module calls a public identifier (an AWS key
    /// id) is not secret and stays whole.
    public static func redact(_ finding: Finding) -> String {
        if ProviderModules.isPublicIdentifier(finding) { return finding.secret }
        guard let cut = finding.secretCut else { return redact(finding.secret) }
        let start = CutSecret.prefix(of: finding.secret)
        if let header = pemHeader(start) { return "\(header) …(\(size(cut.bytes)))" }
        return oneLine(String(start.prefix(4))) + "…" + oneLine(String(cut.tail.suffix(4)))
    }

    /// `shorten` of a finding's secret, the same for a secret held cut as for the whole.
    static func shorten(_ finding: Finding) -> String {
        guard let cut = finding.secretCut else { return shorten(finding.secret) }
        let start = CutSecret.prefix(of: finding.secret)
        if let header = pemHeader(start) { return "\(header) (\(size(cut.bytes)), sha256:\(CutSecret.digest(of: finding.secret).prefix(16)))" }
        return oneLine(String(start.prefix(4))) + "…(\(cut.characters) chars)"
    }
}

/// Which form of a secret a report prints.
public enum SecretDisplay: Sendable {
    /// Short secrets in full, long ones and PEM blocks shortened (`Redaction.shorten`).
    case shortened
    /// Recognisable, never usable (`--redact`).
    case redacted
    /// Everything in full (`--show-secrets`).
    case full

    func show(_ secret: String) -> String {
        switch self {
        case .shortened: return Redaction.shorten(secret)
        case .redacted: return Redaction.redact(secret)
        case .full: return secret
        }
    }

    /// The form of a finding's secret; in full, a secret held cut is its held text (its start,
    /// length and digest: `CutSecret.held`).
    func show(_ finding: Finding) -> String {
        switch self {
        case .shortened: return Redaction.shorten(finding)
        case .redacted: return Redaction.redact(finding)
        case .full: return finding.secret
        }
    }
}
