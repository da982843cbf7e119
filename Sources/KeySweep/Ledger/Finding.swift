/// One secret of one rule, with everywhere it occurs.
///
/// A value type whose fields live in one shared box, copied only when a copy is changed: a
/// finding held inline (its `Rule` alone is some 300 bytes) made every array of findings, every
/// `LeakedCredential` (three findings) and every dictionary of them cost about 2 KB a finding,
/// and a report of 100,000 findings copied them many times (654 MB peak for 1,000,000 key ids
/// on standard input). A copy is now one reference.
public struct Finding: Sendable {
    private final class Fields: @unchecked Sendable {
        var id: String
        var rule: Rule
        var secret: String
        var isPlaceholder: Bool
        var occurrences: [Occurrence]
        var omittedOccurrences: Int
        var inHead: Bool
        var pairing: Pairing?
        var refs: [RefExposure]
        var verification: VerificationResult?
        var carried: [String: ReportValue]
        var secretCut: CutSecret? = nil
        var blastRadius: BlastRadiusReport? = nil
        var reportedEncrypted: Bool? = nil

        init(id: String, rule: Rule, secret: String, isPlaceholder: Bool, occurrences: [Occurrence], omittedOccurrences: Int,
             inHead: Bool, pairing: Pairing?, refs: [RefExposure], verification: VerificationResult?, carried: [String: ReportValue]) {
            self.id = id
            self.rule = rule
            self.secret = secret
            self.isPlaceholder = isPlaceholder
            self.occurrences = occurrences
            self.omittedOccurrences = omittedOccurrences
            self.inHead = inHead
            self.pairing = pairing
            self.refs = refs
            self.verification = verification
            self.carried = carried
        }

        func copy() -> Fields {
            let copy = Fields(id: id, rule: rule, secret: secret, isPlaceholder: isPlaceholder, occurrences: occurrences,
                              omittedOccurrences: omittedOccurrences, inHead: inHead, pairing: pairing, refs: refs,
                              verification: verification, carried: carried)
            copy.secretCut = secretCut
            copy.blastRadius = blastRadius
            copy.reportedEncrypted = reportedEncrypted
            return copy
        }
    }

    private var fields: Fields

    /// The box to change: this finding's own (copied first when another finding shares it).
    private var owned: Fields {
        mutating get {
            if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
            return fields
        }
    }

    init(id: String, rule: Rule, secret: String, isPlaceholder: Bool, occurrences: [Occurrence], omittedOccurrences: Int = 0,
         inHead: Bool, pairing: Pairing? = nil, refs: [RefExposure] = [], verification: VerificationResult? = nil,
         carried: [String: ReportValue] = [:], secretCut: CutSecret? = nil) {
        fields = Fields(id: id, rule: rule, secret: secret, isPlaceholder: isPlaceholder, occurrences: occurrences,
                        omittedOccurrences: omittedOccurrences, inHead: inHead, pairing: pairing, refs: refs,
                        verification: verification, carried: carried)
        fields.secretCut = secretCut
    }

    // Each field is changed in place in the box (`_modify`): appending to `occurrences` copies
    // neither the box nor the array.

    /// Stable fingerprint of rule and secret (`Fingerprint.findingID`).
    public var id: String { get { fields.id } _modify { yield &owned.id } }
    public var rule: Rule { get { fields.rule } _modify { yield &owned.rule } }
    public var secret: String { get { fields.secret } _modify { yield &owned.secret } }
    package var isPlaceholder: Bool { get { fields.isPlaceholder } _modify { yield &owned.isPlaceholder } }
    /// Sorted: first introduction first. At most `HoldLimits.occurrencesPerFinding`: the earliest.
    var occurrences: [Occurrence] { get { fields.occurrences } _modify { yield &owned.occurrences } }
    /// Occurrences seen past `HoldLimits.occurrencesPerFinding` and not kept.
    var omittedOccurrences: Int { get { fields.omittedOccurrences } _modify { yield &owned.omittedOccurrences } }
    /// Whether the current tree (HEAD, or the files on disk) still holds it.
    var inHead: Bool { get { fields.inHead } _modify { yield &owned.inHead } }
    /// For an id of a credential (`[[rule.pair]]`): the parts leaked with it.
    var pairing: Pairing? { get { fields.pairing } _modify { yield &owned.pairing } }
    /// Per repository it was seen in through its history: ref tips holding it, the commit that
    /// removed it (empty outside git history, and in reports written before keysweep kept it).
    var refs: [RefExposure] { get { fields.refs } _modify { yield &owned.refs } }
    /// What `--verify` found out about the credential this finding is part of (its key id,
    /// secret or token); nil when not verified. A JSON report carries it (`verification`).
    var verification: VerificationResult? { get { fields.verification } _modify { yield &owned.verification } }
    /// Fields of a report's finding this keysweep does not model, as read (`merge` carries them).
    var carried: [String: ReportValue] { get { fields.carried } _modify { yield &owned.carried } }
    /// For a secret longer than `CutSecret.limit`: `secret` is its held text (its start, length
    /// and digest) and this what else reports show of it; nil for a secret held whole.
    var secretCut: CutSecret? { get { fields.secretCut } _modify { yield &owned.secretCut } }
    /// What the credential this finding names can do, from its provider module (`--blast-radius`,
    /// `--verify` of a provider that tells it); on the credential's id finding only. A JSON report
    /// carries it (`blast_radius`).
    package var blastRadius: BlastRadiusReport? { get { fields.blastRadius } _modify { yield &owned.blastRadius } }

    /// What a JSON report read back said of `encrypted` (its secret may be redacted); nil
    /// for a finding of a scan, or a report that did not say.
    var reportedEncrypted: Bool? { get { fields.reportedEncrypted } _modify { yield &owned.reportedEncrypted } }
    /// A private key whose own content says it is encrypted with a passphrase
    /// (`PrivateKeyEncryption`), or that a report read back said was.
    var isEncryptedKey: Bool { fields.reportedEncrypted ?? (PrivateKeyEncryption.isEncrypted(secret) == true) }

    /// The occurrence that introduced it: earliest in topological order, ties broken by commit time.
    var first: Occurrence { occurrences[0] }
    var confidence: Confidence { rule.confidence }
}
