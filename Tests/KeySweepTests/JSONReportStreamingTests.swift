import Foundation
import Testing
@testable import KeySweep

/// The JSON report is written a finding at a time (`JSONReport.write`); its bytes must be those
/// of encoding the whole document at once, which is what readers of earlier reports parsed.
@Suite struct JSONReportStreamingTests {
    static func wholeDocument(_ result: ScanResult, _ report: JSONReport) throws -> String {
        var document = report.document(result)
        document.findings = result.findings.map(report.entry)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    @Test func streamedReportIsTheWholeDocumentByteForByte() throws {
        let repo = try GitRepo()
        try repo.commit("keys", ["config.ini": Secrets.credentials(), "notes.txt": "nothing here\n"])
        try repo.commit("more", ["app.env": "GITHUB_TOKEN=\(Secrets.githubToken)\n", "old.ini": Secrets.credentials(Secrets.keyID2, Secrets.secretKey2)])
        try repo.commit("gone", ["config.ini": "[default]\n"])
        let result = try HoldLimitsTests.scan([repo.path]) { _ in }
        #expect(result.findings.count >= 3)
        for options in [ReportOptions(), { var o = ReportOptions(); o.redact = true; return o }()] {
            let report = JSONReport(options: options)
            let streamed = try report.render(result)
            #expect(streamed == (try Self.wholeDocument(result, report)))
            var pieces = 0
            try report.write(result) { _ in pieces += 1 }
            #expect(pieces == result.findings.count + 2)
        }
    }

    @Test func reportWithoutFindingsIsTheWholeDocument() throws {
        let dir = TempDirectory()
        dir.write("clean.txt", "no secret\n")
        let result = try HoldLimitsTests.scan([dir.path]) { _ in }
        #expect(result.findings.isEmpty)
        let report = JSONReport(options: ReportOptions())
        #expect(try report.render(result) == (try Self.wholeDocument(result, report)))
    }
}
