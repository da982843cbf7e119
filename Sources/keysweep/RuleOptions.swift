import ArgumentParser
import KeySweep

/// Where the rules come from, shared by every command that loads them: defined once here.
struct RuleOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also load every *.toml rule file under DIR (subfolders included; the format of Patterns/README.md).", valueName: "DIR"))
    var patterns: String?

    @Option(help: ArgumentHelp("Also use the rules and allowlists of a gitleaks configuration file.", valueName: "FILE"))
    var config: String?

    func load() throws -> LoadedRules { try RuleSet.load(patterns: patterns, gitleaksConfig: config) }
}
