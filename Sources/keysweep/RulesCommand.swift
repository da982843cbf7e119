import ArgumentParser
import KeySweep

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the detection rules (built in, plus --patterns and --config): id, confidence, provider, description."
    )

    @OptionGroup(title: "Rules") var ruleOptions: RuleOptions

    func run() throws {
        for rule in try ruleOptions.load().rules.rules {
            print("\(rule.id)\t\(rule.confidence.rawValue)\t\(rule.provider)\t\(rule.description)")
        }
    }
}
