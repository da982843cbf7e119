import Foundation
import Testing

/// When several rules report one secret, the finding that stays lists every place the secret
/// was seen, the places only a replaced rule saw included.
@Suite struct ReplacedRuleOccurrencesTests {
    @Test func placesOnlyTheReplacedRuleSawStayInTheFinding() throws {
        let dir = TempDirectory("keysweep-replaced")
        let token = "5f1c9a07e23b84d6c0a9e71b38f24d5a6c0e9b17"
        // Named by its provider: particle-access-token (and the hex bearer rule nowhere here).
        try "PARTICLE_ACCESS_TOKEN=\(token)\n".write(toFile: dir.file("a.env"), atomically: true, encoding: .utf8)
        // Only in an Authorization header: the fallback http-bearer-token-hex alone sees it.
        try "curl -H \"Authorization: Bearer \(token)\" https://api.acme.io/v1/me\n"
            .write(toFile: dir.file("b.sh"), atomically: true, encoding: .utf8)
        let (_, report) = try Keysweep.scanJSON([dir.path])
        let found = report.findings.filter { $0.secret == token }
        #expect(found.map(\.rule) == ["particle-access-token"])
        #expect(Set(found.flatMap(\.occurrences).map { URL(fileURLWithPath: $0.path).lastPathComponent }) == ["a.env", "b.sh"])
    }
}
