import Foundation
import Testing

/// The flags are defined once (swift-argument-parser); the README's option table, the man page
/// and the shell completions are checked against the built binary's own help.
@Suite struct DocsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func read(_ relative: String) throws -> String {
        try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    /// The long flags a command's `--help` lists.
    static func flags(_ command: [String]) throws -> Set<String> {
        let help = try Keysweep.run(command + ["--help"]).stdout
        var flags: Set<String> = []
        for line in help.split(separator: "\n") where line.hasPrefix("  -") {
            if let range = line.range(of: #"--[a-z][a-z-]*"#, options: .regularExpression) { flags.insert(String(line[range])) }
        }
        return flags
    }

    @Test func readmeOptionTableListsExactlyTheFlagsOfScanHelp() throws {
        let readme = try Self.read("README.md")
        let usage = try #require(readme.range(of: "## Usage"))
        let end = try #require(readme.range(of: "### Exit status", range: usage.upperBound..<readme.endIndex))
        var documented: Set<String> = []
        for line in readme[usage.upperBound..<end.lowerBound].split(separator: "\n") where line.hasPrefix("| `-") {
            let cell = line.split(separator: "|")[0]
            var rest = cell[...]
            while let range = rest.range(of: #"--[a-z][a-z-]*"#, options: .regularExpression) {
                documented.insert(String(rest[range]))
                rest = rest[range.upperBound...]
            }
        }
        let scan = try Self.flags(["scan"])
        #expect(scan.subtracting(documented).isEmpty, "in scan --help, not in the README: \(scan.subtracting(documented).sorted())")
        #expect(documented.subtracting(scan).isEmpty, "in the README, not in scan --help: \(documented.subtracting(scan).sorted())")
    }

    @Test func manPageHasEveryFlagOfEveryCommand() throws {
        let man = try Self.read("docs/man/keysweep.1")
        for command in [["scan"], ["merge"], ["rules"], ["remediate"], ["show"], ["contain"], ["aws-snapshot"], ["ignore"], ["install-hook"]] {
            for flag in try Self.flags(command) where flag != "--help" && flag != "--version" {
                let name = flag.dropFirst(2)
                // `.It Fl -name` or, with a short name, `.It Fl o , -name`.
                #expect(man.contains("Fl -\(name) ") || man.contains("Fl -\(name)\n") || man.contains(", -\(name) ") || man.contains(", -\(name)\n"), "docs/man/keysweep.1 lacks \(command[0]) \(flag): run scripts/generate-docs.sh")
            }
        }
    }

    @Test func shellCompletionsAreThoseTheBinaryGenerates() throws {
        for (shell, file) in [("bash", "keysweep.bash"), ("zsh", "_keysweep"), ("fish", "keysweep.fish")] {
            let generated = try Keysweep.run(["--generate-completion-script", shell]).stdout
            #expect(generated == (try Self.read("docs/completions/\(file)")), "docs/completions/\(file) is stale: run scripts/generate-docs.sh")
        }
    }
}
