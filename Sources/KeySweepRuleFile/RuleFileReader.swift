import TOMLKit

/// Reads a rule file's TOML into `RuleDefinition`s, checking its shape: known keys, the types of
/// their values, an id, a regex and an example. What the values mean (a regex that compiles, a
/// check that exists) is `RuleSet`'s to check.
public enum RuleFileReader {
    public static func read(_ text: String, file: String) throws -> [RuleDefinition] {
        let table: TOMLTable
        do { table = try TOMLReading.table(text) } catch { throw RuleFileError(error.message(file: file)) }
        guard let list = table["rule"]?.array else {
            throw RuleFileError("\(file): no [[rule]] tables")
        }
        return try list.enumerated().map { index, value in
            guard let entry = value.table else { throw RuleFileError("\(file): rule \(index + 1) is not a table") }
            return try rule(entry, file: file, index: index)
        }
    }

    static let keys: Set<String> = ["id", "description", "regex", "keywords", "entropy", "confidence", "checks",
                                    "examples", "counter_examples", "caseless", "context", "keyword_window", "keyword_near",
                                    "provider", "playbook", "kind", "decode", "pair", "unnamed", "enricher", "more_specific_than", "fallback",
                                    "host_decides_test_values", "published_values", "claims_names"]

    private static func rule(_ entry: TOMLTable, file: String, index: Int) throws -> RuleDefinition {
        guard let id = entry["id"]?.string, !id.isEmpty else {
            throw RuleFileError("\(file): rule \(index + 1) has no id")
        }
        func fail(_ why: String) -> RuleFileError { RuleFileError("\(file): rule '\(id)': \(why)") }
        if let unknown = entry.keys.first(where: { !keys.contains($0) }) { throw fail("unknown key '\(unknown)'") }
        guard let pattern = entry["regex"]?.string, !pattern.isEmpty else { throw fail("missing regex") }
        let values = Values(table: entry, fail: fail)
        var rule = RuleDefinition(id: id, description: try values.string("description") ?? id, regex: pattern, file: file)
        rule.caseless = try values.bool("caseless") ?? false
        rule.keywords = try values.strings("keywords")
        rule.entropy = try values.number("entropy") ?? 0
        rule.confidence = try values.string("confidence") ?? "medium"
        rule.checks = try values.strings("checks")
        rule.examples = try values.strings("examples")
        if rule.examples.isEmpty { throw fail("needs at least one example that must match") }
        rule.counterExamples = try values.strings("counter_examples")
        rule.context = try values.strings("context")
        if let value = entry["keyword_window"] {
            guard let n = value.int, n >= 0 else { throw fail("'keyword_window' must be a number of bytes") }
            rule.keywordWindow = n
        }
        if let value = entry["keyword_near"] {
            guard let n = value.int, n >= 0 else { throw fail("'keyword_near' must be a number of bytes") }
            guard rule.keywordWindow == nil else { throw fail("'keyword_near' and 'keyword_window' exclude each other") }
            rule.keywordNear = n
        }
        rule.provider = try values.string("provider") ?? ""
        rule.playbook = try values.string("playbook")
        rule.kind = try values.string("kind") ?? RuleKinds.credential
        guard RuleKinds.all.contains(rule.kind) else {
            throw fail("'kind' must be one of \(RuleKinds.all.joined(separator: ", ")), not '\(rule.kind)'")
        }
        rule.decode = try values.strings("decode")
        rule.enricher = try values.string("enricher")
        rule.moreSpecificThan = try values.strings("more_specific_than")
        rule.fallback = try values.bool("fallback") ?? false
        rule.hostDecidesTestValues = try values.bool("host_decides_test_values") ?? false
        rule.publishedValues = try values.strings("published_values")
        rule.claimsNames = try values.strings("claims_names")
        rule.pairs = try pairs(entry["pair"], fail: fail)
        rule.unnamed = try unnamed(entry["unnamed"], fail: fail)
        return rule
    }

    private static func pairs(_ value: TOMLValueConvertible?, fail: @escaping (String) -> RuleFileError) throws -> [RuleDefinition.Pair] {
        guard let value else { return [] }
        guard let list = value.array else { throw fail("'pair' must be an array of tables ([[rule.pair]])") }
        return try list.map { item in
            guard let table = item.table else { throw fail("'pair' must be an array of tables ([[rule.pair]])") }
            let known: Set<String> = ["role", "rule", "regex", "id_prefixes", "near"]
            if let unknown = table.keys.first(where: { !known.contains($0) }) { throw fail("pair: unknown key '\(unknown)'") }
            guard let role = table["role"]?.string, !role.isEmpty else { throw fail("pair: missing role") }
            let values = Values(table: table, fail: { fail("pair '\(role)': \($0)") })
            let part = RuleDefinition.Pair(role: role, rule: try values.string("rule"), regex: try values.string("regex"),
                                           idPrefixes: try values.strings("id_prefixes"), near: try values.string("near"))
            guard (part.rule == nil) != (part.regex == nil) else { throw fail("pair '\(role)': needs either a rule or a regex") }
            return part
        }
    }

    private static func unnamed(_ value: TOMLValueConvertible?, fail: @escaping (String) -> RuleFileError) throws -> RuleDefinition.Unnamed? {
        guard let value else { return nil }
        guard let table = value.table, let pattern = table["regex"]?.string else { throw fail("'unnamed' must be a table with a regex") }
        let values = Values(table: table, fail: { fail("unnamed: \($0)") })
        return RuleDefinition.Unnamed(regex: pattern, entropy: try values.number("entropy") ?? 0, checks: try values.strings("checks"))
    }

    /// Typed reads of a table's keys: a key of the wrong type is an error, an absent one nil.
    private struct Values {
        let table: TOMLTable
        let fail: (String) -> RuleFileError

        func string(_ key: String) throws -> String? {
            guard let value = table[key] else { return nil }
            guard let text = value.string else { throw fail("'\(key)' must be a string") }
            return text
        }

        func strings(_ key: String) throws -> [String] {
            guard let value = table[key] else { return [] }
            guard let array = value.array else { throw fail("'\(key)' must be an array of strings") }
            return try array.map { item in
                guard let text = item.string else { throw fail("'\(key)' must be an array of strings") }
                return text
            }
        }

        func bool(_ key: String) throws -> Bool? {
            guard let value = table[key] else { return nil }
            guard let flag = value.bool else { throw fail("'\(key)' must be true or false") }
            return flag
        }

        func number(_ key: String) throws -> Double? {
            guard let value = table[key] else { return nil }
            guard let n = value.double ?? value.int.map(Double.init) else { throw fail("'\(key)' must be a number") }
            return n
        }
    }
}
