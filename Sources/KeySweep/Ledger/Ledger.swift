import Foundation

/// Collects sightings from every source and worker, deduplicated to one finding per
/// (rule, secret) with each distinct occurrence. Thread-safe.
final class Ledger: @unchecked Sendable {
    private struct Key: Hashable { var rule: Int; var secret: String }
    private struct Entry {
        var isPlaceholder: Bool
        var occurrences: Set<Occurrence>
        var inHead: Bool
        var pairing: Pairing?
        var refs: [RefExposure] = []
    }

    private let rules: RuleSet
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]

    init(rules: RuleSet) { self.rules = rules }

    /// Records that `match` occurs at `occurrence`; `inHead` when that place is in the current tree.
    func record(_ match: SecretMatch, at occurrence: Occurrence, inHead: Bool) {
        let key = Key(rule: match.rule, secret: match.secret)
        lock.lock()
        defer { lock.unlock() }
        entries[key, default: Entry(isPlaceholder: match.isPlaceholder, occurrences: [], inHead: false)]
            .occurrences.insert(occurrence)
        if inHead { entries[key]!.inHead = true }
        if let pairing = match.pairing { pair(key, with: pairing) }
    }

    /// Records what a repository's refs say about the finding of `rule` and `secret`.
    func expose(rule: Int, secret: String, _ refs: RefExposure) {
        lock.lock()
        defer { lock.unlock() }
        entries[Key(rule: rule, secret: secret)]?.refs.append(refs)
    }

    /// Keeps the most complete pairing seen for an id (a secret and a token over either alone).
    private func pair(_ key: Key, with pairing: Pairing) {
        guard let current = entries[key]?.pairing else { entries[key]?.pairing = pairing; return }
        let rule = rules.rules[key.rule]
        if pairing.weight(for: rule) > current.weight(for: rule) { entries[key]?.pairing = pairing }
    }

    /// The findings, strongest first, then by first appearance.
    func findings() -> [Finding] {
        lock.lock()
        let snapshot = entries
        lock.unlock()
        let findings = snapshot.map { key, entry -> Finding in
            let rule = rules.rules[key.rule]
            return Finding(id: Fingerprint.findingID(rule: rule.id, secret: key.secret),
                           rule: rule,
                           secret: key.secret,
                           isPlaceholder: entry.isPlaceholder,
                           occurrences: entry.occurrences.sorted(by: Ledger.introducedEarlier),
                           inHead: entry.inHead,
                           pairing: entry.pairing,
                           refs: entry.refs)
        }
        // One finding per secret: when several rules report the same value (a generic rule
        // and a specific one), only the most confident stay.
        var strongest: [String: Confidence] = [:]
        for finding in findings { strongest[finding.secret] = max(strongest[finding.secret] ?? .low, finding.confidence) }
        return findings.filter { $0.confidence == strongest[$0.secret] }.sorted { a, b in
            if a.confidence != b.confidence { return a.confidence > b.confidence }
            if a.first != b.first { return Ledger.introducedEarlier(a.first, b.first) }
            return (a.rule.id, a.secret) < (b.rule.id, b.secret)
        }
    }

    /// Topological position, then commit time, then path and line, so the order is total.
    static func introducedEarlier(_ a: Occurrence, _ b: Occurrence) -> Bool {
        let ka = (a.commit?.order ?? Int.max, a.commit?.time ?? 0), kb = (b.commit?.order ?? Int.max, b.commit?.time ?? 0)
        if ka != kb { return ka < kb }
        if a.path != b.path { return a.path < b.path }
        if a.line != b.line { return a.line < b.line }
        return (a.decoding ?? "") < (b.decoding ?? "")
    }
}
