import Foundation
import KeySweepRuleFile

/// The JSON report (`--format json`), in the stable shape documented in README.md. It is an
/// output format of `ScanResult`, and reading one back (`ScanResult(jsonReport:name:)`, in
/// JSONReportReading.swift) yields that same model.
public struct JSONReport {
    let options: ReportOptions

    public init(options: ReportOptions) { self.options = options }

    struct Document: Encodable {
        var version = 1
        var tool: Tool
        /// The digest of the rule set (`RuleSet.fingerprint`): `merge` refuses reports of different rules.
        var rules: String?
        var targets: [String]
        /// A shard's report: which share (`--shard`).
        var shard: ShardRecord?
        /// A merged report: the reports it was made of.
        var merged: [MergedReport]?
        var stats: ScanStats
        /// Nil when the findings are written one at a time (`write(_:to:)`).
        var findings: [FindingEntry]?
    }

    struct Tool: Codable { var name: String; var version: String }

    struct FindingEntry: Encodable {
        var id: String
        var rule: String
        var description: String
        /// Who issued it (`provider` of the rule file).
        var provider: String
        /// The provider steps the plan gives it (the rule's `playbook`); absent: the generic ones.
        var playbook: String? = nil
        /// `hash` for a password hash (the rule's `kind`); absent for a credential.
        var kind: String? = nil
        /// True for a private key encrypted with a passphrase (`PrivateKeyEncryption`); absent otherwise.
        var encrypted: Bool? = nil
        var secret: String
        /// For a secret longer than `CutSecret.limit`: `secret` is its held text (start, length,
        /// SHA-256), this is true and `secretLength` its length in characters; absent otherwise.
        var secretTruncated: Bool? = nil
        var secretLength: Int? = nil
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
        /// For findings in git history: per repository, the ref tips holding it and the commit
        /// that removed it from the default branch; absent otherwise.
        var refs: [RefsEntry]? = nil
        /// Occurrences past `HoldLimits.occurrencesPerFinding` (the listed ones are the earliest); absent when none.
        var occurrencesOmitted: Int? = nil
        /// What `--verify` found (the credential's STS answer); absent without `--verify`.
        var verification: VerificationResult? = nil
        /// What the credential can do (`--blast-radius`); absent without it.
        var blastRadius: BlastRadiusReport? = nil
        /// Keys this keysweep does not model, read from a report and written back as they were.
        var carried: [String: ReportValue] = [:]

        enum CodingKeys: String, CodingKey {
            case id, rule, description, provider, playbook, kind, encrypted, secret, confidence, placeholder, aws, pairing, first, occurrences, refs, verification
            case inHead = "in_head"
            case unreachableOnly = "unreachable_only"
            case occurrencesOmitted = "occurrences_omitted"
            case secretTruncated = "secret_truncated"
            case secretLength = "secret_length"
            case blastRadius = "blast_radius"
        }
    }

    struct RefsEntry: Encodable {
        var repository: String
        var tips: [String]
        @JSONNullable var defaultBranch: String?
        @JSONNullable var removedBy: CommitEntry?

        enum CodingKeys: String, CodingKey {
            case repository, tips
            case defaultBranch = "default_branch"
            case removedBy = "removed_by"
        }
    }

    struct CommitEntry: Codable {
        var commit: String
        var author: String
        var date: String
        /// Position in its repository's topological walk (`merge` keeps the newest removing commit).
        var order: Int?
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
        /// Role → the finding ids of the values the text leaves in doubt (`how`: `ambiguous`).
        var candidates: [String: [String]]?

        /// `cutIDs`: the finding ids of secrets held cut, by rule id and held text (a cut
        /// value's id is not a digest of its held text).
        init?(_ finding: Finding, cutIDs: [String: String] = [:]) {
            guard let pairing = finding.pairing else { return nil }
            func id(_ rule: String, _ value: String) -> String {
                cutIDs[rule + "\u{0}" + value] ?? Fingerprint.findingID(rule: rule, secret: value)
            }
            how = pairing.how.rawValue
            var parts: [String: String] = [:]
            var attributes: [String: String] = [:]
            for part in finding.rule.pairs {
                guard let value = pairing[part.role] else { continue }
                if let rule = part.rule { parts[part.role] = id(rule, value) } else { attributes[part.role] = value }
            }
            self.parts = parts
            self.attributes = attributes.isEmpty ? nil : attributes
            var candidates: [String: [String]] = [:]
            for part in finding.rule.pairs {
                guard let rule = part.rule, let values = pairing.candidates[part.role] else { continue }
                candidates[part.role] = values.map { id(rule, $0) }
            }
            self.candidates = candidates.isEmpty ? nil : candidates
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
        /// The commit's author (`Name <email>`) and date (absent outside git content), and its position in its repository's topological walk
        /// (parents first): `merge` orders occurrences from several reports by them.
        var author: String? = nil
        var date: String? = nil
        var order: Int? = nil
        var path: String
        var line: Int
        @JSONNullable var blob: String?
        var decoding: String?
        /// True for a commit or blob no reference reaches (`--all-objects`); absent otherwise.
        var unreachable: Bool? = nil
        /// True for a work tree file not committed as it is (untracked or modified); absent otherwise.
        var worktree: Bool? = nil
        /// The target it was found in (a path, or a remote's URL); absent for standard input.
        var target: String? = nil
        /// For a remote target: its kind, web page, owner and visibility.
        var remote: RemoteEntry? = nil
        /// A web link to the line as of the commit (GitHub blob permalink, gist revision file anchor).
        var permalink: String? = nil
        /// For a gist: the revision's page.
        var revision: String? = nil

        enum CodingKeys: String, CodingKey { case commit, author, date, order, path, line, blob, decoding, unreachable, worktree, target, remote, permalink, revision }

        init(_ occurrence: Occurrence) {
            commit = occurrence.commit?.id
            author = occurrence.commit?.author
            date = occurrence.commit?.date
            order = occurrence.commit?.order
            path = occurrence.path
            line = occurrence.line
            blob = occurrence.blob
            decoding = occurrence.decoding
            unreachable = occurrence.isUnreachable ? true : nil
            worktree = occurrence.isWorkTree ? true : nil
            guard let origin = occurrence.origin else { return }
            target = origin.target
            if origin.kind != .local {
                remote = RemoteEntry(kind: origin.kind.rawValue, web: origin.web, owner: origin.owner, visibility: origin.visibility)
            }
            permalink = occurrence.permalink
            revision = occurrence.commit.flatMap { origin.revision($0.id) }
        }

        init(commit: String?, author: String?, date: String?, order: Int?, path: String, line: Int, blob: String?, decoding: String?,
             unreachable: Bool?, worktree: Bool?, target: String?, remote: RemoteEntry?, permalink: String?, revision: String?) {
            self.commit = commit
            self.author = author
            self.date = date
            self.order = order
            self.path = path
            self.line = line
            self.blob = blob
            self.decoding = decoding
            self.unreachable = unreachable
            self.worktree = worktree
            self.target = target
            self.remote = remote
            self.permalink = permalink
            self.revision = revision
        }

        /// The occurrence's `Origin`, shared by every occurrence of one target (`origins`).
        func origin(_ origins: inout [String: Origin]) -> Origin? {
            guard let target else { return nil }
            if let known = origins[target] { return known }
            let origin = Origin(kind: remote.flatMap { Origin.Kind(rawValue: $0.kind) } ?? .local, target: target,
                                web: remote?.web, owner: remote?.owner, visibility: remote?.visibility)
            origins[target] = origin
            return origin
        }
    }

    struct RemoteEntry: Codable {
        /// `repository` or `gist`.
        var kind: String
        var web: String?
        var owner: String?
        /// `public`, `private`, `secret` (a gist), when known.
        var visibility: String?
    }

    func document(_ result: ScanResult) -> Document {
        Document(tool: Tool(name: "keysweep", version: result.toolVersion),
                 rules: result.ruleSet.isEmpty ? nil : result.ruleSet,
                 targets: result.targets,
                 shard: result.shard,
                 merged: result.merged.isEmpty ? nil : result.merged,
                 stats: result.stats,
                 findings: nil)
    }

    func entry(_ finding: Finding) -> FindingEntry { entry(finding, cutIDs: [:]) }

    func entry(_ finding: Finding, cutIDs: [String: String]) -> FindingEntry {
        let first = finding.first
        let pairing = PairingEntry(finding, cutIDs: cutIDs)
        return FindingEntry(
            id: finding.id,
            rule: finding.rule.id,
            description: finding.rule.description,
            provider: finding.rule.provider,
            playbook: finding.rule.playbook,
            kind: finding.rule.kind == RuleKinds.credential ? nil : finding.rule.kind,
            encrypted: finding.isEncryptedKey ? true : nil,
            secret: options.show(finding),
            secretTruncated: finding.secretCut.map { _ in true },
            secretLength: finding.secretCut?.characters,
            confidence: finding.confidence,
            placeholder: finding.isPlaceholder,
            aws: AWSCredential(finding).map { AWSEntry($0, pairing: pairing) },
            pairing: pairing,
            first: FirstEntry(commit: first.commit?.id, path: first.path, line: first.line,
                              author: first.commit?.author, date: first.commit?.date),
            occurrences: finding.occurrences.map(OccurrenceEntry.init),
            inHead: finding.inHead,
            unreachableOnly: finding.occurrences.allSatisfy(\.isUnreachable) ? true : nil,
            refs: finding.refs.isEmpty ? nil : finding.refs.map {
                RefsEntry(repository: $0.repository, tips: $0.tips, defaultBranch: $0.defaultBranch,
                          removedBy: $0.removedBy.map { CommitEntry(commit: $0.id, author: $0.author, date: $0.date, order: $0.order) })
            },
            occurrencesOmitted: finding.omittedOccurrences > 0 ? finding.omittedOccurrences : nil,
            verification: finding.verification,
            blastRadius: finding.blastRadius,
            carried: finding.carried)
    }

    public func render(_ result: ScanResult) throws -> String {
        var bytes: [UInt8] = []
        try write(result) { bytes += $0 }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Writes the report to `sink` a piece at a time: each finding is encoded on its own, so a
    /// merged report of millions of occurrences never exists whole in memory (encoding the whole
    /// document at once peaked at 5.8 GB for 100 reports of 10,000 findings). The bytes are those
    /// of one `JSONEncoder` run over the whole document: keys sorted (`findings` comes first),
    /// two spaces per level.
    public func write(_ result: ScanResult, to sink: ([UInt8]) throws -> Void) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var rest = document(result)
        guard !result.findings.isEmpty else {
            rest.findings = []
            try sink(Array(try encoder.encode(rest)) + [0x0A])
            return
        }
        var cutIDs: [String: String] = [:]
        for finding in result.findings where finding.secretCut != nil { cutIDs[finding.rule.id + "\u{0}" + finding.secret] = finding.id }
        try sink(Array("{\n  \"findings\" : [\n".utf8))
        for (number, finding) in result.findings.enumerated() {
            var piece: [UInt8] = number == 0 ? [] : Array(",\n".utf8)
            JSONReport.indent(Array(try encoder.encode(entry(finding, cutIDs: cutIDs))), by: 4, into: &piece)
            try sink(piece)
        }
        // The other keys, after `findings`: the document without it, less its opening brace.
        let tail = Array(try encoder.encode(rest))
        guard tail.starts(with: Array("{\n".utf8)) else { throw EncodingError.invalidValue(rest, .init(codingPath: [], debugDescription: "unexpected JSON layout")) }
        try sink(Array("\n  ],\n".utf8) + tail.dropFirst(2) + [0x0A])
    }

    /// `json` with `spaces` spaces before each of its lines: a value nested that deep. Empty
    /// lines (inside an empty array) stay empty, as the encoder writes them.
    private static func indent(_ json: [UInt8], by spaces: Int, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + json.count + json.count / 8)
        var lineStart = true
        for byte in json {
            if lineStart && byte != 0x0A { out.append(contentsOf: repeatElement(0x20, count: spaces)) }
            out.append(byte)
            lineStart = byte == 0x0A
        }
    }
}

/// Read back by `ScanResult(jsonReport:name:)` (here, for the wrapped properties); the fields
/// after `key_type` are optional in older reports.
extension JSONReport.AWSEntry: Decodable {
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        keyType = try c.decode(String.self, forKey: .keyType)
        _account = JSONNullable(wrappedValue: try c.decodeIfPresent(String.self, forKey: .account))
        _pairedSecret = JSONNullable(wrappedValue: try c.decodeIfPresent(String.self, forKey: .pairedSecret))
        _pairedToken = JSONNullable(wrappedValue: try c.decodeIfPresent(String.self, forKey: .pairedToken))
        _expiration = JSONNullable(wrappedValue: try c.decodeIfPresent(String.self, forKey: .expiration))
        leaked = try c.decodeIfPresent(String.self, forKey: .leaked) ?? ""
        canary = try c.decodeIfPresent(Bool.self, forKey: .canary) ?? false
    }
}

extension JSONReport.FindingEntry {
    /// The known keys, then the keys carried from a report read back (`carried`), never one of the known.
    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyKey.self)
        func put<T: Encodable>(_ value: T?, _ key: CodingKeys) throws {
            if let value { try c.encode(value, forKey: AnyKey(key.rawValue)) }
        }
        try put(id, .id)
        try put(rule, .rule)
        try put(description, .description)
        try put(provider, .provider)
        try put(playbook, .playbook)
        try put(kind, .kind)
        try put(encrypted, .encrypted)
        try put(secret, .secret)
        try put(secretTruncated, .secretTruncated)
        try put(secretLength, .secretLength)
        try put(confidence, .confidence)
        try put(placeholder, .placeholder)
        try put(aws, .aws)
        try put(pairing, .pairing)
        try put(first, .first)
        try put(occurrences, .occurrences)
        try put(inHead, .inHead)
        try put(unreachableOnly, .unreachableOnly)
        try put(refs, .refs)
        try put(occurrencesOmitted, .occurrencesOmitted)
        try put(verification, .verification)
        try put(blastRadius, .blastRadius)
        for (key, value) in carried where CodingKeys(rawValue: key) == nil { try c.encode(value, forKey: AnyKey(key)) }
    }
}
