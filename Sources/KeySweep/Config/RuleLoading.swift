/// The rules of a scan and what came with them: built-in rules, `--patterns` rule files, and
/// the rules and allowlists of a gitleaks configuration (`--config`).
public struct LoadedRules: Sendable {
    public var rules: RuleSet
    /// Allowlists of a gitleaks configuration, applied to the findings after the scan.
    public var allowlists: GitleaksAllowlists?
    /// Entries of the configuration that could not be used, one line each.
    public var warnings: [String] = []
}

extension RuleSet {
    /// The built-in rules, plus every `*.toml` file in `patterns`, plus the rules of the
    /// gitleaks configuration file `gitleaksConfig`.
    public static func load(patterns: String?, gitleaksConfig: String?) throws -> LoadedRules {
        guard let gitleaksConfig else { return LoadedRules(rules: try builtIn(plus: patterns)) }
        let base = try builtIn(plus: patterns)
        let config = try GitleaksConfig.read(gitleaksConfig)
        var warnings = config.warnings
        let known = Set(base.rules.map(\.id))
        var rules = base.rules
        for rule in config.rules {
            if known.contains(rule.id) {
                warnings.append("\(gitleaksConfig): rule '\(rule.id)': skipped, keysweep has a built-in rule with that id")
                continue
            }
            rules.append(rule)
        }
        return LoadedRules(rules: try RuleSet(rules: rules), allowlists: config.allowlists, warnings: warnings)
    }
}
