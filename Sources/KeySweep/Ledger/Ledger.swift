import Foundation

/// Collects sightings from every source and worker, deduplicated to one finding per
/// (rule, secret) with each distinct occurrence. Thread-safe. Holds at most `HoldLimits.findings`
/// secrets and, of each, the `HoldLimits.occurrencesPerFinding` earliest occurrences; the rest
/// is counted.
final class Ledger: @unchecked Sendable {
    private struct Key: Hashable { var rule: Int; var secret: String }
    private struct Entry {
        var isPlaceholder: Bool
        var occurrences: Set<Occurrence>
        var inHead: Bool
        var pairing: Pairing?
        /// Where `pairing` was seen.
        var pairedAt: Occurrence?
        var refs: [RefExposure] = []
        /// Distinct occurrences dropped as later than the kept ones.
        var omitted = 0
        /// What is kept of a secret held cut (`CutSecret`), its finding id among it.
        var cut: CutSecret? = nil
    }

    private let rules: RuleSet
    private let limits: HoldLimits
    private let lock = NSLock()
    private var entries: [Key: Entry] = [:]
    private var _omittedSightings = 0

    init(rules: RuleSet, limits: HoldLimits = HoldLimits()) {
        self.rules = rules
        self.limits = limits
    }

    /// Records that `match` occurs at `occurrence`; `inHead` when that place is in the current tree.
    func record(_ match: SecretMatch, at occurrence: Occurrence, inHead: Bool) {
        let key = Key(rule: match.rule, secret: match.secret)
        lock.lock()
        defer { lock.unlock() }
        if entries[key] == nil {
            guard entries.count < limits.findings else { _omittedSightings += 1; return }
            entries[key] = Entry(isPlaceholder: match.isPlaceholder, occurrences: [], inHead: false, cut: match.cut)
        }
        if entries[key]!.occurrences.insert(occurrence).inserted,
           entries[key]!.occurrences.count >= 2 * max(limits.occurrencesPerFinding, 1) {
            trim(key)
        }
        if inHead { entries[key]!.inHead = true }
        // A placeholder only if every sighting is one: the same test password is a placeholder
        // at localhost and a leak at a real host (`Rule.hostDecidesTestValues`), in any order.
        if !match.isPlaceholder { entries[key]!.isPlaceholder = false }
        if let pairing = match.pairing { pair(key, with: pairing, at: occurrence) }
    }

    /// Records what a repository's refs say about the finding of `rule` and `secret`.
    func expose(rule: Int, secret: String, _ refs: RefExposure) {
        lock.lock()
        defer { lock.unlock() }
        entries[Key(rule: rule, secret: secret)]?.refs.append(refs)
    }

    /// Keeps the earliest `limits.occurrencesPerFinding` occurrences of a secret. Trimming
    /// only when twice that many are held keeps recording amortised O(log n), and whatever
    /// the order of arrival the kept ones are the earliest of all seen.
    private func trim(_ key: Key) {
        let (kept, dropped) = Ledger.earliest(entries[key]!.occurrences, limit: limits.occurrencesPerFinding)
        guard dropped > 0 else { return }
        entries[key]!.occurrences = Set(kept)
        entries[key]!.omitted += dropped
    }

    /// The earliest `limit` of `places` (at least one), in the order of introduction, and how
    /// many more there were: what a finding keeps, in the ledger and in `merge`.
    static func earliest(_ places: some Collection<Occurrence>, limit: Int) -> (kept: [Occurrence], dropped: Int) {
        let keep = max(limit, 1)
        let sorted = places.sorted(by: Ledger.introducedEarlier)
        return (Array(sorted.prefix(keep)), max(0, sorted.count - keep))
    }

    /// Sightings of secrets not kept because `limits.findings` were held already.
    var omittedSightings: Int {
        lock.lock(); defer { lock.unlock() }
        return _omittedSightings
    }

    /// Keeps the most complete pairing seen for an id (a secret and a token over either alone);
    /// of equally complete ones, the surest (`Pairing.Method.strength`: found in one content
    /// over found in one commit), then the one seen at the earliest occurrence, whatever the
    /// order the workers record them in (an id paired with different secrets in two blobs was
    /// paired with whichever blob a worker finished first).
    private func pair(_ key: Key, with pairing: Pairing, at occurrence: Occurrence) {
        guard let current = entries[key]?.pairing, let at = entries[key]?.pairedAt else {
            entries[key]?.pairing = pairing
            entries[key]?.pairedAt = occurrence
            return
        }
        let rule = rules.rules[key.rule]
        let rank = (pairing.weight(for: rule), pairing.how.strength), currentRank = (current.weight(for: rule), current.how.strength)
        let earlier = Ledger.introducedEarlier(occurrence, at)
            || (occurrence == at && Ledger.orderKey(pairing) < Ledger.orderKey(current))
        if rank > currentRank || (rank == currentRank && earlier) {
            entries[key]?.pairing = pairing
            entries[key]?.pairedAt = occurrence
        }
    }

    /// An order among pairings seen at one place (two partners in one content).
    private static func orderKey(_ pairing: Pairing) -> String {
        pairing.how.rawValue + pairing.parts.sorted { $0.key < $1.key }.map { "|\($0.key)=\($0.value)" }.joined()
            + pairing.candidates.sorted { $0.key < $1.key }.map { "|\($0.key)=\($0.value.joined(separator: ","))" }.joined()
    }

    /// The findings, strongest first, then by first appearance.
    func findings() -> [Finding] {
        lock.lock()
        for key in entries.keys where entries[key]!.occurrences.count > limits.occurrencesPerFinding { trim(key) }
        let snapshot = entries
        lock.unlock()
        // One finding per secret: when several rules report the same value, a rule declared
        // more specific (`more_specific_than`, or any rule over a `fallback` one) replaces the
        // other, then only the most confident stay.
        var reporters: [String: [Int]] = [:]
        for key in snapshot.keys { reporters[key.secret, default: []].append(key.rule) }
        // The places the others saw stay: one finding per secret lists every place it appears.
        var kept: Set<Key> = []
        var absorbed: [Key: [Key]] = [:]
        for (secret, found) in reporters {
            let survivors = Ledger.survivors(found.map { rules.rules[$0] })
            let dropped = found.indices.filter { !survivors.contains($0) }.map { Key(rule: found[$0], secret: secret) }
            for survivor in survivors {
                let key = Key(rule: found[survivor], secret: secret)
                kept.insert(key)
                if !dropped.isEmpty { absorbed[key] = dropped }
            }
        }
        var findings: [Finding] = []
        findings.reserveCapacity(snapshot.count)
        for (key, var entry) in snapshot where kept.contains(key) {
            for other in absorbed[key] ?? [] {
                let seen = snapshot[other]!
                entry.occurrences.formUnion(seen.occurrences)
                entry.omitted += seen.omitted
                entry.inHead = entry.inHead || seen.inHead
                entry.refs += seen.refs
            }
            if entry.occurrences.count > limits.occurrencesPerFinding {
                let (kept, dropped) = Ledger.earliest(entry.occurrences, limit: limits.occurrencesPerFinding)
                entry.occurrences = Set(kept)
                entry.omitted += dropped
            }
            if absorbed[key] != nil {
                // One fact per repository, in the order the repositories were first exposed.
                entry.refs = Ledger.onePerRepository(entry.refs)
            }
            let rule = rules.rules[key.rule]
            var finding = Finding(id: entry.cut?.findingID ?? Fingerprint.findingID(rule: rule.id, secret: key.secret),
                                  rule: rule,
                                  secret: key.secret,
                                  isPlaceholder: entry.isPlaceholder,
                                  occurrences: entry.occurrences.sorted(by: Ledger.introducedEarlier),
                                  inHead: entry.inHead,
                                  pairing: entry.pairing,
                                  refs: entry.refs)
            finding.omittedOccurrences = entry.omitted
            finding.secretCut = entry.cut
            findings.append(finding)
        }
        return Ledger.reportOrder(findings)
    }

    /// One fact per repository (`MergeFold.combine`), in the order the repositories come first.
    static func onePerRepository(_ refs: [RefExposure]) -> [RefExposure] {
        var order: [String] = []
        var byRepository: [String: [RefExposure]] = [:]
        for fact in refs {
            if byRepository[fact.repository] == nil { order.append(fact.repository) }
            byRepository[fact.repository, default: []].append(fact)
        }
        return order.map { MergeFold.combine(byRepository[$0]!) }
    }

    /// Of the rules that reported one value (indices into `found`), those whose finding stays: a
    /// rule declared more specific replaces the other, then only the most confident stay.
    static func survivors(_ found: [Rule]) -> [Int] {
        let all = Array(found.indices)
        let specific = found.count == 1 ? all : all.filter { rule in
            !all.contains { $0 != rule && found[$0].isMoreSpecific(than: found[rule]) }
        }
        let survivors = specific.isEmpty ? all : specific
        let strongest = survivors.map { found[$0].confidence }.max() ?? .low
        return survivors.filter { found[$0].confidence == strongest }
    }

    /// The order of a report: strongest first, then by first appearance, then rule and secret.
    static func reportOrder(_ findings: [Finding]) -> [Finding] {
        // Sorted through an index over keys taken once: copying a finding, or its first
        // occurrence, at each comparison retained every string it holds (a merge of a million
        // findings spent most of its time there).
        let confidence = findings.map(\.confidence)
        let first = findings.map(\.first)
        let name = findings.map { ($0.rule.id, $0.secret) }
        let order = findings.indices.sorted { i, j in
            if confidence[i] != confidence[j] { return confidence[i] > confidence[j] }
            if Ledger.introducedEarlier(first[i], first[j]) { return true }
            if Ledger.introducedEarlier(first[j], first[i]) { return false }
            return name[i] < name[j]
        }
        return order.map { findings[$0] }
    }

    /// Topological position, then commit time, then path and line, so the order is total.
    static func introducedEarlier(_ a: Occurrence, _ b: Occurrence) -> Bool {
        let ka = (a.commit?.order ?? Int.max, a.commit?.time ?? 0), kb = (b.commit?.order ?? Int.max, b.commit?.time ?? 0)
        if ka != kb { return ka < kb }
        if a.path != b.path { return a.path < b.path }
        if a.line != b.line { return a.line < b.line }
        if a.decoding != b.decoding { return (a.decoding ?? "") < (b.decoding ?? "") }
        // The same place in two targets or commits of one time: still one order, whatever the
        // order of arrival (a merge of shards lists them as one process would).
        if a.origin?.target != b.origin?.target { return (a.origin?.target ?? "") < (b.origin?.target ?? "") }
        return (a.commit?.id ?? "", a.blob ?? "") < (b.commit?.id ?? "", b.blob ?? "")
    }
}
