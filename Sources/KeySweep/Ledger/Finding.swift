/// One secret of one rule, with everywhere it occurs.
public struct Finding: Sendable {
    /// Stable fingerprint of rule and secret (`Fingerprint.findingID`).
    public var id: String
    public var rule: Rule
    public var secret: String
    var isPlaceholder: Bool
    /// Sorted: first introduction first.
    var occurrences: [Occurrence]
    /// Whether the current tree (HEAD, or the files on disk) still holds it.
    var inHead: Bool
    /// For an id of a credential (`[[rule.pair]]`): the parts leaked with it.
    var pairing: Pairing?

    /// The occurrence that introduced it: earliest in topological order, ties broken by commit time.
    var first: Occurrence { occurrences[0] }
    var confidence: Confidence { rule.confidence }
}
