/// The findings and stats of reports folded one at a time, as the `Ledger` folds sightings: one
/// finding per rule and secret (its id), occurrences unioned and ordered as one scan orders them,
/// `in_head` and ref facts combined, stats summed.
struct MergeFold {
    private struct Entry {
        var finding: Finding
        var occurrences: Set<Occurrence>
        var omitted: Int
        /// Whether the secret is whole (it matches the id), not a redacted form.
        var whole: Bool
        /// Per repository, every report's ref facts (combined at the end).
        var refs: [String: [RefExposure]] = [:]
    }

    private let rules: [String: Rule]
    private let limits: HoldLimits
    private var entries: [String: Entry] = [:]
    private var stats = ScanStats()
    /// Of the inputs' `omitted_matches`, those that were not occurrences past the limit (recounted).
    private var otherOmitted = 0
    private var unkept = 0
    /// Placeholder findings by id, when every input is a shard that lists them; else nil (summed).
    private var placeholders: Set<String>? = []
    private var placeholderSum = 0
    private var warnings: [String] = []

    init(rules: RuleSet, limits: HoldLimits) {
        self.rules = Dictionary(rules.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.limits = limits
    }

    /// Folds in the report read from `path`. Throws `ReportError` naming it and the field when a
    /// sum would pass `Int.max` (numbers in reports are input: they trapped), or when a finding's
    /// secret is not the one its id names (`FindingIdentity`).
    mutating func add(_ report: ScanResult, path: String) throws {
        func sum(_ total: Int, _ value: Int, _ field: String) throws -> Int {
            let (result, overflow) = total.addingReportingOverflow(value)
            if overflow { throw ReportError(description: "\(TerminalText.escape(path)): \(field): the sum with the reports before it passes \(Int.max)") }
            return result
        }
        var reportStats = report.stats
        var listedOmitted = 0
        for finding in report.findings {
            listedOmitted = try sum(listedOmitted, finding.omittedOccurrences, "findings' occurrences_omitted")
        }
        otherOmitted = try sum(otherOmitted, max(0, reportStats.omittedMatches - listedOmitted), "stats.omitted_matches")
        reportStats.omittedMatches = 0
        for (name, counter) in ReportRanges.counters {
            _ = try sum(stats[keyPath: counter], reportStats[keyPath: counter], "stats.\(name)")
        }
        let seconds = stats.seconds + reportStats.seconds
        stats.add(reportStats)
        stats.seconds = seconds
        placeholderSum = try sum(placeholderSum, reportStats.placeholders, "stats.placeholders")
        if let record = report.shard { placeholders?.formUnion(record.placeholders) } else { placeholders = nil }

        for finding in report.findings {
            let whole = try FindingIdentity.check(finding, report: path) == .matches
            if entries[finding.id] == nil {
                guard entries.count < limits.findings else { unkept = try sum(unkept, 1, "findings"); continue }
                var first = finding
                first.occurrences = []
                first.refs = []
                entries[finding.id] = Entry(finding: first, occurrences: [], omitted: 0, whole: whole)
            }
            var entry = entries.removeValue(forKey: finding.id)!
            if whole && !entry.whole {
                entry.finding.secret = finding.secret
                entry.whole = true
            }
            entry.omitted = try sum(entry.omitted, finding.omittedOccurrences, "finding \(finding.id): occurrences_omitted")
            for occurrence in finding.occurrences where entry.occurrences.insert(occurrence).inserted {
                if entry.occurrences.count >= 2 * max(limits.occurrencesPerFinding, 1) { try trim(&entry) }
            }
            if finding.inHead { entry.finding.inHead = true }
            // A placeholder only where every shard saw one (a test password is real for a real host).
            if !finding.isPlaceholder { entry.finding.isPlaceholder = false }
            if let pairing = finding.pairing { pair(&entry, with: pairing) }
            for refs in finding.refs { entry.refs[refs.repository, default: []].append(refs) }
            for (key, value) in finding.carried where entry.finding.carried[key] == nil { entry.finding.carried[key] = value }
            // A shard that asked the providers (--verify, --blast-radius) keeps its answers whatever the order.
            if entry.finding.verification == nil { entry.finding.verification = finding.verification }
            if entry.finding.blastRadius == nil { entry.finding.blastRadius = finding.blastRadius }
            entries[finding.id] = entry
        }
    }

    /// The merged result; `targets` in the order of the merged report.
    func result(targets: [String]) throws -> ScanResult {
        var findings: [Finding] = []
        findings.reserveCapacity(entries.count)
        let position = Dictionary(targets.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { a, _ in a })
        for var entry in entries.values {
            if entry.occurrences.count > limits.occurrencesPerFinding { try trim(&entry) }
            var finding = entry.finding
            finding.occurrences = entry.occurrences.sorted(by: Ledger.introducedEarlier)
            finding.omittedOccurrences = entry.omitted
            finding.refs = entry.refs.values.map(MergeFold.combine).sorted {
                (position[$0.repository] ?? Int.max, $0.repository) < (position[$1.repository] ?? Int.max, $1.repository)
            }
            findings.append(finding)
        }
        findings = survivors(findings)
        var stats = self.stats
        stats.failedTargets = unique(stats.failedTargets).sorted { ($0.target, $0.reason) < ($1.target, $1.reason) }
        stats.fetched = unique(stats.fetched).sorted { $0.target < $1.target }
        stats.placeholders = placeholders.map { $0.subtracting(findings.lazy.filter { !$0.isPlaceholder }.map(\.id)).count } ?? placeholderSum
        var omitted = otherOmitted.addingReportingOverflow(unkept)
        for finding in findings where !omitted.overflow { omitted = omitted.partialValue.addingReportingOverflow(finding.omittedOccurrences) }
        if omitted.overflow { throw ReportError(description: "merge: the merged stats.omitted_matches passes \(Int.max)") }
        stats.omittedMatches = omitted.partialValue
        var warnings = self.warnings
        if unkept > 0 {
            warnings.append("\(unkept) findings past the first \(limits.findings) distinct ones were counted, not kept")
        }
        return ScanResult(targets: targets, stats: stats, findings: Ledger.reportOrder(findings), warnings: warnings)
    }

    /// As the `Ledger` keeps the earliest occurrences of a secret, counting the rest.
    private func trim(_ entry: inout Entry) throws {
        let (kept, dropped) = Ledger.earliest(entry.occurrences, limit: limits.occurrencesPerFinding)
        guard dropped > 0 else { return }
        entry.occurrences = Set(kept)
        let (omitted, overflow) = entry.omitted.addingReportingOverflow(dropped)
        if overflow { throw ReportError(description: "merge: finding \(entry.finding.id): the merged occurrences_omitted passes \(Int.max)") }
        entry.omitted = omitted
    }

    /// The most complete pairing, weighed with the rule's declared parts when the rules are known.
    private func pair(_ entry: inout Entry, with pairing: Pairing) {
        guard let current = entry.finding.pairing else { entry.finding.pairing = pairing; return }
        let rule = rules[entry.finding.rule.id] ?? entry.finding.rule
        if pairing.weight(for: rule) > current.weight(for: rule) { entry.finding.pairing = pairing }
    }

    /// When several rules reported one secret in different reports: the finding that one scan
    /// would have kept (`Ledger.survivors`), with the rules as loaded (they declare which is more specific).
    private func survivors(_ findings: [Finding]) -> [Finding] {
        var bySecret: [String: [Int]] = [:]
        for (index, finding) in findings.enumerated() { bySecret[finding.secret, default: []].append(index) }
        var dropped: Set<Int> = []
        var findings = findings
        for indices in bySecret.values where indices.count > 1 {
            let found = indices.map { rules[findings[$0].rule.id] ?? findings[$0].rule }
            let kept = Set(Ledger.survivors(found).map { indices[$0] })
            let others = indices.filter { !kept.contains($0) }
            dropped.formUnion(others)
            // The survivors keep the places the others saw, as one scan's ledger does.
            for survivor in kept where !others.isEmpty {
                var places = Set(findings[survivor].occurrences)
                for other in others {
                    places.formUnion(findings[other].occurrences)
                    let omitted = findings[survivor].omittedOccurrences.addingReportingOverflow(findings[other].omittedOccurrences)
                    findings[survivor].omittedOccurrences = omitted.overflow ? Int.max : omitted.partialValue
                    findings[survivor].inHead = findings[survivor].inHead || findings[other].inHead
                    findings[survivor].refs += findings[other].refs
                }
                let (kept, dropped) = Ledger.earliest(places, limit: limits.occurrencesPerFinding)
                let omitted = findings[survivor].omittedOccurrences.addingReportingOverflow(dropped)
                findings[survivor].omittedOccurrences = omitted.overflow ? Int.max : omitted.partialValue
                findings[survivor].occurrences = kept
                findings[survivor].refs = Ledger.onePerRepository(findings[survivor].refs)
            }
        }
        return dropped.isEmpty ? findings : findings.indices.filter { !dropped.contains($0) }.map { findings[$0] }
    }

    /// One repository's ref facts from several reports (blob shards of it): the tips holding any
    /// of the finding's places; HEAD's chain removed it at the newest removing commit, unless
    /// the default branch still holds it.
    static func combine(_ facts: [RefExposure]) -> RefExposure {
        guard facts.count > 1 else { return facts[0] }
        var merged = facts[0]
        merged.tips = Array(Set(facts.flatMap(\.tips))).sorted()
        merged.defaultBranch = facts.lazy.compactMap(\.defaultBranch).first
        if let branch = merged.defaultBranch, merged.tips.contains(branch) {
            merged.removedBy = nil
        } else {
            merged.removedBy = facts.compactMap(\.removedBy).max { $0.order < $1.order }
        }
        return merged
    }

    private func unique<T: Hashable>(_ items: [T]) -> [T] {
        var seen: Set<T> = []
        return items.filter { seen.insert($0).inserted }
    }
}
