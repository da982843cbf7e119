import Foundation

/// What earlier scans found in each git object, kept in a store the command line provides
/// (`ScanCacheStore`: SQLite in the directory the user names with `--cache DIR`), so a rescan
/// reads only objects it has never scanned.
///
/// Every entry belongs to one *scan key*: a digest of the keysweep version, the rule set
/// (`RuleSet.fingerprint`) and the options that change what one object yields (`--max-size`,
/// `--include-binary`). Opening the cache with another key empties it: a changed rule never
/// reuses a result found without it.
///
/// The whole table is loaded at open (an id, a byte and a size per object; matches only for
/// the few objects that have some), so lookups during the scan are in-memory and lock-free;
/// new results are written in one transaction at the end.
final class ScanCache: @unchecked Sendable {
    let key: String
    private let store: any ScanCacheStore
    /// Seals every record that holds a secret (`CacheSeal`).
    private let seal: CacheSeal
    private var entries: [ObjectID: Entry] = [:]
    private let lock = NSLock()
    private var fresh: [(ObjectID, Entry)] = []

    /// One object's result. `matches` holds the encoded `[SecretMatch]` when there are any.
    struct Entry {
        var outcome: UInt8      // 0 scanned, 1 skipped as binary, 2 skipped as too large
        var size: Int
        var matches: Data?
    }

    init(store: any ScanCacheStore, seal: CacheSeal, rules: RuleSet, options: ScanOptions) throws {
        key = ScanCache.key(rules: rules, options: options)
        self.store = store
        self.seal = seal
        for object in try store.open(key: key) {
            guard let id = ObjectID(rawData: object.id) else { continue }
            entries[id] = Entry(outcome: object.outcome, size: object.size, matches: object.matches)
        }
    }

    /// The digest results are filed under.
    static func key(rules: RuleSet, options: ScanOptions) -> String {
        Fingerprint.sha256Hex("""
            keysweep \(KeySweepVersion.current)
            rules \(rules.fingerprint)
            max-size \(options.maxBlobSize)
            include-binary \(options.includeBinary)
            extract \(options.extraction.key)
            reading \(readingGeneration)
            """)
    }

    /// Bumped when the same bytes are read for more (new archive formats, PDF streams, binary
    /// property lists, terminal escapes, NUL-separated text): results cached before are stale.
    static let readingGeneration = 2

    var count: Int { entries.count }

    /// The result of an earlier scan of `id`, and the object's size; nil when never scanned.
    /// Safe to call from any thread while no `save` runs.
    func outcome(of id: ObjectID) -> (ContentScanner.Outcome, size: Int)? {
        guard let entry = entries[id] else { return nil }
        switch entry.outcome {
        case 1: return (.skippedBinary, entry.size)
        case 2: return (.skippedLarge, entry.size)
        default:
            guard let sealed = entry.matches else { return (.scanned([]), entry.size) }
            guard let data = seal.unseal(sealed), let matches = try? MatchCoding.decode(data) else { return nil }
            return (.scanned(matches), entry.size)
        }
    }

    /// Remembers what scanning `id` gave (written by `save`). Thread-safe.
    func record(_ id: ObjectID, _ outcome: ContentScanner.Outcome, size: Int) {
        let entry: Entry
        switch outcome {
        case .scanned(let matches):
            // Matches that cannot be sealed are not kept: the object is scanned again next time.
            if matches.isEmpty {
                entry = Entry(outcome: 0, size: size, matches: nil)
            } else {
                guard let sealed = try? seal.seal(MatchCoding.encode(matches)) else { return }
                entry = Entry(outcome: 0, size: size, matches: sealed)
            }
        case .skippedBinary: entry = Entry(outcome: 1, size: size, matches: nil)
        case .skippedLarge: entry = Entry(outcome: 2, size: size, matches: nil)
        }
        lock.lock(); fresh.append((id, entry)); lock.unlock()
    }

    /// The snapshot of a history scan whose refs had the digest `tips` (`HistorySnapshot.tipsKey`).
    func history(tips: String) -> HistorySnapshot? {
        guard let sealed = (try? store.history(tips: tips)) ?? nil, let data = seal.unseal(sealed) else { return nil }
        return try? HistorySnapshot(encoded: data)
    }

    func storeHistory(_ snapshot: HistorySnapshot, tips: String) throws {
        try store.storeHistory(try seal.seal(snapshot.encoded()), tips: tips)
    }

    /// Writes every recorded result, in one transaction.
    func save() throws {
        lock.lock()
        let pending = fresh
        fresh.removeAll()
        lock.unlock()
        guard !pending.isEmpty else { return }
        try store.store(pending.map {
            CachedObject(id: $0.0.rawData, outcome: $0.1.outcome, size: $0.1.size, matches: $0.1.matches)
        })
        for (id, entry) in pending { entries[id] = entry }
    }
}

/// `SecretMatch` lists as stored in the cache (JSON, rare and small; sealed by `CacheSeal`).
enum MatchCoding {
    private struct Stored: Codable {
        var rule: Int
        var secret: String
        var line: Int
        var placeholder: Bool
        var decoding: String?
        var offset: Int
        var pairing: Pairing?
        var members: [String]?
        /// A secret held cut (`CutSecret`): what is kept of it whole; absent in older records.
        var cut: CutSecret?
    }

    static func encode(_ matches: [SecretMatch]) throws -> Data {
        try JSONEncoder().encode(matches.map {
            Stored(rule: $0.rule, secret: $0.secret, line: $0.line, placeholder: $0.isPlaceholder, decoding: $0.decoding,
                   offset: $0.offset, pairing: $0.pairing, members: $0.members, cut: $0.cut)
        })
    }

    static func decode(_ data: Data) throws -> [SecretMatch] {
        try JSONDecoder().decode([Stored].self, from: data).map {
            var match = SecretMatch(rule: $0.rule, secret: $0.secret, line: $0.line, isPlaceholder: $0.placeholder,
                                    decoding: $0.decoding, offset: $0.offset)
            match.pairing = $0.pairing
            match.members = $0.members
            match.cut = $0.cut
            return match
        }
    }
}
