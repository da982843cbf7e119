import Foundation

/// The JSON report (`--format json`), in the stable shape documented in README.md.
public struct JSONReport {
    public let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    struct Document: Codable {
        var version = 1
        var tool: Tool
        var targets: [String]
        var stats: ScanStats
        var findings: [FindingEntry]
    }

    struct Tool: Codable { var name: String; var version: String }

    struct FindingEntry: Codable {
        var id: String
        var rule: String
        var description: String
        var secret: String
        var confidence: Confidence
        var placeholder: Bool
        var aws: AWSEntry?
        var first: FirstEntry
        var occurrences: [OccurrenceEntry]
        var inHead: Bool
        /// True when every occurrence is in an object no reference reaches (`--all-objects`).
        var unreachableOnly: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case id, rule, description, secret, confidence, placeholder, aws, first, occurrences
            case inHead = "in_head"
            case unreachableOnly = "unreachable_only"
        }
    }

    struct AWSEntry: Codable {
        var keyType: String
        var account: String?
        var pairedSecret: String?
        var pairedToken: String?
        var expiration: String?
        var leaked: String
        var canary: Bool

        enum CodingKeys: String, CodingKey {
            case keyType = "key_type", account
            case pairedSecret = "paired_secret"
            case pairedToken = "paired_token"
            case expiration, leaked, canary
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(keyType, forKey: .keyType)
            try c.encode(account, forKey: .account)       // null, not absent, for old-generation ids
            try c.encode(pairedSecret, forKey: .pairedSecret)
            try c.encode(pairedToken, forKey: .pairedToken)
            try c.encode(expiration, forKey: .expiration)
            try c.encode(leaked, forKey: .leaked)
            try c.encode(canary, forKey: .canary)
        }

        init(_ credential: AWSCredential) {
            keyType = credential.keyID.keyType.rawValue
            account = credential.keyID.account
            pairedSecret = credential.pairing?.secret.map {
                Fingerprint.findingID(rule: AWSCredentialDetector.secretRuleID, secret: $0)
            }
            pairedToken = credential.pairing?.token.map {
                Fingerprint.findingID(rule: AWSCredentialDetector.tokenRuleID, secret: $0)
            }
            expiration = credential.pairing?.expiration
            leaked = credential.completeness
            canary = credential.isCanary
        }
    }

    struct FirstEntry: Codable {
        var commit: String?
        var path: String
        var line: Int
        var author: String?
        var date: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(author, forKey: .author)
            try c.encode(date, forKey: .date)
        }
    }

    struct OccurrenceEntry: Codable {
        var commit: String?
        var path: String
        var line: Int
        var blob: String?
        var decoding: String?
        /// True for a commit or blob no reference reaches (`--all-objects`); absent otherwise.
        var unreachable: Bool? = nil

        enum CodingKeys: String, CodingKey { case commit, path, line, blob, decoding, unreachable }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(commit, forKey: .commit)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(blob, forKey: .blob)
            try c.encodeIfPresent(decoding, forKey: .decoding)
            try c.encodeIfPresent(unreachable, forKey: .unreachable)
        }
    }

    func document(_ result: ScanResult) -> Document {
        Document(tool: Tool(name: "keysweep", version: options.toolVersion),
                 targets: result.targets,
                 stats: result.stats,
                 findings: result.findings.map(entry))
    }

    func entry(_ finding: Finding) -> FindingEntry {
        let first = finding.first
        return FindingEntry(
            id: finding.id,
            rule: finding.rule.id,
            description: finding.rule.description,
            secret: options.show(finding.secret),
            confidence: finding.confidence,
            placeholder: finding.isPlaceholder,
            aws: AWSCredential(finding).map(AWSEntry.init),
            first: FirstEntry(commit: first.commit?.id, path: first.path, line: first.line,
                              author: first.commit?.author, date: first.commit?.date),
            occurrences: finding.occurrences.map {
                OccurrenceEntry(commit: $0.commit?.id, path: $0.path, line: $0.line, blob: $0.blob, decoding: $0.decoding,
                                unreachable: $0.isUnreachable ? true : nil)
            },
            inHead: finding.inHead,
            unreachableOnly: finding.occurrences.allSatisfy(\.isUnreachable) ? true : nil)
    }

    public func render(_ result: ScanResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document(result)), as: UTF8.self) + "\n"
    }
}


