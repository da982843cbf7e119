import Foundation

/// The SARIF 2.1.0 report (`--format sarif`) for code-scanning services.
///
/// One result per finding: the first occurrence in a file is the primary location and every
/// other occurrence a related location. A SARIF log is uploaded to services and kept as a build
/// artifact, so it never carries a secret in full, with or without `--redact`: messages hold the
/// redacted form (`ghp_…m1IL`; an AWS key id, not secret, whole) and the finding id, which is enough to find it with the JSON report.
public struct SARIFReport {
    let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    struct Log: Encodable {
        var schema = "https://json.schemastore.org/sarif-2.1.0.json"
        var version = "2.1.0"
        var runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        var tool: Tool
        var results: [Result]
        var originalUriBaseIds: [String: ArtifactLocation]?
        var properties: [String: String]?
    }

    struct Tool: Encodable { var driver: Driver }

    struct Driver: Encodable {
        var name = "keysweep"
        var version: String
        var semanticVersion: String
        var rules: [ReportingDescriptor]
    }

    struct ReportingDescriptor: Encodable {
        var id: String
        var name: String
        var shortDescription: Message
        var fullDescription: Message
        var help: Message
        var defaultConfiguration: Configuration
        var properties: RuleProperties
    }

    struct RuleProperties: Encodable {
        var tags: [String]
        var precision: String
        var securitySeverity: String
        enum CodingKeys: String, CodingKey { case tags, precision, securitySeverity = "security-severity" }
    }

    struct Configuration: Encodable { var level: String }

    struct Message: Encodable {
        var text: String
        var markdown: String?
    }

    struct Result: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: Message
        var locations: [Location]
        var relatedLocations: [Location]?
        var partialFingerprints: [String: String]
        var properties: ResultProperties
    }

    struct ResultProperties: Encodable {
        var confidence: String
        var secret: String
        var inHead: Bool
        var firstCommit: String?
        var placeholder: Bool
        /// What `--verify` found (the JSON report's `verification` object); absent without it.
        var verification: VerificationResult?
    }

    struct Location: Encodable {
        var id: Int?
        var physicalLocation: PhysicalLocation?
        var logicalLocations: [LogicalLocation]?
        var message: Message?
    }

    struct PhysicalLocation: Encodable {
        var artifactLocation: ArtifactLocation
        var region: Region
    }

    struct ArtifactLocation: Encodable {
        var uri: String
        var uriBaseId: String?
    }

    struct Region: Encodable { var startLine: Int }

    struct LogicalLocation: Encodable {
        var name: String
        var fullyQualifiedName: String
        var kind: String
    }

    /// SARIF levels by confidence: high is an error, medium a warning, low a note.
    static func level(_ confidence: Confidence) -> String {
        switch confidence {
        case .high: return "error"
        case .medium: return "warning"
        case .low: return "note"
        }
    }

    public func render(_ result: ScanResult) throws -> String {
        var ruleIndex: [String: Int] = [:]
        var descriptors: [ReportingDescriptor] = []
        for finding in result.findings where ruleIndex[finding.rule.id] == nil {
            ruleIndex[finding.rule.id] = descriptors.count
            descriptors.append(descriptor(finding.rule))
        }
        let results = result.findings.map { sarifResult($0, ruleIndex: ruleIndex[$0.rule.id]!) }
        let log = Log(runs: [Run(tool: Tool(driver: Driver(version: options.toolVersion, semanticVersion: options.toolVersion,
                                                               rules: descriptors)),
                                 results: results,
                                 originalUriBaseIds: nil,
                                 properties: nil)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(log), as: UTF8.self) + "\n"
    }

    private func descriptor(_ rule: Rule) -> ReportingDescriptor {
        let help = """
            keysweep found a value matching the rule '\(rule.id)' (\(rule.description)). Treat it as leaked: \
            revoke or rotate it with its issuer, then remove it from the code. Removing it from the latest \
            commit alone is not enough, since the history still holds it. If it is not a secret (a test \
            value, a revoked key), suppress it with `keysweep ignore FINDING_ID --reason "..."` or a \
            `keysweep:allow` comment on its line.
            """
        let severity = rule.confidence == .high ? "8.9" : rule.confidence == .medium ? "6.5" : "3.5"
        return ReportingDescriptor(
            id: rule.id,
            name: SARIFReport.pascalCase(rule.id),
            shortDescription: Message(text: rule.description),
            fullDescription: Message(text: "\(rule.description) (keysweep rule \(rule.id), \(rule.confidence.rawValue) confidence)"),
            help: Message(text: help, markdown: help),
            defaultConfiguration: Configuration(level: SARIFReport.level(rule.confidence)),
            properties: RuleProperties(tags: ["security", "secret", "credentials"],
                                       precision: rule.confidence == .high ? "very-high" : rule.confidence == .medium ? "high" : "medium",
                                       securitySeverity: severity))
    }

    private func sarifResult(_ finding: Finding, ruleIndex: Int) -> Result {
        let shown = Redaction.redact(finding)
        // The primary location: the first occurrence in a file, else the first occurrence.
        let primaryIndex = finding.occurrences.firstIndex { !$0.provenance.isMessage } ?? 0
        var related: [Location] = []
        // Code-scanning services read at most 1000 related locations; the message gives the count.
        for (index, occurrence) in finding.occurrences.enumerated() where index != primaryIndex && related.count < 1000 {
            var relatedLocation = location(occurrence)
            relatedLocation.id = related.count + 1
            related.append(relatedLocation)
        }
        let primary = finding.occurrences[primaryIndex]
        var text = "\(finding.rule.description) \(shown) (finding \(finding.id))"
        if let commit = primary.commit { text += " introduced in commit \(commit.id.prefix(12)) by \(commit.author) on \(commit.date)" }
        if finding.occurrences.count > 1 { text += "; seen \(finding.occurrences.count) times" }
        text += finding.inHead ? "; still in HEAD" : (primary.commit != nil ? "; no longer in HEAD but still in history" : "")
        if let v = finding.verification { text += "; verified \(v.state)" + (v.arn.map { " as \($0)" } ?? "") + (v.checkedAt.map { " at \($0)" } ?? "") }
        text += "."
        // A live credential is an error whatever the rule's confidence.
        let level = finding.verification?.verdict == .live ? "error" : SARIFReport.level(finding.confidence)
        return Result(ruleId: finding.rule.id,
                      ruleIndex: ruleIndex,
                      level: level,
                      message: Message(text: text),
                      locations: [location(primary)],
                      relatedLocations: related.isEmpty ? nil : related,
                      partialFingerprints: ["keysweepFinding/v1": finding.id],
                      properties: ResultProperties(confidence: finding.confidence.rawValue, secret: shown,
                                                   inHead: finding.inHead, firstCommit: finding.first.commit?.id,
                                                   placeholder: finding.isPlaceholder, verification: finding.verification))
    }

    private func location(_ occurrence: Occurrence) -> Location {
        var note = occurrence.commit.map { "commit \($0.id)" } ?? occurrence.path
        if let decoding = occurrence.decoding { note += " (after \(decoding) decoding)" }
        if let origin = occurrence.origin, origin.kind != .local { note += " in \(origin.target)" }
        if let link = occurrence.permalink { note += ": \(link)" }
        if occurrence.provenance == .commitMessage {
            let commit = occurrence.commit?.id ?? "unknown"
            return Location(logicalLocations: [LogicalLocation(name: "commit message", fullyQualifiedName: "commit/\(commit)/message",
                                                               kind: "object")],
                            message: Message(text: "line \(occurrence.line) of the message of commit \(commit)"
                                             + (occurrence.permalink.map { ": \($0)" } ?? "")))
        }
        if case .tagMessage(let name) = occurrence.provenance {
            let tag = occurrence.commit?.id ?? "unknown"
            return Location(logicalLocations: [LogicalLocation(name: "tag message", fullyQualifiedName: "tag/\(tag)/message",
                                                               kind: "object")],
                            message: Message(text: "line \(occurrence.line) of the message of tag \(name) (\(tag))"))
        }
        return Location(physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: SARIFReport.uri(occurrence.path),
                                                                                               uriBaseId: occurrence.commit != nil ? "%SRCROOT%" : nil),
                                                           region: Region(startLine: max(1, occurrence.line))),
                        message: Message(text: note))
    }

    /// A path as a URI reference: each segment percent-encoded, `/` kept.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/!$&'()*+,;=:@")
        let ascii = CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128))
        return path.addingPercentEncoding(withAllowedCharacters: allowed.intersection(ascii)) ?? path
    }

    static func pascalCase(_ id: String) -> String {
        id.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
