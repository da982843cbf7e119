import Foundation

/// What a history scan handed the ledger, kept by the scan cache under the repository's ref
/// tips: when no ref moved, a rescan replays it instead of walking the history again.
struct HistorySnapshot {
    var stats: ScanStats
    var records: [Sighting]

    /// A digest of every reference, the commit it points at, and HEAD: equal digests mean the
    /// same reachable history.
    static func tipsKey(_ repository: Repository, path: String) throws -> String {
        var lines = try repository.references().map { "\($0.name) \($0.commit)" }.sorted()
        lines.append("HEAD \(try repository.headCommit()?.description ?? "none")")
        // A tag moved to another tag object of the same commit changes the messages scanned.
        lines += try repository.referencedTagObjects().map { "tag \($0)" }.sorted()
        lines.append("path \(path)")
        return Fingerprint.sha256Hex(lines.joined(separator: "\n"))
    }

    // MARK: storage (JSON; a snapshot holds one record per finding occurrence, so it is small)

    private struct Stored: Codable {
        var stats: ScanStats
        var records: [StoredRecord]
    }

    private struct StoredRecord: Codable {
        var match: Data
        var commit: CommitInfo?
        var provenance: Provenance
        var line: Int
        var decoding: String?
        var inHead: Bool
    }

    func encoded() throws -> Data {
        try JSONEncoder().encode(Stored(stats: stats, records: try records.map {
            StoredRecord(match: try MatchCoding.encode([$0.match]), commit: $0.occurrence.commit, provenance: $0.occurrence.provenance,
                         line: $0.occurrence.line, decoding: $0.occurrence.decoding, inHead: $0.inHead)
        }))
    }

    init(stats: ScanStats, records: [Sighting]) {
        self.stats = stats
        self.records = records
    }

    init(encoded data: Data) throws {
        let stored = try JSONDecoder().decode(Stored.self, from: data)
        stats = stored.stats
        records = try stored.records.map {
            guard let match = try MatchCoding.decode($0.match).first else { throw CocoaError(.coderInvalidValue) }
            return Sighting(match: match,
                            occurrence: Occurrence(commit: $0.commit, provenance: $0.provenance, line: $0.line, decoding: $0.decoding),
                            inHead: $0.inHead)
        }
    }
}
