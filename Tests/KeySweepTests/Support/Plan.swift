import Foundation
@testable import KeySweep

/// The JSON remediation plan, decoded independently of the library's own types.
struct Plan: Decodable {
    struct CommitRef: Decodable { var commit: String; var author: String?; var date: String?; var path: String?; var line: Int? }
    struct Exposure: Decodable {
        var first: CommitRef?
        var first_path: String
        var first_line: Int
        var exposed_since: String?
        var commits: Int
        var paths: [String]
        var ref_tips: [String]?
        var in_head: Bool
        var removed_by: CommitRef?
        var default_branch: String?
    }
    struct Verification: Decodable {
        var verdict: String
        var arn: String?; var account: String?; var user_id: String?
        var principal_type: String?; var principal_name: String?; var session_name: String?
        var code: String?; var reason: String?; var checked_at: String?; var endpoint: String?
        var candidates_tried: Int?
    }
    struct Step: Decodable { var kind: String; var title: String; var detail: String?; var commands: [String] }
    struct Part: Decodable { var role: String; var finding: String; var path: String; var line: Int; var commit: String? }
    struct Row: Decodable {
        var rank: Int
        /// 1 credentials that act, 2 password hashes, 3 encrypted keys, test values, canaries.
        var tier: Int?
        var parts: [Part]?
        var urgency: String
        var provider: String
        var finding: String
        var rule: String
        var key: String
        var type: String
        var aws_key_type: String?
        var account: String?
        var canary: Bool
        var placeholder: Bool
        var leaked: String?
        var complete: Bool
        var secret_finding: String?
        var secret_candidates: [String]?
        var token_finding: String?
        var exposure: Exposure
        var verification: Verification?
        var steps: [Step]

        var commands: [String] { steps.flatMap(\.commands) }
    }
    var version: Int
    var generated: String
    var targets: [String]
    var verified: Bool
    var sts_endpoint: String?
    var refs_checked: Bool
    var rows: [Row]

    func row(_ key: String) -> Row? { rows.first { $0.key == key } }

    static func load(_ path: String) throws -> Plan {
        guard let data = FileManager.default.contents(atPath: path) else { throw TestFailure("no plan at \(path)") }
        do { return try JSONDecoder().decode(Plan.self, from: data) } catch {
            throw TestFailure("plan does not decode: \(error)\n\(String(decoding: data, as: UTF8.self))")
        }
    }
}

/// Made-up but well-formed AWS credentials for verification tests.
enum FakeAWS {
    static let idAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// An id whose account part decodes (fifth character not I/J) and that no check rejects,
    /// nor the placeholder test (a random id holding TEST, about 1 in 2,400, was a placeholder
    /// and failed a fresh-clone CI's plan test).
    static func keyID(prefix: String = "AKIA") -> String {
        var generator = SystemRandomNumberGenerator()
        while true {
            let id = prefix + "Q" + String((0..<15).map { _ in idAlphabet.randomElement(using: &generator)! })
            if Set(id.dropFirst(4)).count > 8 && !Placeholder.isPlaceholder(id) { return id }
        }
    }

    /// A 40-character secret with both cases, digits, and high entropy.
    static func secret() -> String {
        while true {
            let s = String((0..<40).map { _ in secretAlphabet.randomElement()! })
            if s.contains(where: \.isLowercase) && s.contains(where: \.isUppercase) && s.contains(where: \.isNumber)
                && Set(s).count >= 26 && !Placeholder.isPlaceholder(s) { return s }
        }
    }

    static func credentials(_ id: String, _ secret: String, token: String? = nil) -> String {
        var text = "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n"
        if let token { text += "aws_session_token = \(token)\n" }
        return text
    }

    /// A session-token rule for --patterns when the built-in rules have none yet.
    static func sessionTokenPatterns() throws -> [String] {
        let rules = try Keysweep.run(["rules"]).stdout
        if rules.split(separator: "\n").contains(where: { $0.hasPrefix("aws-session-token\t") }) { return [] }
        let dir = TempDirectory.persistent("keysweep-token-rule")
        dir.write("token.toml", """
        [[rule]]
        id = "aws-session-token"
        description = "AWS session token"
        regex = '''(?<![A-Za-z0-9+/])(?<secret>(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz|FQoGZXIvYXdz|AQoDYXdz)[A-Za-z0-9+/]{100,}={0,2})'''
        keywords = ["iqojb3jpz2lux2vj", "fwogzxivyxdz", "fqogzxivyxdz", "aqodyxdz"]
        entropy = 0
        confidence = "high"
        examples = ["aws_session_token = FQoGZXIvYXdzEBYaDFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFakeFake"]
        """)
        return ["--patterns", dir.path]
    }
}

extension TempDirectory {
    /// A directory kept for the life of the test process (its value may be released early).
    static func persistent(_ label: String) -> (path: String, write: (String, String) -> Void) {
        let path = FileManager.default.temporaryDirectory.path + "/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return (path, { name, text in try! Data(text.utf8).write(to: URL(fileURLWithPath: path + "/" + name)) })
    }
}
