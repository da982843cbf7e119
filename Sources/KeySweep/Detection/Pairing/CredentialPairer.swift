/// The pairing stage, declared by rule files: within one piece of content, each match of a rule
/// with `[[rule.pair]]` parts takes the nearest match of each part; parts with an `unnamed` form
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
        for (idRule, partRules) in idRules {
            guard matches.contains(where: { $0.rule == idRule && !$0.isPlaceholder }) else { continue }
            let spec = rules.rules[idRule].pairs
            for partRule in Set(partRules.compactMap { $0 }) where rules.rules[partRule].unnamed != nil {
                let known = Set(matches.filter { $0.rule == partRule }.map(\.offset))
                matches += unnamed(of: partRule, in: bytes, decoding: decoding).filter { !known.contains($0.offset) }
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
            for index in matches.indices where matches[index].rule == idRule && !matches[index].isPlaceholder {
                let id = matches[index]
                var pairing = Pairing(how: .sameContent)
                var at: [String: Int] = [:]    // offset of each part taken
                for (position, part) in spec.enumerated() {
                    if !part.idPrefixes.isEmpty && !part.idPrefixes.contains(where: { id.secret.hasPrefix($0) }) { continue }
                    var origin = id.offset
                    if let near = part.near {
                        guard let nearOffset = at[near] else { continue }
                        origin = nearOffset
                    }
                    guard let nearest = candidates[position].min(by: { abs($0.offset - origin) < abs($1.offset - origin) }) else { continue }
                    pairing.parts[part.role] = nearest.value
                    at[part.role] = nearest.offset
                }
                if spec.contains(where: { $0.rule != nil && pairing.parts[$0.role] != nil }) { matches[index].pairing = pairing }
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
