import Foundation
import KeySweepRuleFile

/// Why a JSON report cannot be read; the message is one line naming the file.
public struct ReportError: Error, CustomStringConvertible {
    public let description: String
}

extension ScanResult {
    /// The JSON report version this keysweep writes and reads.
    static let jsonReportVersion = 1

    /// Reads a JSON report file (`scan --format json`) back into the model the scan returned.
    /// Throws `ReportError` (one line naming the file) for a missing or unusable file.
    public static func load(jsonReportAt path: String) throws -> ScanResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ReportError(description: "\(path): no such file or directory")
        }
        guard !isDirectory.boolValue else { throw ReportError(description: "\(path): is a directory, not a JSON report") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ReportError(description: "\(path): cannot read the file")
        }
        return try ScanResult(jsonReport: data, name: path)
    }

    /// The scan result a JSON report holds; `name` is used in error messages. Rules are taken
    /// as the report names them (id, description, provider, confidence), whether the current
    /// rule set knows them or not. What version 1 reports do not carry is left empty: warnings,
    /// the topological order of commits (0), the author and date of commits that introduced no
    /// finding first, ref facts in reports written before keysweep recorded them.
    init(jsonReport data: Data, name: String) throws {
        // One parse when the report is sound; the slower look at what is wrong only when not.
        let document: JSONReport.Document
        do {
            document = try JSONDecoder().decode(JSONReport.Document.self, from: data)
        } catch {
            throw Self.diagnose(data, name: name, error: error)
        }
        guard document.version == Self.jsonReportVersion else {
            throw ReportError(description: "\(name): report version \(document.version) is not supported (this keysweep reads version \(Self.jsonReportVersion))")
        }
        guard let findings = document.findings else {
            throw ReportError(description: "\(name): not a keysweep JSON report (no \"findings\")")
        }
        try ReportRanges.check(document, name: name)
        self.init(targets: document.targets, stats: document.stats, findings: JSONReport.findings(findings), warnings: [])
        ruleSet = document.rules ?? ""
        toolVersion = document.tool.version
        shard = document.shard
        merged = document.merged ?? []
    }

    /// Why `data` is not a report this keysweep reads, in the order a person would check.
    private static func diagnose(_ data: Data, name: String, error: Error) -> ReportError {
        guard let object = try? JSONSerialization.jsonObject(with: data) else {
            if data.first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) == UInt8(ascii: "{") {
                return ReportError(description: "\(name): truncated or malformed JSON (\(data.count) bytes; not a complete keysweep report)")
            }
            return ReportError(description: "\(name): not a JSON object (expected a keysweep report from scan --format json)")
        }
        guard let top = object as? [String: Any] else {
            return ReportError(description: "\(name): not a JSON object (expected a keysweep report from scan --format json)")
        }
        guard let version = top["version"] as? Int, top["findings"] != nil else {
            return ReportError(description: "\(name): not a keysweep JSON report (no version or findings; make one with scan --format json)")
        }
        guard version == Self.jsonReportVersion else {
            return ReportError(description: "\(name): report version \(version) is not supported (this keysweep reads version \(Self.jsonReportVersion))")
        }
        switch error {
        case let DecodingError.keyNotFound(key, context):
            return ReportError(description: "\(name): malformed report: \(Self.where(context))missing '\(key.stringValue)'")
        case let DecodingError.typeMismatch(_, context):
            return ReportError(description: "\(name): malformed report: wrong type at \(Self.where(context, trailing: false))")
        case let DecodingError.valueNotFound(_, context):
            return ReportError(description: "\(name): malformed report: null at \(Self.where(context, trailing: false))")
        case let DecodingError.dataCorrupted(context) where !context.codingPath.isEmpty:
            return ReportError(description: "\(name): malformed report: \(Self.where(context, trailing: false)) is out of range or of no known form")
        case DecodingError.dataCorrupted:
            // Foundation's decoder names no field for a number no Int holds (9.3e18, 1e300, 1.5
            // where a count is); find it.
            if let field = Self.fractionalNumber(in: top) {
                return ReportError(description: "\(name): malformed report: \(field) is out of range or of no known form")
            }
            return ReportError(description: "\(name): malformed report")
        default:
            return ReportError(description: "\(name): malformed report")
        }
    }

    /// The path of the first number other than `seconds` that is no whole Int64 (keys in order).
    private static func fractionalNumber(in value: Any, path: String = "") -> String? {
        if let number = value as? NSNumber, !(value is Bool) {
            let integral = String(cString: number.objCType).allSatisfy { "cislqCISLQ".contains($0) }
            return integral || path.hasSuffix("seconds") || Int(exactly: number.doubleValue) != nil ? nil : path
        }
        if let object = value as? [String: Any] {
            for key in object.keys.sorted() {
                if let found = fractionalNumber(in: object[key]!, path: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
        }
        if let array = value as? [Any] {
            for (index, item) in array.enumerated() {
                if let found = fractionalNumber(in: item, path: "\(path).\(index)") { return found }
            }
        }
        return nil
    }

    private static func `where`(_ context: DecodingError.Context, trailing: Bool = true) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        if path.isEmpty { return trailing ? "" : "the top level" }
        return trailing ? "\(path): " : path
    }
}

extension JSONReport {
    /// The findings of a report's entries: the same `Finding`s the scan made.
    static func findings(_ entries: [FindingEntry]) -> [Finding] {
        // Author and date are written with the first occurrence only: known for those commits.
        var commits: [String: (author: String, date: String)] = [:]
        for entry in entries {
            if let commit = entry.first.commit, commits[commit] == nil {
                commits[commit] = (entry.first.author ?? "", entry.first.date ?? "")
            }
            // Reports since keysweep 0.1 (issue 19) give every occurrence's author and date.
            for occurrence in entry.occurrences {
                if let commit = occurrence.commit, commits[commit] == nil, let author = occurrence.author {
                    commits[commit] = (author, occurrence.date ?? "")
                }
            }
        }
        // Reports written before occurrences carried author, date and order: what `first` says, order 0.
        func info(_ id: String, unreachable: Bool?, author: String? = nil, date: String? = nil, order: Int? = nil) -> CommitInfo {
            let known = commits[id]
            let date = date ?? known?.date ?? ""
            return CommitInfo(id: id, author: author ?? known?.author ?? "", date: date,
                              time: GitDate.seconds(iso8601: date) ?? 0, order: order ?? 0,
                              unreachable: unreachable == true ? true : nil)
        }
        let byID = Dictionary(entries.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var origins: [String: Origin] = [:]

        return entries.map { entry in
            // The parts paired with an id, by role: finding ids of other findings, or values.
            var ids: [String: String] = [:]
            var values: [String: String] = [:]
            var how = Pairing.Method.sameContent
            var doubtful: [String: [String]] = [:]
            if let pairing = entry.pairing {
                doubtful = pairing.candidates ?? [:]
                ids = pairing.parts
                values = pairing.attributes ?? [:]
                how = Pairing.Method(rawValue: pairing.how) ?? .sameContent
            } else if let aws = entry.aws {
                // Reports written before `pairing`: the `aws` object names the parts.
                if let secret = aws.pairedSecret { ids["secret"] = secret }
                if let token = aws.pairedToken { ids["token"] = token }
                if let expiration = aws.expiration { values["expiration"] = expiration }
            }
            var pairs: [PairPart] = []
            var parts: [String: String] = [:]
            for (role, id) in ids.sorted(by: { $0.key < $1.key }) {
                guard let part = byID[id] else { continue }
                parts[role] = part.secret
                pairs.append(PairPart(role: role, rule: part.rule, regex: nil, pattern: nil, idPrefixes: [], near: nil))
            }
            var candidates: [String: [String]] = [:]
            for (role, ids) in doubtful.sorted(by: { $0.key < $1.key }) {
                let found = ids.compactMap { byID[$0] }
                guard let rule = found.first?.rule else { continue }
                candidates[role] = found.map(\.secret)
                if !pairs.contains(where: { $0.role == role }) {
                    pairs.append(PairPart(role: role, rule: rule, regex: nil, pattern: nil, idPrefixes: [], near: nil))
                }
            }
            for (role, value) in values.sorted(by: { $0.key < $1.key }) {
                parts[role] = value
                pairs.append(PairPart(role: role, rule: nil, regex: nil, pattern: nil, idPrefixes: [], near: nil))
            }
            let rule = Rule.reported(id: entry.rule, description: entry.description, provider: entry.provider, playbook: entry.playbook,
                                     kind: entry.kind ?? RuleKinds.credential, confidence: entry.confidence, enricher: entry.aws != nil ? AWSCredential.enricherName : nil,
                                     pairs: pairs)
            var occurrences = entry.occurrences.map { occurrence in
                Occurrence(commit: occurrence.commit.map {
                               info($0, unreachable: occurrence.unreachable, author: occurrence.author, date: occurrence.date, order: occurrence.order)
                           },
                           provenance: ProvenanceText.provenance(path: occurrence.path, blob: occurrence.blob, commit: occurrence.commit,
                                                                 workTree: occurrence.worktree == true),
                           line: occurrence.line, decoding: occurrence.decoding, origin: occurrence.origin(&origins))
            }
            if occurrences.isEmpty {
                let first = entry.first
                occurrences = [Occurrence(commit: first.commit.map { info($0, unreachable: nil) },
                                          provenance: ProvenanceText.provenance(path: first.path, blob: nil, commit: first.commit),
                                          line: first.line, decoding: nil)]
            }
            let refs = (entry.refs ?? []).map { refs in
                RefExposure(repository: refs.repository, tips: refs.tips, defaultBranch: refs.defaultBranch,
                            removedBy: refs.removedBy.map {
                                CommitInfo(id: $0.commit, author: $0.author, date: $0.date,
                                           time: GitDate.seconds(iso8601: $0.date) ?? 0, order: $0.order ?? 0)
                            })
            }
            var finding = Finding(id: entry.id, rule: rule, secret: entry.secret, isPlaceholder: entry.placeholder,
                           occurrences: occurrences, omittedOccurrences: entry.occurrencesOmitted ?? 0, inHead: entry.inHead,
                           pairing: parts.isEmpty && candidates.isEmpty ? nil : Pairing(parts: parts, how: how, candidates: candidates),
                           refs: refs, verification: entry.verification, carried: entry.carried,
                           secretCut: entry.secretTruncated == true ? CutSecret(reportedID: entry.id, characters: entry.secretLength) : nil)
            finding.blastRadius = entry.blastRadius
            finding.reportedEncrypted = entry.encrypted
            return finding
        }
    }
}

// MARK: decoding: the keys the report has always had are required; later additions are optional.

extension JSONReport.Document: Decodable {
    private enum Keys: String, CodingKey { case version, tool, rules, targets, shard, merged, stats, findings }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        version = try c.decode(Int.self, forKey: .version)
        tool = try c.decodeIfPresent(JSONReport.Tool.self, forKey: .tool) ?? JSONReport.Tool(name: "keysweep", version: "")
        rules = try c.decodeIfPresent(String.self, forKey: .rules)
        targets = try c.decode([String].self, forKey: .targets)
        shard = try c.decodeIfPresent(ShardRecord.self, forKey: .shard)
        merged = try c.decodeIfPresent([MergedReport].self, forKey: .merged)
        // Counters added over time are 0 when absent; one that is there must be a whole number
        // (9.3e18 or 1e300, past Int64, made the whole report's stats silently 0).
        stats = try c.decodeIfPresent(ScanStats.self, forKey: .stats) ?? ScanStats()
        findings = try c.decode([JSONReport.FindingEntry].self, forKey: .findings)
    }
}


extension JSONReport.FindingEntry: Decodable {
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        rule = try c.decode(String.self, forKey: .rule)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? rule
        provider = try c.decodeIfPresent(String.self, forKey: .provider) ?? ""
        playbook = try c.decodeIfPresent(String.self, forKey: .playbook).flatMap { ProviderPlaybooks.named($0)?.id }
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        encrypted = try c.decodeIfPresent(Bool.self, forKey: .encrypted)
        secret = try c.decode(String.self, forKey: .secret)
        secretTruncated = try c.decodeIfPresent(Bool.self, forKey: .secretTruncated)
        secretLength = try c.decodeIfPresent(Int.self, forKey: .secretLength)
        confidence = try c.decodeIfPresent(Confidence.self, forKey: .confidence) ?? .medium
        placeholder = try c.decodeIfPresent(Bool.self, forKey: .placeholder) ?? false
        aws = try c.decodeIfPresent(JSONReport.AWSEntry.self, forKey: .aws)
        pairing = try c.decodeIfPresent(JSONReport.PairingEntry.self, forKey: .pairing)
        first = try c.decode(JSONReport.FirstEntry.self, forKey: .first)
        occurrences = try c.decode([JSONReport.OccurrenceEntry].self, forKey: .occurrences)
        inHead = try c.decode(Bool.self, forKey: .inHead)
        unreachableOnly = try c.decodeIfPresent(Bool.self, forKey: .unreachableOnly)
        refs = try c.decodeIfPresent([JSONReport.RefsEntry].self, forKey: .refs)
        occurrencesOmitted = try c.decodeIfPresent(Int.self, forKey: .occurrencesOmitted)
        verification = try c.decodeIfPresent(VerificationResult.self, forKey: .verification)
        blastRadius = try c.decodeIfPresent(BlastRadiusReport.self, forKey: .blastRadius)
        let all = try decoder.container(keyedBy: AnyKey.self)
        carried = [:]
        for key in all.allKeys where CodingKeys(rawValue: key.stringValue) == nil {
            carried[key.stringValue] = try all.decode(ReportValue.self, forKey: key)
        }
    }
}

extension JSONReport.PairingEntry: Decodable {
    private enum Keys: String, CodingKey { case how, parts, attributes, candidates }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        how = try c.decode(String.self, forKey: .how)
        parts = try c.decodeIfPresent([String: String].self, forKey: .parts) ?? [:]
        attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes)
        candidates = try c.decodeIfPresent([String: [String]].self, forKey: .candidates)
    }
}

extension JSONReport.FirstEntry: Decodable {
    private enum Keys: String, CodingKey { case commit, path, line, author, date }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        self.init(commit: try c.decodeIfPresent(String.self, forKey: .commit),
                  path: try c.decode(String.self, forKey: .path),
                  line: try c.decode(Int.self, forKey: .line),
                  author: try c.decodeIfPresent(String.self, forKey: .author),
                  date: try c.decodeIfPresent(String.self, forKey: .date))
    }
}

extension JSONReport.OccurrenceEntry: Decodable {
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(commit: try c.decodeIfPresent(String.self, forKey: .commit),
                  author: try c.decodeIfPresent(String.self, forKey: .author),
                  date: try c.decodeIfPresent(String.self, forKey: .date),
                  order: try c.decodeIfPresent(Int.self, forKey: .order),
                  path: try c.decode(String.self, forKey: .path),
                  line: try c.decode(Int.self, forKey: .line),
                  blob: try c.decodeIfPresent(String.self, forKey: .blob),
                  decoding: try c.decodeIfPresent(String.self, forKey: .decoding),
                  unreachable: try c.decodeIfPresent(Bool.self, forKey: .unreachable),
                  worktree: try c.decodeIfPresent(Bool.self, forKey: .worktree),
                  target: try c.decodeIfPresent(String.self, forKey: .target),
                  remote: try c.decodeIfPresent(JSONReport.RemoteEntry.self, forKey: .remote),
                  permalink: try c.decodeIfPresent(String.self, forKey: .permalink),
                  revision: try c.decodeIfPresent(String.self, forKey: .revision))
    }
}

extension JSONReport.RefsEntry: Decodable {
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(repository: try c.decode(String.self, forKey: .repository),
                  tips: try c.decode([String].self, forKey: .tips),
                  defaultBranch: try c.decodeIfPresent(String.self, forKey: .defaultBranch),
                  removedBy: try c.decodeIfPresent(JSONReport.CommitEntry.self, forKey: .removedBy))
    }
}

