/// One secret of one rule, with everywhere it occurs.
public struct Finding: Sendable {
    /// Stable fingerprint of rule and secret (`Fingerprint.findingID`).
    public var id: String
    public var rule: Rule
    public var secret: String
    var isPlaceholder: Bool
    /// Sorted: first introduction first. At most `HoldLimits.occurrencesPerFinding`: the earliest.
    var occurrences: [Occurrence]
    /// Occurrences seen past `HoldLimits.occurrencesPerFinding` and not kept.
    var omittedOccurrences = 0
    /// Whether the current tree (HEAD, or the files on disk) still holds it.
    var inHead: Bool
    /// For an id of a credential (`[[rule.pair]]`): the parts leaked with it.
    var pairing: Pairing?
    /// Per repository it was seen in through its history: ref tips holding it, the commit that
    /// removed it (empty outside git history, and in reports written before keysweep kept it).
    var refs: [RefExposure] = []
    /// What `--verify` found out about the credential this finding is part of (its key id,
    /// secret or token); nil when not verified. A JSON report carries it (`verification`).
    var verification: VerificationResult? = nil
    /// Fields of a report's finding this keysweep does not model, as read (`merge` carries them).
    var carried: [String: ReportValue] = [:]

    /// The occurrence that introduced it: earliest in topological order, ties broken by commit time.
    var first: Occurrence { occurrences[0] }
    var confidence: Confidence { rule.confidence }
}
