import Testing
@testable import KeySweep

/// Every built-in rule's examples must produce a (non-placeholder) secret of that rule, and its
/// counter-examples must not.
@Suite struct RuleExampleTests {
    static let rules = try! RuleSet.builtIn()

    static func secrets(of ruleIndex: Int, in text: String) -> [SecretMatch] {
        let scanner = ContentScanner(rules: rules, options: ScanOptions())
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { scanner.matches(in: UnsafeRawBufferPointer($0)) }
            .filter { $0.rule == ruleIndex && !$0.isPlaceholder }
    }

    @Test(arguments: rules.rules.indices)
    func examplesMatchAndCounterExamplesDoNot(_ index: Int) {
        let rule = Self.rules.rules[index]
        #expect(!rule.examples.isEmpty)
        for example in rule.examples {
            #expect(!Self.secrets(of: index, in: example).isEmpty, "\(rule.id) misses example: \(example)")
        }
        for counter in rule.counterExamples {
            #expect(Self.secrets(of: index, in: counter).isEmpty, "\(rule.id) matches counter-example: \(counter)")
        }
    }

    @Test func ruleIDsAreUnique() {
        #expect(Set(Self.rules.rules.map(\.id)).count == Self.rules.rules.count)
    }

    @Test func oneRulePerFileNamedByItsID() throws {
        // Patterns/<family>/<rule id>.toml: the built-in files each hold exactly one rule.
        #expect(EmbeddedPatterns.files.count == Self.rules.rules.count)
        for file in EmbeddedPatterns.files {
            // Parsed alone (a rule may pair with a rule of another file: that is checked with all of them).
            let rules = try RuleSet.parse(file.text, file: file.name)
            #expect(rules.count == 1, "\(file.name) holds \(rules.count) rules")
            let parts = file.name.split(separator: "/")
            #expect(parts.count == 2 && parts[1] == "\(rules.first?.id ?? "?").toml", "\(file.name)")
        }
    }

    @Test func duplicateRuleIDAcrossFilesIsAnError() throws {
        let text = Self.rules.rules.isEmpty ? "" : """
            [[rule]]
            id = "aws-access-key-id"
            regex = 'x'
            examples = ["x"]
            """
        #expect(throws: RuleSet.LoadError.self) { try RuleSet(files: EmbeddedPatterns.files + [(name: "dup.toml", text: text)]) }
    }
}
