/// How much of what it finds a scan holds in memory, so that no input (millions of distinct
/// key ids in one file, one secret in every blob of a history) makes it grow without bound.
/// What goes past a limit is counted, not kept: the report says how much was left out
/// (`ScanStats.omittedMatches`, `Finding.omittedOccurrences`) and a warning names the limit.
public struct HoldLimits: Sendable {
    /// Matches one rule keeps from one content (a blob, a file, a chunk of a stream); past it
    /// the rule searches on and counts, and a real secret takes the place of a kept placeholder.
    public var matchesPerContent = 10_000
    /// Matches held by the workers of one source (one repository, directory or stream) until
    /// attribution hands them to the ledger; each source has all of it.
    public var heldMatches = 1_000_000
    /// Distinct secrets kept by the ledger; later ones are counted.
    public var findings = 100_000
    /// Occurrences kept per finding: the earliest introduced ones.
    public var occurrencesPerFinding = 1_000

    public init() {}
}
