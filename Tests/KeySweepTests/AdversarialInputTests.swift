import Foundation
import Testing
@testable import KeySweep

/// No rule may be made slow by what an attacker commits: each built-in rule, alone, on inputs
/// generated from its own keywords and examples (`AdversarialInputs`), costs at most a small
/// multiple of what it costs per byte on ordinary text holding its examples, and its cost grows
/// linearly with the input. Ratios of CPU time measured in the same test, never wall-clock limits.
///
/// `KEYSWEEP_ADVERSARIAL_REPORT=FILE` writes each rule's worst input and ratio to FILE;
/// `KEYSWEEP_ADVERSARIAL_RULES=id,id` measures only those rules, `KEYSWEEP_ADVERSARIAL_SIZE` sets the size.
@Suite(.serialized) struct AdversarialInputTests {
    static let rules = try! RuleSet.builtIn()
    static let size = Int(ProcessInfo.processInfo.environment["KEYSWEEP_ADVERSARIAL_SIZE"] ?? "") ?? 32 << 10
    /// An input may cost this many times the rule's ordinary text of the same size.
    static let maxRatio = 60.0
    /// Four times the input may cost at most this many times as much (linear: 4; quadratic: 16).
    static let maxGrowth = 8.0

    struct Measure {
        var input: String
        var ratio: Double
        var growth: Double?
    }

    /// The rule alone (pairs and declarations dropped: they name other rules), as a matcher sees it.
    static func matcher(for rule: Rule) throws -> Matcher {
        var rule = rule
        rule.pairs = []
        rule.unnamed = nil
        rule.moreSpecificThan = []
        // A budget far above what the inputs cost, so it clips no growth: a quadratic rule would
        // stop at the scan's budget and be measured as merely slow.
        return Matcher(rules: try RuleSet(rules: [rule]), budget: Matcher.Budget(floor: 5))
    }

    static func cost(_ matcher: Matcher, _ bytes: [UInt8], runs: Int = 3) -> Double {
        var candidates: [Candidate] = []
        return ThreadClock.best(of: runs) {
            candidates.removeAll(keepingCapacity: true)
            bytes.withUnsafeBytes { matcher.candidates(in: $0, into: &candidates) }
        }
    }

    static func worst(_ rule: Rule) throws -> Measure {
        let matcher = try matcher(for: rule)
        // A floor of 5 µs per 32 KiB, so a rule too cheap to time on ordinary text is not divided by noise.
        let ordinary = max(cost(matcher, AdversarialInputs.ordinary(for: rule, size: size)), 5e-6 * Double(size) / 32_768)
        var worst = Measure(input: "-", ratio: 0)
        for input in AdversarialInputs.inputs(for: rule) {
            let bytes = input.bytes(size: size)
            var full = cost(matcher, bytes, runs: 1)
            if full / ordinary > maxRatio / 2 { full = cost(matcher, bytes, runs: 3) }   // near the bound: time it again
            var measure = Measure(input: input.name, ratio: full / ordinary)
            if full > 0.002 {   // large enough to time the growth against four times the input
                let larger = input.bytes(size: 4 * size)
                var growth = cost(matcher, larger, runs: 2) / full
                // Near the bound: time both sizes again, best of five, up to three times, and keep
                // the lowest growth. A machine busy with other suites can slow one run twofold (CI
                // once measured a linear rule at 8.04); a quadratic rule stays near 16 however often it runs.
                var attempts = 0
                while growth > maxGrowth * 0.6 && attempts < 3 {
                    attempts += 1
                    growth = min(growth, cost(matcher, larger, runs: 5) / min(full, cost(matcher, bytes, runs: 5)))
                }
                measure.growth = growth
            }
            if measure.ratio > worst.ratio || (measure.growth ?? 0) > maxGrowth { worst = measure }
            if (measure.growth ?? 0) > maxGrowth { break }
        }
        return worst
    }

    @Test(arguments: rules.rules.indices)
    func ruleStaysLinearOnAdversarialInput(_ index: Int) throws {
        let rule = Self.rules.rules[index]
        if let only = ProcessInfo.processInfo.environment["KEYSWEEP_ADVERSARIAL_RULES"],
           !only.split(separator: ",").contains(Substring(rule.id)) { return }
        let worst = try Self.worst(rule)
        if let path = ProcessInfo.processInfo.environment["KEYSWEEP_ADVERSARIAL_REPORT"] {
            let line = "\(rule.id)\t\(String(format: "%.1f", worst.ratio))\t\(worst.growth.map { String(format: "%.1f", $0) } ?? "-")\t\(worst.input)\n"
            if let handle = FileHandle(forWritingAtPath: path) {
                handle.seekToEndOfFile(); handle.write(Data(line.utf8)); handle.closeFile()
            } else {
                FileManager.default.createFile(atPath: path, contents: Data(line.utf8))
            }
        }
        #expect(worst.ratio <= Self.maxRatio, "\(rule.id): '\(worst.input)' costs \(worst.ratio)x its ordinary text")
        #expect((worst.growth ?? 0) <= Self.maxGrowth, "\(rule.id): '\(worst.input)' grows \(worst.growth ?? 0)x for 4x the input")
    }

    /// The measure itself can fail: the private-key rule's old quadratic shape (each header
    /// searched to the end of the content for an END that never comes) is caught by its growth.
    @Test func aQuadraticRuleIsCaught() throws {
        let toml = """
            [[rule]]
            id = "quadratic-rule"
            regex = '''(?<secret>-----BEGIN X-----\\s+[A-Za-z0-9\\-\\s]{40,}?\\s*-----END X-----)'''
            keywords = ["-----begin x-----"]
            examples = ["-----BEGIN X-----\\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\n-----END X-----"]
            """
        let rule = try #require(try RuleSet(files: [("quadratic.toml", toml)]).rules.first)
        let worst = try Self.worst(rule)
        #expect((worst.growth ?? 0) > Self.maxGrowth, "growth \(worst.growth ?? 0) on '\(worst.input)'")
    }
}
