import Foundation
import Testing

/// The plan (Markdown, `--remediation FILE` and `keysweep remediate` on a terminal) shows the
/// control characters of author names and paths as escapes, as the text report does: they
/// printed raw (`ESC[2J` cleared the screen) and a newline in a path forged lines of the plan.
@Suite struct PlanEscapingTests {
    static let author = "Mal\u{07}lory \u{1B}[2J\u{1B}]0;pwned"
    static let path = "evil\u{1B}[31m\n| # | a |\n|---|---|\n| 99 | **live** | forged |\n.env"

    static func expectClean(_ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains("\u{1B}"), "\(what) holds a raw ESC", sourceLocation: sourceLocation)
        #expect(!text.contains("\u{07}"), "\(what) holds a raw BEL", sourceLocation: sourceLocation)
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("| 99 |") || $0.hasPrefix("| 98 |") },
                "\(what) has a forged row:\n\(text)", sourceLocation: sourceLocation)
    }

    @Test func planRemediateTextAndAnnotationsEscapeControlCharacters() throws {
        let repo = try GitRepo()
        repo.authorName = Self.author
        try repo.commit("add", [Self.path: Secrets.credentials()])
        let dir = TempDirectory()
        let scan = try Keysweep.run(["scan", repo.path, "--format", "json", "-o", dir.file("r.json"), "--remediation", dir.file("plan.md")])
        #expect(scan.status == 1, "\(scan.stderr)")
        let plan = try String(contentsOfFile: dir.file("plan.md"), encoding: .utf8)
        Self.expectClean(plan, "the plan")
        #expect(plan.contains("evil\\e[31m\\n| # | a |"), "\(plan)")
        #expect(plan.contains("Mal\\x07lory \\e[2J\\e]0;pwned"), "\(plan)")

        let remediate = try Keysweep.run(["remediate", dir.file("r.json")])
        #expect(remediate.status == 1, "\(remediate.stderr)")
        Self.expectClean(remediate.stdout, "remediate's plan")
        #expect(remediate.stdout.contains("evil\\e[31m\\n"))

        // A report can hold a newline anywhere (an author's name): it forges no row of the table.
        var report = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.file("r.json")))) as? [String: Any])
        var findings = report["findings"] as! [[String: Any]]
        for index in findings.indices {
            var occurrences = findings[index]["occurrences"] as! [[String: Any]]
            for o in occurrences.indices { occurrences[o]["author"] = "Eve\n| 98 | **live** | forged | \u{1B}[2J <eve@example.org>" }
            findings[index]["occurrences"] = occurrences
            var first = findings[index]["first"] as! [String: Any]
            first["author"] = "Eve\n| 98 | **live** | forged | \u{1B}[2J <eve@example.org>"
            findings[index]["first"] = first
        }
        report["findings"] = findings
        try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: dir.file("edited.json")))
        let edited = try Keysweep.run(["remediate", dir.file("edited.json")])
        #expect(edited.status == 1, "\(edited.stderr)")
        Self.expectClean(edited.stdout, "the plan of an edited report")
        #expect(edited.stdout.contains("Eve\\n\\| 98"), "\(edited.stdout)")

        // The text report and the GitHub annotations escaped them already; they still do.
        let text = try Keysweep.run(["scan", repo.path])
        Self.expectClean(text.stdout + text.stderr, "the text report")
        let github = try Keysweep.run(["scan", repo.path, "--format", "github"])
        Self.expectClean(github.stdout, "the annotations")
        #expect(github.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("::") || $0.hasPrefix("keysweep: ") }, "\(github.stdout)")
    }
}
