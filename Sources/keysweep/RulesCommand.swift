import ArgumentParser
import KeySweep

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the detection rules (built in, plus --patterns)."
    )

    @Option(help: ArgumentHelp("Also load every *.toml rule file under DIR (subfolders included).", valueName: "DIR"))
    var patterns: String?

    func run() throws {
        let rules = try RuleSet.builtIn(plus: patterns)
        for rule in rules.rules {
            print("\(rule.id)\t\(rule.confidence.rawValue)\t\(rule.description)")
        }
    }
}
