import Foundation

/// Where the scan cache (`--cache DIR`) keeps its rows: opaque records under a scan key. The
/// core decides what a record holds (`ScanCache`); the store only keeps them. The command line
/// injects the SQLite store of the `KeySweepCache` target (`ScanOptions.cacheStore`), so the
/// core links no database.
package protocol ScanCacheStore: AnyObject, Sendable {
    /// Every object record filed under `key`; a store filed under another key is emptied first
    /// (a changed rule set never reuses a result found without it).
    func open(key: String) throws -> [CachedObject]
    /// Writes records, in one transaction.
    func store(_ objects: [CachedObject]) throws
    /// The history snapshot filed under a digest of ref tips, if any.
    func history(tips: String) throws -> Data?
    func storeHistory(_ snapshot: Data, tips: String) throws
}

/// One git object's result, as the store keeps it.
package struct CachedObject: Sendable {
    /// The object id's 20 raw bytes.
    package var id: Data
    /// 0 scanned, 1 skipped as binary, 2 skipped as too large.
    package var outcome: UInt8
    package var size: Int
    /// The encoded matches, when there are any.
    package var matches: Data?

    package init(id: Data, outcome: UInt8, size: Int, matches: Data?) {
        self.id = id
        self.outcome = outcome
        self.size = size
        self.matches = matches
    }
}
