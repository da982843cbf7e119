/// The numbers of a JSON report read back, checked against what a scan can write: counts are
/// 0 or more, lines 1 or more, a shard's count within `Shard.maxCount` and its index below it.
/// A report is input like any other (merge reads reports from many machines): an edited count
/// of -1 or 10^9 shards must not become a crash or a multi-gigabyte allocation.
enum ReportRanges {
    /// The stats' counters by their JSON names (also what `merge` adds up); key paths are
    /// immutable values, never written (hence `nonisolated(unsafe)`).
    nonisolated(unsafe) static let counters: [(name: String, value: WritableKeyPath<ScanStats, Int>)] = [
        ("commits", \.commits), ("blobs", \.blobs), ("cached_blobs", \.cachedBlobs),
        ("unreachable_commits", \.unreachableCommits), ("files", \.files), ("bytes", \.bytes),
        ("skipped_large", \.skippedLarge), ("skipped_binary", \.skippedBinary), ("placeholders", \.placeholders),
        ("omitted_matches", \.omittedMatches), ("incomplete", \.incomplete), ("archive_members", \.archiveMembers),
        ("extracted_bytes", \.extractedBytes), ("encrypted_members", \.encryptedMembers),
        ("binary_strings", \.binaryStrings), ("string_bytes", \.stringBytes),
    ]

    static func check(_ document: JSONReport.Document, name: String) throws {
        func fail(_ field: String, _ value: CustomStringConvertible, _ wanted: String) -> ReportError {
            ReportError(description: "\(name): \(field) is \(value), not \(wanted)")
        }
        let stats = document.stats
        for (field, value) in counters where stats[keyPath: value] < 0 {
            throw fail("stats.\(field)", stats[keyPath: value], "a count (0 or more)")
        }
        // At most 10^12 s: sums of any number of reports stay finite (JSON has no infinity).
        guard stats.seconds.isFinite && (0...1e12).contains(stats.seconds) else {
            throw fail("stats.seconds", stats.seconds, "a duration (0 to 10^12 seconds)")
        }
        for fetched in stats.fetched {
            for (namespace, count) in fetched.refs where count < 0 {
                throw fail("stats.fetched[\(TerminalText.escape(fetched.target))].refs.\(TerminalText.escape(namespace))", count, "a count (0 or more)")
            }
        }
        if let shard = document.shard {
            guard (1...Shard.maxCount).contains(shard.count) else {
                throw fail("shard.count", shard.count, "a number of shards from 1 to \(Shard.maxCount)")
            }
            guard (0..<shard.count).contains(shard.index) else { throw fail("shard.index", shard.index, "from 0 to \(shard.count - 1)") }
            guard ["targets", "blobs"].contains(shard.split) else {
                throw fail("shard.split", "'\(TerminalText.escape(shard.split))'", "targets or blobs")
            }
            guard shard.planned >= 0 else { throw fail("shard.planned", shard.planned, "a count (0 or more)") }
            if let bad = shard.positions?.first(where: { !(0..<shard.planned).contains($0) }) {
                throw fail("shard.positions", "holding \(bad)", "positions from 0 to \(shard.planned - 1) of the plan")
            }
        }
        for (index, merged) in (document.merged ?? []).enumerated() where merged.targets < 0 {
            throw fail("merged.\(index).targets", merged.targets, "a count (0 or more)")
        }
        for (index, finding) in (document.findings ?? []).enumerated() {
            let at = "findings.\(index)"
            guard finding.first.line >= 1 else { throw fail("\(at).first.line", finding.first.line, "a line number (1 or more)") }
            if let omitted = finding.occurrencesOmitted, omitted < 0 {
                throw fail("\(at).occurrences_omitted", omitted, "a count (0 or more)")
            }
            for (number, occurrence) in finding.occurrences.enumerated() {
                guard occurrence.line >= 1 else { throw fail("\(at).occurrences.\(number).line", occurrence.line, "a line number (1 or more)") }
                if let order = occurrence.order, order < 0 {
                    throw fail("\(at).occurrences.\(number).order", order, "a position (0 or more)")
                }
            }
            for (number, refs) in (finding.refs ?? []).enumerated() {
                if let order = refs.removedBy?.order, order < 0 {
                    throw fail("\(at).refs.\(number).removed_by.order", order, "a position (0 or more)")
                }
            }
        }
    }
}
