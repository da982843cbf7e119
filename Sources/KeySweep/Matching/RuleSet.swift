import Foundation
import KeySweepRuleFile

/// The rules of one scan, loaded from TOML rule files and compiled once.
public struct RuleSet: Sendable {
    public let rules: [Rule]
    /// Every rule's keywords, then each context word as an entry of its own (after the rules:
    /// `contextWords[k]` is entry `rules.count + k`), so one pass over a content finds both.
    let prefilter: KeywordPrefilter
    /// The context words of every rule (`context`), each once, lower-case.
    let contextWords: [String]
    /// Each context word's index in `contextWords`.
    let contextWordIndex: [String: Int]
    /// Every rule's `claims_names`, each once, lower-case: a name holding one is a provider's.
    let claimedNames: [String]
    /// The largest capture-group count of any rule, to size each worker's match data.
    let maxCaptures: Int
    /// A digest of every rule's definition, for caches keyed by the rule set.
    let fingerprint: String

    /// A rule file that cannot be used, with the file and rule named.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// The rules built into keysweep (the repository's `Patterns/`, read at build time).
    static func builtIn() throws -> RuleSet {
        try RuleSet(builtIn: EmbeddedPatterns.rules)
    }

    /// The built-in rules plus every `*.toml` file under `directory`.
    static func builtIn(plus directory: String?) throws -> RuleSet {
        guard let directory else { return try builtIn() }
        return try RuleSet(builtIn: EmbeddedPatterns.rules, files: RuleSet.readDirectory(directory))
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
            switch TOMLFile.read(path) {
            case .success(let text): return (path, text)
            case .failure(let failure) where failure.unreadable: throw LoadError(description: "\(path): cannot read rule file (\(failure.reason))")
            case .failure(let failure): throw LoadError(description: "\(path): \(failure.reason), not a rule file")
            }
        }
    }

    /// Compiles the built-in rules' definitions and parses and compiles rule files given as
    /// (name, TOML text). The keyword windows of `builtIn` rules are not tried on their
    /// examples here: the tests do that for every built-in rule (`RuleExampleTests`), and each
    /// start-up would pay for it.
    init(builtIn: [RuleDefinition] = [], files: [(name: String, text: String)] = []) throws {
        var rules = try builtIn.map { try RuleSet.compile($0, checkWindow: false) }
        var seen: [String: String] = [:]
        for rule in rules { seen[rule.id] = rule.file }
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
        contextWords = Array(Set(rules.flatMap(\.context))).sorted()
        contextWordIndex = Dictionary(uniqueKeysWithValues: contextWords.enumerated().map { ($1, $0) })
        claimedNames = Array(Set(rules.flatMap(\.claimsNames))).sorted()
        prefilter = KeywordPrefilter(keywords: rules.map(\.keywords) + contextWords.map { [$0] })
        maxCaptures = rules.map(\.regex.captureCount).max() ?? 0
        fingerprint = Fingerprint.sha256Hex(rules.map {
            "\($0.id)\u{0}\($0.pattern)\u{0}\($0.keywords)\u{0}\($0.minEntropy)\u{0}\($0.confidence)\u{0}\($0.checks)\u{0}\($0.context)\u{0}\($0.keywordWindow ?? -1)" + ($0.keywordNear.map { "\u{0}near \($0)" } ?? "") + ($0.playbook.map { "\u{0}playbook \($0)" } ?? "")
                + "\u{0}\($0.provider)\u{0}\($0.decode)\u{0}\($0.enricher ?? "")\u{0}\($0.unnamed.map { "\($0.pattern) \($0.minEntropy) \($0.checks)" } ?? "")"
                + $0.pairs.map { "\u{0}\($0.role) \($0.rule ?? "") \($0.pattern ?? "") \($0.idPrefixes) \($0.near ?? "")" }.joined()
                + "\u{0}\($0.moreSpecificThan) \($0.isFallback)"
                + ($0.kind == RuleKinds.credential ? "" : "\u{0}kind \($0.kind)")
                + ($0.hostDecidesTestValues ? "\u{0}host decides test values" : "")
                + ($0.publishedValues.isEmpty ? "" : "\u{0}published \($0.publishedValues.sorted())")
                + ($0.claimsNames.isEmpty ? "" : "\u{0}claims \($0.claimsNames)")
        }.joined(separator: "\u{1}"))
    }

    /// Reads and compiles a rule file. `checkWindows`: try a keyword window on the rule's
    /// examples (`KeywordWindow.violation`).
    static func parse(_ text: String, file: String, checkWindows: Bool = true) throws -> [Rule] {
        let definitions: [RuleDefinition]
        do { definitions = try RuleFileReader.read(text, file: file) } catch let error as RuleFileError {
            throw LoadError(description: error.description)
        }
        return try definitions.map { try compile($0, checkWindow: checkWindows) }
    }

    /// A rule from its definition: its regexes compiled, and the names it uses (checks,
    /// decodings, enricher, confidence) known.
    static func compile(_ definition: RuleDefinition, checkWindow: Bool = true) throws -> Rule {
        let d = definition
        func fail(_ why: String) -> LoadError { LoadError(description: "\(d.file): rule '\(d.id)': \(why)") }
        func regex(_ pattern: String, _ what: String, caseless: Bool = false, search: Regex.Search = .whole) throws -> Regex {
            do { return try Regex(pattern, caseless: caseless, search: search) } catch { throw fail("\(what)regex does not compile: \(error)") }
        }
        func known(checks: [String], _ what: String) throws {
            for check in checks where SecretChecks.named(check) == nil { throw fail("\(what)unknown check '\(check)'") }
        }
        guard let confidence = Confidence(rawValue: d.confidence) else {
            throw fail("confidence must be low, medium or high, not '\(d.confidence)'")
        }
        try known(checks: d.checks, "")
        if d.keywordWindow != nil && d.keywords.isEmpty { throw fail("'keyword_window' needs keywords") }
        if d.keywordNear != nil && d.keywords.isEmpty { throw fail("'keyword_near' needs keywords") }
        var rule = Rule(id: d.id,
                        description: d.description,
                        regex: try regex(d.regex, "", caseless: d.caseless, search: Regex.Search(keywordWindow: d.keywordWindow ?? d.keywordNear)),
                        pattern: d.regex,
                        keywords: d.keywords.map { $0.lowercased() },
                        minEntropy: d.entropy,
                        confidence: confidence,
                        context: d.context.map { $0.lowercased() },
                        checks: d.checks,
                        examples: d.examples,
                        counterExamples: d.counterExamples,
                        file: d.file)
        rule.keywordWindow = d.keywordWindow
        rule.keywordNear = d.keywordNear
        rule.hostDecidesTestValues = d.hostDecidesTestValues
        rule.publishedValues = Set(d.publishedValues)
        rule.claimsNames = d.claimsNames.map { $0.lowercased() }
        rule.provider = d.provider
        if let playbook = d.playbook, ProviderPlaybooks.named(playbook) == nil {
            throw fail("unknown playbook '\(playbook)' (known: \(ProviderPlaybooks.all.map(\.id).joined(separator: ", ")))")
        }
        rule.playbook = d.playbook
        rule.kind = d.kind
        rule.decode = d.decode
        for name in rule.decode where !Decodings.names.contains(name) {
            throw fail("unknown decoding '\(name)' (known: \(Decodings.names.sorted().joined(separator: ", ")))")
        }
        if let name = d.enricher {
            guard Enrichers.names.contains(name) else {
                throw fail("'enricher' must be one of \(Enrichers.names.sorted().joined(separator: ", "))")
            }
            rule.enricher = name
        }
        rule.pairs = try d.pairs.map { part in
            PairPart(role: part.role, rule: part.rule, regex: try part.regex.map { try regex($0, "pair '\(part.role)': ") },
                     pattern: part.regex, idPrefixes: part.idPrefixes, near: part.near)
        }
        if let unnamed = d.unnamed {
            try known(checks: unnamed.checks, "unnamed: ")
            rule.unnamed = UnnamedForm(regex: try regex(unnamed.regex, "unnamed: "), pattern: unnamed.regex,
                                       minEntropy: unnamed.entropy, checks: unnamed.checks)
        }
        rule.moreSpecificThan = d.moreSpecificThan
        rule.isFallback = d.fallback
        if checkWindow, let problem = KeywordWindow.violation(of: rule) { throw fail(problem) }
        return rule
    }
}
