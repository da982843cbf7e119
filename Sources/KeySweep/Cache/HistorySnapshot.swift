import Foundation

/// What a history scan handed the ledger, kept by the scan cache under the repository's ref
/// tips: when no ref moved, a rescan replays it instead of walking the history again.
struct HistorySnapshot {
    struct Record {
        var match: SecretMatch
        var occurrence: Occurrence
        var inHead: Bool
    }

    var stats: ScanStats
    var records: [Record]

    /// A digest of every reference, the commit it points at, and HEAD: equal digests mean the
    /// same reachable history.
    static func tipsKey(_ repository: Repository, path: String) throws -> String {
        var lines = try repository.references().map { "\($0.name) \($0.commit)" }.sorted()
        lines.append("HEAD \(try repository.headCommit()?.description ?? "-")")
        lines.append("path \(path)")
        return Fingerprint.sha256Hex(lines.joined(separator: "\n"))
    }

    /// Sends every record to the ledger, as the scan that made the snapshot did.
    func replay(into ledger: Ledger) {
        for record in records { ledger.record(record.match, at: record.occurrence, inHead: record.inHead) }
    }

    // MARK: storage (JSON; a snapshot holds one record per finding occurrence, so it is small)

    private struct Stored: Codable {
        var stats: ScanStats
        var records: [StoredRecord]
    }

    private struct StoredRecord: Codable {
        var match: Data
        var commit: CommitInfo?
        var path: String
        var line: Int
        var blob: String?
        var decoding: String?
        var inHead: Bool
    }

    func encoded() throws -> Data {
        try JSONEncoder().encode(Stored(stats: stats, records: try records.map {
            StoredRecord(match: try MatchCoding.encode([$0.match]), commit: $0.occurrence.commit, path: $0.occurrence.path,
                         line: $0.occurrence.line, blob: $0.occurrence.blob, decoding: $0.occurrence.decoding, inHead: $0.inHead)
        }))
    }

    init(stats: ScanStats, records: [Record]) {
        self.stats = stats
        self.records = records
    }

    init(encoded data: Data) throws {
        let stored = try JSONDecoder().decode(Stored.self, from: data)
        stats = stored.stats
        records = try stored.records.map {
            guard let match = try MatchCoding.decode($0.match).first else { throw CocoaError(.coderInvalidValue) }
            return Record(match: match,
                          occurrence: Occurrence(commit: $0.commit, path: $0.path, line: $0.line, blob: $0.blob, decoding: $0.decoding),
                          inHead: $0.inHead)
        }
    }
}

/// The ledger as a history scan sees it: every record is passed on, and kept when the scan
/// cache will store a snapshot.
final class LedgerTape {
    let ledger: Ledger
    private let keeping: Bool
    private(set) var records: [HistorySnapshot.Record] = []

    init(ledger: Ledger, keeping: Bool) {
        self.ledger = ledger
        self.keeping = keeping
    }

    func record(_ match: SecretMatch, at occurrence: Occurrence, inHead: Bool) {
        ledger.record(match, at: occurrence, inHead: inHead)
        if keeping { records.append(HistorySnapshot.Record(match: match, occurrence: occurrence, inHead: inHead)) }
    }
}
