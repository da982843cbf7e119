import Foundation
import KeySweepRuleFile
import TOMLKit

/// A gitleaks configuration file (`--config .gitleaks.toml`): its rules, translated to keysweep
/// rules, and its allowlists, applied to the findings after the scan.
///
/// Read: `[[rules]]` (`id`, `description`, `regex`, `secretGroup`, `entropy`, `keywords`, `path`,
/// `[rules.allowlist]` / `[[rules.allowlists]]`), the global `[allowlist]` / `[[allowlists]]`
/// (`paths`, `regexes`, `stopwords`, `commits`, `regexTarget`, `condition`, `targetRules`).
/// Whatever cannot be used is named in `warnings`, one line per entry; the rest still applies.
struct GitleaksConfig {
    var rules: [Rule] = []
    var allowlists = GitleaksAllowlists()
    var warnings: [String] = []

    static func read(_ path: String) throws -> GitleaksConfig {
        switch TOMLFile.read(path) {
        case .success(let text): return try GitleaksConfig(text: text, file: path)
        case .failure(let failure) where failure.unreadable: throw RuleSet.LoadError(description: "\(path): cannot read gitleaks configuration (\(failure.reason))")
        case .failure(let failure): throw RuleSet.LoadError(description: "\(path): \(failure.reason), not a gitleaks configuration")
        }
    }

    init(text: String, file: String) throws {
        let table: TOMLTable
        do { table = try TOMLReading.table(text) } catch { throw RuleSet.LoadError(description: error.message(file: file)) }
        let knownTop: Set<String> = ["title", "description", "rules", "allowlist", "allowlists", "extend", "version", "minVersion"]
        for key in table.keys where !knownTop.contains(key) {
            warnings.append("\(file): top-level key '\(key)' is not a gitleaks setting keysweep knows; ignored")
        }
        if let extend = table["extend"]?.table {
            if extend["useDefault"]?.bool == true {
                warnings.append("\(file): [extend] useDefault: gitleaks' own default rules are not bundled; keysweep's built-in rules are used with this file's rules")
            }
            if let other = extend["path"]?.string {
                warnings.append("\(file): [extend] path '\(other)': extending another configuration file is not supported; ignored")
            }
            if extend["url"] != nil { warnings.append("\(file): [extend] url: not supported; ignored") }
        }
        if table["rules"] != nil && table["rules"]?.array == nil {
            throw RuleSet.LoadError(description: "\(file): 'rules' must be [[rules]] tables")
        }
        guard table["rules"] != nil || table["allowlist"] != nil || table["allowlists"] != nil || table["extend"] != nil else {
            throw RuleSet.LoadError(description: "\(file): not a gitleaks configuration (no [[rules]], [allowlist] or [extend])")
        }
        for (index, value) in (table["rules"]?.array ?? []).enumerated() {
            guard let entry = value.table else {
                warnings.append("\(file): rule \(index + 1): not a table; skipped")
                continue
            }
            parseRule(entry, index: index, file: file)
        }
        // Global allowlists.
        var global: [TOMLTable] = []
        if let single = table["allowlist"]?.table { global.append(single) }
        for item in table["allowlists"]?.array ?? [] { if let t = item.table { global.append(t) } }
        for (index, entry) in global.enumerated() {
            if let allowlist = parseAllowlist(entry, context: "\(file): allowlist \(index + 1)") {
                allowlists.global.append(allowlist)
            }
        }
    }

    private mutating func parseRule(_ entry: TOMLTable, index: Int, file: String) {
        guard let id = entry["id"]?.string, !id.isEmpty else {
            warnings.append("\(file): rule \(index + 1): no id; skipped")
            return
        }
        let context = "\(file): rule '\(id)'"
        let known: Set<String> = ["id", "description", "regex", "secretGroup", "entropy", "keywords", "path", "tags",
                                  "allowlist", "allowlists", "report", "skipReport"]
        for key in entry.keys where !known.contains(key) {
            warnings.append("\(context): key '\(key)' is not supported; ignored")
        }
        if entry["report"]?.bool == false || entry["skipReport"]?.bool == true {
            warnings.append("\(context): a rule that is never reported (report = false) is not supported; skipped")
            return
        }
        guard let goPattern = entry["regex"]?.string, !goPattern.isEmpty else {
            warnings.append("\(context): path-only rules (no regex) are not supported; skipped")
            return
        }
        let secretGroup = entry["secretGroup"]?.int ?? 0
        let pattern: String
        do {
            pattern = try GoRegex.translate(goPattern, secretGroup: secretGroup)
            _ = try Regex(pattern)
        } catch {
            warnings.append("\(context): regex cannot be used (\(error)); skipped")
            return
        }
        var keywords: [String] = []
        for keyword in entry["keywords"]?.array ?? [] {
            if let text = keyword.string, !text.isEmpty { keywords.append(text.lowercased()) }
        }
        if let pathPattern = entry["path"]?.string {
            do {
                allowlists.rulePaths[id] = try Regex(try GoRegex.translate(pathPattern, secretGroup: 0))
            } catch {
                warnings.append("\(context): path regex cannot be used (\(error)); the rule applies to every path")
            }
        }
        var lists: [TOMLTable] = []
        if let single = entry["allowlist"]?.table { lists.append(single) }
        for item in entry["allowlists"]?.array ?? [] { if let t = item.table { lists.append(t) } }
        for (n, list) in lists.enumerated() {
            if var allowlist = parseAllowlist(list, context: "\(context): allowlist \(n + 1)") {
                allowlist.targetRules = [id]
                allowlists.perRule.append(allowlist)
            }
        }
        // Built through keysweep's own rule-file parser, so the rule is made exactly as a
        // Patterns/ rule is.
        let entropy = entry["entropy"]?.double ?? entry["entropy"]?.int.map(Double.init) ?? 0
        let toml = """
            [[rule]]
            id = \(IgnoreFile.quote(id))
            description = \(IgnoreFile.quote(entry["description"]?.string ?? id))
            regex = \(IgnoreFile.quote(pattern))
            keywords = [\(keywords.map(IgnoreFile.quote).joined(separator: ", "))]
            entropy = \(entropy)
            confidence = "medium"
            examples = ["(imported from a gitleaks configuration; no example)"]
            """
        do {
            rules += try RuleSet.parse(toml, file: file)
        } catch {
            warnings.append("\(context): cannot be used (\(error)); skipped")
        }
    }

    private mutating func parseAllowlist(_ table: TOMLTable, context: String) -> GitleaksAllowlist? {
        var allowlist = GitleaksAllowlist()
        let known: Set<String> = ["description", "condition", "regexTarget", "regexes", "paths", "commits", "stopwords", "targetRules"]
        for key in table.keys where !known.contains(key) {
            warnings.append("\(context): key '\(key)' is not supported; ignored")
        }
        func strings(_ key: String) -> [String] { (table[key]?.array ?? []).compactMap { $0.string } }
        if let condition = table["condition"]?.string {
            switch condition.uppercased() {
            case "AND", "&&": allowlist.requireAll = true
            case "OR", "||", "": allowlist.requireAll = false
            default: warnings.append("\(context): condition '\(condition)' is not AND or OR; OR is used")
            }
        }
        let target = table["regexTarget"]?.string ?? "secret"
        if target != "secret" {
            warnings.append("\(context): regexTarget '\(target)' is not supported; its regexes are matched against the secret only")
        }
        for pattern in strings("regexes") {
            do { allowlist.regexes.append(try Regex(try GoRegex.translate(pattern, secretGroup: 0))) } catch {
                warnings.append("\(context): regex '\(pattern)' cannot be used (\(error)); ignored")
            }
        }
        for pattern in strings("paths") {
            do { allowlist.paths.append(try Regex(try GoRegex.translate(pattern, secretGroup: 0))) } catch {
                warnings.append("\(context): path '\(pattern)' cannot be used (\(error)); ignored")
            }
        }
        allowlist.commits = strings("commits").map { $0.lowercased() }
        allowlist.stopwords = strings("stopwords").map { $0.lowercased() }
        let targets = strings("targetRules")
        if !targets.isEmpty { allowlist.targetRules = Set(targets) }
        if allowlist.isEmpty {
            warnings.append("\(context): nothing usable in it; ignored")
            return nil
        }
        return allowlist
    }
}

/// One gitleaks allowlist: an occurrence is allowed when any (or, with condition AND, every)
/// of its criteria holds: commit listed, path regex matches, secret regex matches, or the
/// secret contains a stopword.
struct GitleaksAllowlist: Sendable {
    var requireAll = false
    var regexes: [Regex] = []
    var paths: [Regex] = []
    var commits: [String] = []
    var stopwords: [String] = []
    /// Rule ids it is limited to (nil: every rule).
    var targetRules: Set<String>?

    var isEmpty: Bool { regexes.isEmpty && paths.isEmpty && commits.isEmpty && stopwords.isEmpty }

    func allows(rule: String, secret: String, occurrence: Occurrence, scratch: MatchScratch, targets: [String]) -> Bool {
        if let targetRules, !targetRules.contains(rule) { return false }
        var checks: [Bool] = []
        if !commits.isEmpty {
            let commit = occurrence.commit?.id.lowercased() ?? ""
            checks.append(!commit.isEmpty && commits.contains { commit.hasPrefix($0) || $0.hasPrefix(commit) })
        }
        if !paths.isEmpty {
            let candidates = GitleaksAllowlists.pathCandidates(occurrence.path, targets: targets)
            checks.append(paths.contains { regex in candidates.contains { GitleaksAllowlists.search(regex, $0, scratch) } })
        }
        if !regexes.isEmpty { checks.append(regexes.contains { GitleaksAllowlists.search($0, secret, scratch) }) }
        if !stopwords.isEmpty {
            let lower = secret.lowercased()
            checks.append(stopwords.contains { lower.contains($0) })
        }
        return requireAll ? !checks.isEmpty && checks.allSatisfy { $0 } : checks.contains(true)
    }
}

/// Every allowlist of a gitleaks configuration, and the `path` limits of its rules.
public struct GitleaksAllowlists: Sendable {
    var global: [GitleaksAllowlist] = []
    var perRule: [GitleaksAllowlist] = []
    /// Rules limited to paths matching a regex (gitleaks `path` with `regex`).
    var rulePaths: [String: Regex] = [:]

    /// Drops allowed occurrences, and findings left with none.
    func apply(to result: inout ScanResult) {
        let scratch = MatchScratch()
        var kept: [Finding] = []
        for var finding in result.findings {
            let rule = finding.rule.id
            let secret = finding.secret
            finding.occurrences.removeAll { occurrence in
                if let limit = rulePaths[rule],
                   !GitleaksAllowlists.pathCandidates(occurrence.path, targets: result.targets).contains(where: { GitleaksAllowlists.search(limit, $0, scratch) }) {
                    return true
                }
                return (global + perRule).contains {
                    $0.allows(rule: rule, secret: secret, occurrence: occurrence, scratch: scratch, targets: result.targets)
                }
            }
            if finding.occurrences.isEmpty { result.suppressed += 1 } else { kept.append(finding) }
        }
        result.findings = kept
    }

    static func pathCandidates(_ path: String, targets: [String]) -> [String] {
        var candidates = [path]
        for target in targets where !target.isEmpty && target != "-" {
            let base = target.hasSuffix("/") ? target : target + "/"
            if path.hasPrefix(base) { candidates.append(String(path.dropFirst(base.count))) }
        }
        return candidates
    }

    static func search(_ regex: Regex, _ text: String, _ scratch: MatchScratch) -> Bool {
        var found = false
        _ = Array(text.utf8).withUnsafeBytes { bytes in
            regex.forEachMatch(in: bytes, scratch: scratch) { _, _ in found = true }
        }
        return found
    }
}
