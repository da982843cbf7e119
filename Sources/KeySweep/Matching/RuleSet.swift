import Foundation
import TOMLKit

/// The rules of one scan, loaded from TOML rule files and compiled once.
public struct RuleSet: Sendable {
    public let rules: [Rule]
    let prefilter: KeywordPrefilter
    /// The largest capture-group count of any rule, to size each worker's match data.
    let maxCaptures: Int
    /// A digest of every rule's definition, for caches keyed by the rule set.
    let fingerprint: String

    /// A rule file that cannot be used, with the file and rule named.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The rules built into keysweep (the repository's `Patterns/`, embedded at build time).
    static func builtIn() throws -> RuleSet {
        try RuleSet(files: EmbeddedPatterns.files)
    }

    /// The built-in rules plus every `*.toml` file under `directory`.
    static func builtIn(plus directory: String?) throws -> RuleSet {
        guard let directory else { return try builtIn() }
        return try RuleSet(files: EmbeddedPatterns.files + RuleSet.readDirectory(directory))
    }

    /// Reads every `*.toml` file under `directory`, subfolders included (rules are laid out one
    /// per file, in a folder per provider, as in `Patterns/`), sorted by path.
    static func readDirectory(_ directory: String) throws -> [(name: String, text: String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LoadError(description: "\(directory): no such rules directory")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw LoadError(description: "\(directory): cannot read rules directory")
        }
        let names = enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".toml") }.sorted()
        return try names.map { name in
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError(description: "\(path): cannot read rule file")
            }
            return (path, String(decoding: data, as: UTF8.self))
        }
    }

    /// Parses and compiles rule files given as (name, TOML text).
    init(files: [(name: String, text: String)]) throws {
        var rules: [Rule] = []
        var seen: [String: String] = [:]
        for file in files {
            for rule in try RuleSet.parse(file.text, file: file.name) {
                if let other = seen[rule.id] {
                    throw LoadError(description: "\(file.name): rule '\(rule.id)' is already defined in \(other)")
                }
                seen[rule.id] = file.name
                rules.append(rule)
            }
        }
        try self.init(rules: rules)
    }

    init(rules: [Rule]) throws {
        let ids = Set(rules.map(\.id))
        for rule in rules {
            for part in rule.pairs {
                if let other = part.rule, !ids.contains(other) {
                    throw LoadError(description: "\(rule.file): rule '\(rule.id)': pairs with unknown rule '\(other)'")
                }
                if let near = part.near, !rule.pairs.contains(where: { $0.role == near }) {
                    throw LoadError(description: "\(rule.file): rule '\(rule.id)': pair part '\(part.role)' is near unknown part '\(near)'")
                }
            }
            for other in rule.moreSpecificThan where !ids.contains(other) {
                throw LoadError(description: "\(rule.file): rule '\(rule.id)': more specific than unknown rule '\(other)'")
            }
        }
        self.rules = rules
        prefilter = KeywordPrefilter(keywords: rules.map(\.keywords))
        maxCaptures = rules.map(\.regex.captureCount).max() ?? 0
        fingerprint = Fingerprint.sha256Hex(rules.map {
            "\($0.id)\u{0}\($0.pattern)\u{0}\($0.keywords)\u{0}\($0.minEntropy)\u{0}\($0.confidence)\u{0}\($0.checks)\u{0}\($0.context)\u{0}\($0.keywordWindow ?? -1)"
                + "\u{0}\($0.provider)\u{0}\($0.decode)\u{0}\($0.enricher ?? "")\u{0}\($0.unnamed.map { "\($0.pattern) \($0.minEntropy) \($0.checks)" } ?? "")"
                + $0.pairs.map { "\u{0}\($0.role) \($0.rule ?? "") \($0.pattern ?? "") \($0.idPrefixes) \($0.near ?? "")" }.joined()
                + "\u{0}\($0.moreSpecificThan) \($0.isFallback)"
        }.joined(separator: "\u{1}"))
    }

    static func parse(_ text: String, file: String) throws -> [Rule] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw LoadError(description: "\(file):\(error.source.begin.line): invalid TOML: \(error.description)")
        }
        guard let list = table["rule"]?.array else {
            throw LoadError(description: "\(file): no [[rule]] tables")
        }
        return try list.enumerated().map { index, value in
            guard let entry = value.table else { throw LoadError(description: "\(file): rule \(index + 1) is not a table") }
            return try parseRule(entry, file: file, index: index)
        }
    }

    /// `[[rule.pair]]` tables: `role`, then `rule` or `regex`, optional `id_prefixes` and `near`.
    private static func parsePairs(_ value: TOMLValueConvertible?, fail: (String) -> LoadError) throws -> [PairPart] {
        guard let value else { return [] }
        guard let list = value.array else { throw fail("'pair' must be an array of tables ([[rule.pair]])") }
        return try list.map { item in
            guard let table = item.table else { throw fail("'pair' must be an array of tables ([[rule.pair]])") }
            let known: Set<String> = ["role", "rule", "regex", "id_prefixes", "near"]
            if let unknown = table.keys.first(where: { !known.contains($0) }) { throw fail("pair: unknown key '\(unknown)'") }
            guard let role = table["role"]?.string, !role.isEmpty else { throw fail("pair: missing role") }
            let rule = table["rule"]?.string
            var regex: Regex?
            if let pattern = table["regex"]?.string {
                do { regex = try Regex(pattern) } catch { throw fail("pair '\(role)': regex does not compile: \(error)") }
            }
            guard (rule == nil) != (regex == nil) else { throw fail("pair '\(role)': needs either a rule or a regex") }
            let prefixes = try (table["id_prefixes"]?.array ?? []).map { item -> String in
                guard let text = item.string else { throw fail("pair '\(role)': 'id_prefixes' must be strings") }
                return text
            }
            return PairPart(role: role, rule: rule, regex: regex, pattern: table["regex"]?.string, idPrefixes: prefixes, near: table["near"]?.string)
        }
    }

    /// `[rule.unnamed]`: `regex` (with a `secret` group), optional `entropy` and `checks`.
    private static func parseUnnamed(_ value: TOMLValueConvertible?, fail: (String) -> LoadError) throws -> UnnamedForm? {
        guard let value else { return nil }
        guard let table = value.table, let pattern = table["regex"]?.string else { throw fail("'unnamed' must be a table with a regex") }
        let checks = try (table["checks"]?.array ?? []).map { item -> String in
            guard let name = item.string, SecretChecks.named(name) != nil else { throw fail("unnamed: unknown check '\(item)'") }
            return name
        }
        let regex: Regex
        do { regex = try Regex(pattern) } catch { throw fail("unnamed: regex does not compile: \(error)") }
        let entropy = table["entropy"]?.double ?? table["entropy"]?.int.map(Double.init) ?? 0
        return UnnamedForm(regex: regex, pattern: pattern, minEntropy: entropy, checks: checks)
    }

    private static func parseRule(_ entry: TOMLTable, file: String, index: Int) throws -> Rule {
        func fail(_ id: String, _ why: String) -> LoadError { LoadError(description: "\(file): rule '\(id)': \(why)") }
        guard let id = entry["id"]?.string, !id.isEmpty else {
            throw LoadError(description: "\(file): rule \(index + 1) has no id")
        }
        let known: Set<String> = ["id", "description", "regex", "keywords", "entropy", "confidence", "checks",
                                  "examples", "counter_examples", "caseless", "context", "keyword_window",
                                  "provider", "decode", "pair", "unnamed", "enricher", "more_specific_than", "fallback"]
        if let unknown = entry.keys.first(where: { !known.contains($0) }) {
            throw fail(id, "unknown key '\(unknown)'")
        }
        guard let pattern = entry["regex"]?.string, !pattern.isEmpty else { throw fail(id, "missing regex") }
        func strings(_ key: String) throws -> [String] {
            guard let value = entry[key] else { return [] }
            guard let array = value.array else { throw fail(id, "'\(key)' must be an array of strings") }
            return try array.map { item in
                guard let s = item.string else { throw fail(id, "'\(key)' must be an array of strings") }
                return s
            }
        }
        let regex: Regex
        do {
            regex = try Regex(pattern, caseless: entry["caseless"]?.bool ?? false,
                              search: Regex.Search(keywordWindow: entry["keyword_window"]?.int))
        } catch {
            throw fail(id, "regex does not compile: \(error)")
        }
        let confidenceText = entry["confidence"]?.string ?? "medium"
        guard let confidence = Confidence(rawValue: confidenceText) else {
            throw fail(id, "confidence must be low, medium or high, not '\(confidenceText)'")
        }
        let entropy = entry["entropy"]?.double ?? entry["entropy"]?.int.map(Double.init) ?? 0
        let checks = try strings("checks")
        for check in checks where SecretChecks.named(check) == nil {
            throw fail(id, "unknown check '\(check)'")
        }
        let examples = try strings("examples")
        if examples.isEmpty { throw fail(id, "needs at least one example that must match") }
        var window: Int?
        if let value = entry["keyword_window"] {
            guard let n = value.int, n >= 0 else { throw fail(id, "'keyword_window' must be a number of bytes") }
            window = n
        }
        var rule = Rule(id: id,
                    description: entry["description"]?.string ?? id,
                    regex: regex,
                    pattern: pattern,
                    keywords: try strings("keywords").map { $0.lowercased() },
                    minEntropy: entropy,
                    confidence: confidence,
                    context: try strings("context").map { $0.lowercased() },
                    checks: checks,
                    examples: examples,
                    counterExamples: try strings("counter_examples"),
                    file: file)
        rule.keywordWindow = window
        rule.provider = entry["provider"]?.string ?? ""
        rule.decode = try strings("decode")
        for name in rule.decode where !Decodings.names.contains(name) {
            throw fail(id, "unknown decoding '\(name)' (known: \(Decodings.names.sorted().joined(separator: ", ")))")
        }
        if let enricher = entry["enricher"] {
            guard let name = enricher.string, Enrichers.names.contains(name) else {
                throw fail(id, "'enricher' must be one of \(Enrichers.names.sorted().joined(separator: ", "))")
            }
            rule.enricher = name
        }
        rule.pairs = try parsePairs(entry["pair"], fail: { fail(id, $0) })
        rule.unnamed = try parseUnnamed(entry["unnamed"], fail: { fail(id, $0) })
        rule.moreSpecificThan = try strings("more_specific_than")
        if let value = entry["fallback"] {
            guard let flag = value.bool else { throw fail(id, "'fallback' must be true or false") }
            rule.isFallback = flag
        }
        if let problem = KeywordWindow.violation(of: rule) { throw fail(id, problem) }
        return rule
    }
}
