import Foundation

/// Turns regex candidates into secret matches: applies each rule's entropy floor and checks,
/// marks placeholders, and numbers lines.
struct Detector {
    let rules: RuleSet

    init(rules: RuleSet) { self.rules = rules }

    /// What a candidate is, once the rule's entropy floor, checks and context words are applied.
    enum Verdict { case rejected, placeholder, secret }

    /// The context words (a rule's `context`) one content holds, each searched for once: a
    /// search per candidate made 10,000 ids in 21 MB of code cost 172 s.
    final class ContextWords {
        private var found: [String: Bool] = [:]
        /// What the keyword pass found (`Matcher.candidates(…, words:)`), by word index: kept
        /// as the pass left it, not as a dictionary filled per content (every content of a
        /// history scan paid for inserting each of the rules' context words).
        private var present: [Bool] = []
        private var index: [String: Int] = [:]

        /// `present[index[w]]`: whether the content holds context word `w`.
        func know(_ present: [Bool], index: [String: Int]) {
            self.present = present
            self.index = index
        }

        func contains(_ word: String, in text: UnsafeBufferPointer<UInt8>) -> Bool {
            if let k = index[word], k < present.count { return present[k] }
            if let known = found[word] { return known }
            let result = CaselessSearch.contains(text, word)
            found[word] = result
            return result
        }
    }

    /// The accepted matches among `candidates`, found in `bytes`, in the order of the bytes.
    func accept(_ candidates: [Candidate], in bytes: UnsafeRawBufferPointer, decoding: String? = nil,
                words: ContextWords = ContextWords()) -> [SecretMatch] {
        guard !candidates.isEmpty else { return [] }
        let text = bytes.bindMemory(to: UInt8.self)
        var lines = LineCounter(text)
        var result: [SecretMatch] = []
        for candidate in candidates.sorted(by: { $0.secret.lowerBound < $1.secret.lowerBound }) {
            guard let value = accepted(candidate, in: text, words: words) else { continue }
            result.append(SecretMatch(rule: candidate.rule,
                                      secret: value,
                                      line: lines.line(at: candidate.secret.lowerBound),
                                      isPlaceholder: isPlaceholder(value, candidate, in: text),
                                      decoding: decoding,
                                      offset: candidate.secret.lowerBound))
        }
        return result
    }

    /// What `accept` would make of one candidate (the matcher asks, past its cap of candidates).
    func verdict(_ candidate: Candidate, in bytes: UnsafeRawBufferPointer, words: ContextWords) -> Verdict {
        guard let value = accepted(candidate, in: bytes.bindMemory(to: UInt8.self), words: words) else { return .rejected }
        return isPlaceholder(value, candidate, in: bytes.bindMemory(to: UInt8.self)) ? .placeholder : .secret
    }

    /// The name a value is assigned to: the match before the secret (empty for a rule whose
    /// match is the secret alone).
    private func name(_ candidate: Candidate, in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: text[candidate.match.lowerBound..<max(candidate.match.lowerBound, candidate.secret.lowerBound)])
    }

    /// Whether the name a catch-all rule's value is assigned to holds a word a provider rule
    /// claims (`Rule.claimsNames`).
    private func namesAProvider(_ candidate: Candidate, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let name = name(candidate, in: text)
        return !name.isEmpty && rules.claimedNames.contains { CaselessSearch.contains(name, $0) }
    }

    private func isPlaceholder(_ value: String, _ candidate: Candidate, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        let rule = rules.rules[candidate.rule]
        if rule.publishedValues.contains(value) { return true }
        let testWordsCount = !rule.hostDecidesTestValues
            || CredentialHost.isLocalOrDocumentation(after: candidate.secret.upperBound, in: text)
        // A counter-example's name (`mock_user:` in a URL) is a test word: a real host still decides.
        if testWordsCount && PlaceholderName.isCounterExample(name(candidate, in: text)) { return true }
        return Placeholder.isPlaceholder(value, testWordsCount: testWordsCount)
    }

    /// The secret of a candidate that passes its rule's entropy floor, checks and context words.
    private func accepted(_ candidate: Candidate, in text: UnsafeBufferPointer<UInt8>, words: ContextWords) -> String? {
        let rule = rules.rules[candidate.rule]
        let secret = UnsafeBufferPointer(rebasing: text[candidate.secret])
        if rule.minEntropy > 0 && Entropy.bitsPerByte(secret) < rule.minEntropy { return nil }
        if !rule.checks.allSatisfy({ SecretChecks.named($0)!.accepts(secret) }) { return nil }
        if !rule.context.isEmpty && !rule.context.contains(where: { words.contains($0, in: text) }) { return nil }
        if rule.isFallback && !rules.claimedNames.isEmpty && namesAProvider(candidate, in: text) { return nil }
        return String(decoding: secret, as: UTF8.self)
    }
}

/// Counts lines forward through a buffer for a rising sequence of offsets.
struct LineCounter {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var offset = 0
    private var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func line(at target: Int) -> Int {
        if target < offset { offset = 0; line = 1 }
        line += ByteSearch.count(0x0A, in: bytes, offset..<target)
        offset = target
        return line
    }
}

/// ASCII case-insensitive substring search, for rule context words.
enum CaselessSearch {
    /// Whether `haystack` holds `lowercaseNeedle` in any case. Each case of the needle's first
    /// byte is found with `memchr` (vectorised) and kept until passed: a context word is searched
    /// over a whole content (2 MiB chunks of a text), and a loop over every byte cost a fifth of
    /// a text scan.
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ lowercaseNeedle: String) -> Bool {
        let needle = Array(lowercaseNeedle.utf8)
        guard let first = needle.first, haystack.count >= needle.count else { return needle.isEmpty }
        guard let base = haystack.baseAddress else { return false }
        let firstUpper = first >= 97 && first <= 122 ? first - 32 : first
        let last = haystack.count - needle.count
        func next(_ byte: UInt8, from start: Int) -> Int {
            guard start <= last, let found = memchr(base + start, Int32(byte), last - start + 1) else { return Int.max }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        var lower = next(first, from: 0)
        var upper = firstUpper == first ? Int.max : next(firstUpper, from: 0)
        while true {
            let i = min(lower, upper)
            if i == Int.max { return false }
            var j = 1
            while j < needle.count {
                var c = base[i + j]
                if c >= 65 && c <= 90 { c += 32 }
                if c != needle[j] { break }
                j += 1
            }
            if j == needle.count { return true }
            if i == lower { lower = next(first, from: i + 1) }
            if i == upper { upper = next(firstUpper, from: i + 1) }
        }
    }
}
