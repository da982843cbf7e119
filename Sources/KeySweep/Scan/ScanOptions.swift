/// What a scan should do, independent of how it was asked for (CLI flags map onto this).
public struct ScanOptions: Sendable {
    /// Worker threads.
    public var jobs: Int = ScanOptions.defaultJobs
    /// Content larger than this is skipped and counted.
    public var maxBlobSize: Int = 64 << 20
    /// Scan content with a NUL byte in its first 8 KiB instead of skipping it.
    public var includeBinary = false
    /// Archives and compressed content opened and their members scanned (`ArchiveExtraction`).
    public var extraction = ArchiveExtraction.Limits()
    /// Report documentation examples, templates and test values too.
    public var includePlaceholders = false
    /// Show progress on standard error (the CLI turns this on when stderr is a terminal).
    public var progress = false
    /// Ignore files, baseline (see `SuppressionOptions`).
    public var suppression = SuppressionOptions()
    /// Which commits or trees of a git repository to scan (`--since`, `--range`, `--staged`, `--no-history`).
    public var history = HistoryOptions()
    /// Directory of the scan cache (`--cache DIR`): objects scanned before with the same rules
    /// and keysweep version are not read again. Nil: no cache.
    public var cacheDirectory: String?
    /// Opens the cache's store in `cacheDirectory` (the command line gives the SQLite store of
    /// `KeySweepCache`); nil: `cacheDirectory` is ignored with a warning.
    package var cacheStore: (@Sendable (_ directory: String) throws -> any ScanCacheStore)?
    /// Beside a repository's whole history, also scan its work tree's untracked (not ignored)
    /// and modified files (`WorkTreeSource`); `--no-worktree` turns it off.
    public var workTree = true
    /// Also scan objects no reference reaches (`--all-objects`).
    public var allObjects = false
    /// Read a history's packs as git index-pack does (`PackBlobReader`, `PackObjectReader`):
    /// each blob's keyword pass follows what its delta adds. `--no-delta` turns it off: every
    /// object is read through libgit2 and every blob matched in full, as before them (for
    /// comparison, and as a way out).
    public var followDeltas = true
    /// Work out, per finding in git history, the ref tips that still hold it and the commit of
    /// HEAD's first-parent chain that removed it (`Finding.refs`: the JSON report and the plan
    /// read them). It reads a tree per ref tip and per chain commit, so a caller that shows
    /// neither (the text report alone) turns it off.
    public var refFacts = true
    /// How much a scan holds in memory (`HoldLimits`).
    public var limits = HoldLimits()
    /// Remote targets: GitHub listings, where clones go, the token (`RemoteOptions`).
    public var remote = RemoteOptions()
    /// Scan only this process's share (`--shard I/N`); nil: everything.
    public var shard: Shard?

    public init() {}

    public static var defaultJobs: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }
}

import Foundation
