import Foundation
import Testing
@testable import KeySweep
import KeySweepRuleFile

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
        // A published value is one the rule finds, and only as a placeholder.
        for value in rule.publishedValues {
            let scanner = ContentScanner(rules: Self.rules, options: ScanOptions())
            var bytes = Array("key = \"\(value)\"\n".utf8)
            let found = bytes.withUnsafeMutableBytes { scanner.matches(in: UnsafeRawBufferPointer($0)) }.filter { $0.rule == index }
            #expect(found.map(\.secret) == [value] && found.allSatisfy(\.isPlaceholder), "\(rule.id): published value \(value)")
        }
    }

    @Test func ruleIDsAreUnique() {
        #expect(Set(Self.rules.rules.map(\.id)).count == Self.rules.rules.count)
    }

    @Test func oneRulePerFileNamedByItsID() throws {
        // Patterns/<family>/<rule id>.toml: the built-in files each hold exactly one rule.
        let files = EmbeddedPatterns.rules.map(\.file)
        #expect(Set(files).count == files.count)
        for rule in EmbeddedPatterns.rules {
            let parts = rule.file.split(separator: "/")
            #expect(parts.count == 2 && parts[1] == "\(rule.id).toml", "\(rule.file)")
        }
    }

    @Test func embeddedDefinitionsAreTheRuleFilesAsReadAtRunTime() throws {
        // The build writes the built-in rules as Swift values (PatternEmbedder): they must be
        // exactly what reading Patterns/ gives, escapes and non-ASCII text included.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Patterns").path
        let files = try RuleSet.readDirectory(root)
        var read: [RuleDefinition] = []
        for file in files {
            let name = String(file.name.dropFirst(root.count + 1))
            read += try RuleFileReader.read(file.text, file: name)
        }
        #expect(read.count == EmbeddedPatterns.rules.count)
        for (embedded, fromFile) in zip(EmbeddedPatterns.rules, read) {
            #expect(embedded == fromFile, "\(fromFile.file)")
        }
    }

    @Test func builtInKeywordWindowsHoldOnTheirExamples() {
        // Start-up trusts the built-in rules' windows (`RuleSet(builtIn:)`): this is their check.
        for rule in Self.rules.rules where rule.keywordWindow != nil {
            #expect(KeywordWindow.violation(of: rule) == nil, "\(rule.file): \(KeywordWindow.violation(of: rule) ?? "")")
        }
    }

    /// The same on every rule's examples and counter-examples, each right after a character that
    /// can end the text before it: a match no keyword announces (":PWD=/builds/..." for a rule
    /// whose keywords had no ":pwd=") is missed by the windowed search, which only looks near keywords.
    @Test func builtInKeywordWindowsHoldOnEverySample() {
        let samples = Self.rules.rules.flatMap { $0.examples + $0.counterExamples }
        let texts = [";", ":", "?", "&", "=", "/", "@", "\"", "'", " ", "x", "\n"].map { before in
            samples.map { before + $0 }.joined(separator: "\n")
        }
        for rule in Self.rules.rules where rule.keywordWindow != nil {
            let problem = KeywordWindow.violation(of: rule, in: texts)
            #expect(problem == nil, "\(rule.file): \(problem ?? "")")
        }
    }

    @Test func duplicateRuleIDAcrossFilesIsAnError() throws {
        let text = Self.rules.rules.isEmpty ? "" : """
            [[rule]]
            id = "aws-access-key-id"
            regex = 'x'
            examples = ["x"]
            """
        #expect(throws: RuleSet.LoadError.self) { try RuleSet(builtIn: EmbeddedPatterns.rules, files: [(name: "dup.toml", text: text)]) }
    }
}
