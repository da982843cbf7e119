import Foundation

/// The JSON report (`--format json`), in the stable shape documented in README.md.
public struct JSONReport {
    let options: ReportOptions

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
        /// Who issued it (`provider` of the rule file).
        var provider: String
        var secret: String
        var confidence: Confidence
        var placeholder: Bool
        var aws: AWSEntry?
        /// For an id of a credential: the finding ids of the parts paired with it.
        var pairing: PairingEntry?
        var first: FirstEntry
        var occurrences: [OccurrenceEntry]
        var inHead: Bool
        /// True when every occurrence is in an object no reference reaches (`--all-objects`).
        var unreachableOnly: Bool? = nil

        enum CodingKeys: String, CodingKey {
            case id, rule, description, provider, secret, confidence, placeholder, aws, pairing, first, occurrences
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

        public init(_ credential: AWSCredential, pairing: PairingEntry?) {
            keyType = credential.keyID.keyType.rawValue
            account = credential.keyID.account
            pairedSecret = pairing?.parts["secret"]
            pairedToken = pairing?.parts["token"]
            expiration = credential.expiration
            leaked = credential.completeness
            canary = credential.isCanary
        }
    }

    struct PairingEntry: Encodable {
        var how: String
        /// Role → the finding id of the part.
        var parts: [String: String]
        /// Parts that are no finding of their own (an expiry time), as written.
        var attributes: [String: String]?

        public init?(_ finding: Finding) {
            guard let pairing = finding.pairing else { return nil }
            how = pairing.how.rawValue
            var parts: [String: String] = [:]
            var attributes: [String: String] = [:]
            for part in finding.rule.pairs {
                guard let value = pairing[part.role] else { continue }
                if let rule = part.rule { parts[part.role] = Fingerprint.findingID(rule: rule, secret: value) } else { attributes[part.role] = value }
            }
            self.parts = parts
            self.attributes = attributes.isEmpty ? nil : attributes
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
        let pairing = PairingEntry(finding)
        return FindingEntry(
            id: finding.id,
            rule: finding.rule.id,
            description: finding.rule.description,
            provider: finding.rule.provider,
            secret: options.show(finding.secret),
            confidence: finding.confidence,
            placeholder: finding.isPlaceholder,
            aws: AWSCredential(finding).map { AWSEntry($0, pairing: pairing) },
            pairing: pairing,
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


