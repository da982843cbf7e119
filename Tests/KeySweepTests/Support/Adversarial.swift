import Foundation
@testable import KeySweep

/// Inputs an attacker would commit to make one rule slow, generated from the rule itself: its
/// keywords repeated, every prefix of its examples repeated (unterminated blocks, a scheme and
/// user with no password), and those prefixes followed by long runs of the characters its
/// secrets are made of.
enum AdversarialInputs {
    struct Input {
        var name: String
        var unit: [UInt8]
        var tail: UInt8?

        /// `unit` repeated to `size` bytes, or `unit` once and then `tail` repeated.
        func bytes(size: Int) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(size)
            if let tail {
                out.append(contentsOf: unit.prefix(size))
                out.append(contentsOf: repeatElement(tail, count: size - out.count))
            } else {
                while out.count < size { out.append(contentsOf: unit.prefix(size - out.count)) }
            }
            return out
        }
    }

    static func inputs(for rule: Rule) -> [Input] {
        var units: [(String, [UInt8])] = []
        for keyword in rule.keywords {
            let bytes = Array(keyword.utf8)
            units.append(("keyword '\(keyword)'", bytes))
            units.append(("upper keyword '\(keyword)'", Array(keyword.uppercased().utf8)))
        }
        for (number, example) in rule.examples.enumerated() {
            let bytes = Array(example.utf8)
            // Cut after each punctuation byte (where a rule's structure changes) and at quarters.
            var cuts = Set(bytes.indices.filter { !isAlphanumeric(bytes[$0]) }.map { $0 + 1 })
            for quarter in 1...3 { cuts.insert(bytes.count * quarter / 4) }
            cuts.insert(bytes.count - 1)
            var chosen = cuts.filter { $0 > 0 && $0 < bytes.count }.sorted()
            if chosen.count > 10 {   // evenly spaced, so long examples stay cheap to test
                chosen = (0..<10).map { chosen[$0 * chosen.count / 10] }
            }
            units.append(("example \(number)", bytes))
            for cut in chosen { units.append(("example \(number) to byte \(cut)", Array(bytes[..<cut]))) }
            // The word around each keyword (from the space or quote before it), cut after each of
            // its separators: repeated, these carry no space for a pattern to stop at, and the
            // keywords sit close enough for their windows to merge into one long range
            // (`https://user:` repeated).
            for word in keywordWords(in: bytes, keywords: rule.keywords) {
                let separators = word.indices.filter { !isAlphanumeric(word[$0]) }.map { $0 + 1 }
                for cut in Set(separators + [word.count]).sorted() where cut > 0 {
                    units.append(("example \(number) word '\(String(decoding: word[..<cut], as: UTF8.self))'", Array(word[..<cut])))
                }
            }
        }
        var inputs: [Input] = []
        var seen = Set<[UInt8]>()
        for (name, unit) in units where !unit.isEmpty && seen.insert(unit).inserted {
            inputs.append(Input(name: "\(name) repeated", unit: unit, tail: nil))
            inputs.append(Input(name: "\(name) + newline repeated", unit: unit + [10], tail: nil))
            for tail in tails(after: unit) {
                inputs.append(Input(name: "\(name) then '\(Character(UnicodeScalar(tail)))' to the end", unit: unit, tail: tail))
            }
        }
        return inputs
    }

    /// The words of `example` that hold one of `keywords` (ASCII case-insensitively), each from
    /// the byte after the space or quote before the keyword to the next space or quote.
    private static func keywordWords(in example: [UInt8], keywords: [String]) -> [[UInt8]] {
        let lower = example.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        let stops: Set<UInt8> = [32, 9, 10, 13, 34, 39, 96]
        var words: [[UInt8]] = []
        for keyword in keywords {
            let needle = Array(keyword.lowercased().utf8)
            guard !needle.isEmpty, needle.count <= lower.count else { continue }
            for at in 0...(lower.count - needle.count) where Array(lower[at..<at + needle.count]) == needle {
                var start = at, end = at + needle.count
                while start > 0 && !stops.contains(example[start - 1]) { start -= 1 }
                while end < example.count && !stops.contains(example[end]) { end += 1 }
                let word = Array(example[start..<end])
                if word.count > needle.count && !words.contains(word) { words.append(word) }
            }
        }
        return words
    }

    /// The bytes a long run is made of: the classes secrets are written in, and the unit's last byte.
    private static func tails(after unit: [UInt8]) -> [UInt8] {
        var tails: [UInt8] = [UInt8(ascii: "A"), UInt8(ascii: " ")]
        if let last = unit.last, !tails.contains(last), last != 10 { tails.append(last) }
        return tails
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// Ordinary content for the rule: its examples and counter-examples between lines of prose,
    /// repeated to `size` bytes: what it costs on text that holds what it looks for.
    static func ordinary(for rule: Rule, size: Int) -> [UInt8] {
        var unit: [UInt8] = []
        for text in rule.examples + rule.counterExamples {
            unit += Array("The deployment notes below were copied from the wiki page of the service.\n".utf8)
            unit += Array(text.utf8) + [10]
        }
        return Input(name: "ordinary", unit: unit, tail: nil).bytes(size: size)
    }
}

/// CPU time of the calling thread, immune to other processes on a shared machine.
enum ThreadClock {
    static func seconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// The least CPU time of `runs` calls of `body` (the least is the least disturbed).
    static func best(of runs: Int = 3, _ body: () -> Void) -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = seconds()
            body()
            best = min(best, seconds() - start)
        }
        return best
    }
}
