/// The pairing stage, declared by rule files: within one piece of content, the matches of a rule
/// with `[[rule.pair]]` parts and the matches of each part are paired one-to-one by order,
/// structure and distance (`PartAssignment`), or marked ambiguous; parts with an `unnamed` form
/// are also looked for where no keyword names them, once an id is there. Knows no provider:
/// everything it does comes from the rules. One per worker (it owns match scratch).
final class CredentialPairer {
    private let rules: RuleSet
    /// Rules with parts, and for each part the index of the rule that finds it.
    private let idRules: [(rule: Int, parts: [Int?])]
    private let scratch: MatchScratch

    init(rules: RuleSet) {
        self.rules = rules
        let index = Dictionary(rules.rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        idRules = rules.rules.indices.compactMap { i in
            let pairs = rules.rules[i].pairs
            return pairs.isEmpty ? nil : (i, pairs.map { $0.rule.flatMap { index[$0] } })
        }
        scratch = MatchScratch(maxCaptures: 4)
    }

    var isEmpty: Bool { idRules.isEmpty }

    /// Adds unnamed parts next to ids and fills in the `pairing` of each id.
    func complete(_ matches: inout [SecretMatch], in bytes: UnsafeRawBufferPointer, decoding: String?) {
        var spare = SpareUnnamed()
        defer { spare.drop(from: &matches) }
        for (idRule, partRules) in idRules {
            guard matches.contains(where: { $0.rule == idRule && !$0.isPlaceholder }) else { continue }
            let spec = rules.rules[idRule].pairs
            for partRule in Set(partRules.compactMap { $0 }) where rules.rules[partRule].unnamed != nil {
                let known = Set(matches.filter { $0.rule == partRule }.map(\.offset))
                let added = unnamed(of: partRule, in: bytes, decoding: decoding).filter { !known.contains($0.offset) }
                spare.added(added)
                matches += added
            }
            // Candidates of each part, by position in `spec`.
            var candidates: [[(offset: Int, value: String)]] = spec.indices.map { position in
                guard let partRule = partRules[position] else { return [] }
                return matches.filter { $0.rule == partRule && !$0.isPlaceholder }.map { ($0.offset, $0.secret) }
            }
            for (position, part) in spec.enumerated() where part.regex != nil {
                // A regex part (an expiry) is looked for only when the part it sits near has candidates.
                guard let near = part.near, let nearPosition = spec.firstIndex(where: { $0.role == near }),
                      !candidates[nearPosition].isEmpty else { continue }
                part.regex!.forEachMatch(in: bytes, scratch: scratch) { _, value in
                    guard let value else { return }
                    candidates[position].append((value.lowerBound, String(decoding: bytes[value], as: UTF8.self)))
                }
            }
            let nearest = candidates.map(NearestPart.init)
            let ids = matches.indices.filter { matches[$0].rule == idRule && !matches[$0].isPlaceholder }
            // Parts found by a rule: one-to-one (`PartAssignment`), per part, among the ids that take it.
            var chosen: [[Int: PartAssignment.Choice]] = Array(repeating: [:], count: spec.count)
            for (position, part) in spec.enumerated() where part.rule != nil && !candidates[position].isEmpty {
                let eligible = ids.filter { i in part.idPrefixes.isEmpty || part.idPrefixes.contains { matches[i].secret.hasPrefix($0) } }
                let choices = spare.namedFirst(ids: eligible.map { (matches[$0].offset, matches[$0].secret) },
                                               candidates: candidates[position], partRule: partRules[position]!, in: bytes)
                for (i, choice) in zip(eligible, choices) { if let choice { chosen[position][i] = choice } }
                spare.assigned(choices, partRule: partRules[position]!, candidates: candidates[position].map(\.offset))
            }
            for index in ids {
                var pairing = Pairing(how: .sameContent)
                var at: [String: Int] = [:]    // offset of each part taken
                for (position, part) in spec.enumerated() {
                    if part.rule != nil {
                        switch chosen[position][index] {
                        case .one(let c)?:
                            pairing.parts[part.role] = candidates[position][c].value
                            at[part.role] = candidates[position][c].offset
                        case .ambiguous(let cs)?:
                            pairing.candidates[part.role] = cs.map { candidates[position][$0].value }
                        case nil: break
                        }
                        continue
                    }
                    if !part.idPrefixes.isEmpty && !part.idPrefixes.contains(where: { matches[index].secret.hasPrefix($0) }) { continue }
                    guard let near = part.near, let origin = at[near],
                          let taken = nearest[position].nearest(to: origin) else { continue }
                    pairing.parts[part.role] = taken.value
                    at[part.role] = taken.offset
                }
                if !pairing.candidates.isEmpty && !spec.contains(where: { $0.rule != nil && pairing.parts[$0.role] != nil }) {
                    pairing.how = .ambiguous
                }
                if spec.contains(where: { $0.rule != nil && (pairing.parts[$0.role] != nil || pairing.candidates[$0.role] != nil) }) {
                    matches[index].pairing = pairing
                }
            }
        }
    }

    /// Every string in `bytes` of the unnamed form of rule `rule`, named by a keyword or not.
    func unnamed(of rule: Int, in bytes: UnsafeRawBufferPointer, decoding: String? = nil) -> [SecretMatch] {
        guard let form = rules.rules[rule].unnamed else { return [] }
        let text = bytes.bindMemory(to: UInt8.self)
        let floor = max(rules.rules[rule].minEntropy, form.minEntropy)
        let checks = form.checks.compactMap(SecretChecks.named)
        var lines = LineCounter(text)
        var found: [SecretMatch] = []
        form.regex.forEachMatch(in: bytes, scratch: scratch) { range, secret in
            let range = secret ?? range
            let candidate = UnsafeBufferPointer(rebasing: text[range])
            guard checks.allSatisfy({ $0.accepts(candidate) }), Entropy.bitsPerByte(candidate) >= floor else { return }
            let value = String(decoding: candidate, as: UTF8.self)
            found.append(SecretMatch(rule: rule, secret: value, line: lines.line(at: range.lowerBound),
                                     isPlaceholder: Placeholder.isPlaceholder(value), decoding: decoding,
                                     offset: range.lowerBound))
        }
        return found
    }

    /// The parts with an unnamed form of each id rule, for pairing across files of a commit.
    var unnamedParts: [(idRule: Int, role: String, partRule: Int)] {
        idRules.flatMap { idRule, partRules in
            rules.rules[idRule].pairs.indices.compactMap { position -> (Int, String, Int)? in
                guard let partRule = partRules[position], rules.rules[partRule].unnamed != nil else { return nil }
                return (idRule, rules.rules[idRule].pairs[position].role, partRule)
            }
        }
    }
}

/// Unnamed parts (found with no keyword, only because an id is there) that no id took while
/// every id had a part of that kind: a 40-character CSRF token beside a key id whose secret is
/// named is not a second secret. Dropped once every id rule has been paired; a spare value
/// beside an id without a part (or in doubt) stays, as it always did.
struct SpareUnnamed {
    private var unnamed: Set<Key> = []
    private var taken: Set<Key> = []
    /// Part rules some id had no part of (or only a doubt): their spare values stay.
    private var wanted: Set<Int> = []

    private struct Key: Hashable { var rule: Int; var offset: Int }

    mutating func added(_ matches: [SecretMatch]) {
        for match in matches { unnamed.insert(Key(rule: match.rule, offset: match.offset)) }
    }

    /// `PartAssignment` with the values a keyword names first: an unnamed value goes only to
    /// an id no named one went to (nor was in doubt about), so a token nearer the id than its
    /// named secret does not take its place.
    func namedFirst(ids: [(offset: Int, value: String)], candidates: [(offset: Int, value: String)], partRule: Int,
                    in bytes: UnsafeRawBufferPointer) -> [PartAssignment.Choice?] {
        let named = candidates.indices.filter { !unnamed.contains(Key(rule: partRule, offset: candidates[$0].offset)) }
        guard !named.isEmpty, named.count < candidates.count else { return PartAssignment.assign(ids: ids, candidates: candidates, in: bytes) }
        let bare = candidates.indices.filter { !named.contains($0) }
        func mapped(_ choice: PartAssignment.Choice?, _ indices: [Int]) -> PartAssignment.Choice? {
            switch choice {
            case .one(let c)?: return .one(indices[c])
            case .ambiguous(let cs)?: return .ambiguous(cs.map { indices[$0] })
            case nil: return nil
            }
        }
        var choices = PartAssignment.assign(ids: ids, candidates: named.map { candidates[$0] }, in: bytes).map { mapped($0, named) }
        let left = ids.indices.filter { choices[$0] == nil }
        let second = PartAssignment.assign(ids: left.map { ids[$0] }, candidates: bare.map { candidates[$0] }, in: bytes)
        for (i, choice) in zip(left, second) { choices[i] = mapped(choice, bare) }
        return choices
    }

    mutating func assigned(_ choices: [PartAssignment.Choice?], partRule: Int, candidates: [Int]) {
        if choices.isEmpty { wanted.insert(partRule) }    // no id takes this part: nothing to judge by
        for choice in choices {
            switch choice {
            case .one(let c)?: taken.insert(Key(rule: partRule, offset: candidates[c]))
            case .ambiguous(let cs)?:
                wanted.insert(partRule)
                for c in cs { taken.insert(Key(rule: partRule, offset: candidates[c])) }
            case nil: wanted.insert(partRule)
            }
        }
    }

    func drop(from matches: inout [SecretMatch]) {
        guard !unnamed.isEmpty else { return }
        matches.removeAll { match in
            let key = Key(rule: match.rule, offset: match.offset)
            return unnamed.contains(key) && !taken.contains(key) && !wanted.contains(match.rule)
        }
    }
}

/// The candidates of one part, sorted by offset, for finding the one nearest an id in
/// O(log n): a content holding many ids and many parts must not cost ids × parts. Ties go to
/// the candidate found first, as a linear scan for the minimum distance would choose.
struct NearestPart {
    private let sorted: [(offset: Int, value: String, found: Int)]

    init(_ candidates: [(offset: Int, value: String)]) {
        sorted = candidates.enumerated().map { ($1.offset, $1.value, $0) }.sorted { ($0.offset, $0.found) < ($1.offset, $1.found) }
    }

    func nearest(to origin: Int) -> (offset: Int, value: String)? {
        guard !sorted.isEmpty else { return nil }
        // First candidate at or after `origin`.
        var low = 0, high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle].offset < origin { low = middle + 1 } else { high = middle }
        }
        var distance = Int.max
        if low < sorted.count { distance = sorted[low].offset - origin }
        if low > 0 { distance = min(distance, origin - sorted[low - 1].offset) }
        // Every candidate at that distance, on either side; the first found wins.
        var best: (offset: Int, value: String, found: Int)?
        for offset in Set([origin - distance, origin + distance]) {
            var i = offset < origin ? low - 1 : low
            while i >= 0 && i < sorted.count && sorted[i].offset == offset {
                if best == nil || sorted[i].found < best!.found { best = sorted[i] }
                i += offset < origin ? -1 : 1
            }
        }
        return best.map { ($0.offset, $0.value) }
    }
}
