import Foundation

/// The JSON report (`--format json`), in the stable shape documented in README.md.
public struct JSONReport {
    public let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    struct Document: Encodable {
        var version = 1
        var tool: Tool
        var targets: [String]
        var stats: ScanStats
        var findings: [FindingEntry]
    }

    struct Tool: Encodable { var name: String; var version: String }

    struct FindingEntry: Encodable {
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

    struct AWSEntry: Encodable {
        var keyType: String
        /// null, not absent, for old-generation ids.
        @JSONNullable var account: String?
        @JSONNullable var pairedSecret: String?
        @JSONNullable var pairedToken: String?
        @JSONNullable var expiration: String?
        var leaked: String
        var canary: Bool

        enum CodingKeys: String, CodingKey {
            case keyType = "key_type", account
            case pairedSecret = "paired_secret"
            case pairedToken = "paired_token"
            case expiration, leaked, canary
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

    struct FirstEntry: Encodable {
        @JSONNullable var commit: String?
        var path: String
        var line: Int
        @JSONNullable var author: String?
        @JSONNullable var date: String?
    }

    struct OccurrenceEntry: Encodable {
        @JSONNullable var commit: String?
        var path: String
        var line: Int
        @JSONNullable var blob: String?
        var decoding: String?
        /// True for a commit or blob no reference reaches (`--all-objects`); absent otherwise.
        var unreachable: Bool? = nil

        enum CodingKeys: String, CodingKey { case commit, path, line, blob, decoding, unreachable }
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


