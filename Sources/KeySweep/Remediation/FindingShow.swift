import Foundation

/// `keysweep show FINDING_ID`: one finding with its secret in full (never redacted: showing it is
/// the command's job), every place it was seen, the parts paired with it, and the plan's steps
/// for it with the secret filled in; a private key also as a key file (mode 0600) and its SSH
/// fingerprint. The finding comes from a JSON report or from a scan of the targets.
public struct FindingShow {
    /// Why the finding cannot be shown: one line.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let finding: Finding
    /// The plan's row for the credential the finding is part of (its steps).
    let row: RemediationPlan.Row?
    /// The findings paired with it (an AWS key id's secret and token, or the id a secret is paired with), by role.
    let partners: [(role: String, finding: Finding)]
    /// More than one target: each place names its target.
    let severalTargets: Bool

    public var id: String { finding.id }
    /// The secret as it was found.
    public var secret: String { finding.secret }

    /// A private key (the private-key playbook's rules, or a PEM private key block): `show`
    /// writes it to a key file.
    public var isPrivateKey: Bool {
        finding.rule.playbook == "private-key"
            || Redaction.pemHeader(finding.secret)?.hasSuffix("PRIVATE KEY-----") == true
    }

    /// Where a private key is written without `-o`: in the current directory, named by its id.
    public var defaultKeyFile: String? { isPrivateKey ? "./keysweep-\(finding.id).key" : nil }

    /// What a key file (`-o FILE`, or the default one of a private key) holds: a private key
    /// with its line breaks (also when found with `\n` escapes inside JSON), any other secret
    /// as found; a line break at the end.
    public var fileText: String {
        isPrivateKey ? SSHKeyFingerprint.keyFileText(finding.secret) : finding.secret + "\n"
    }

    // MARK: Finding it

    /// The finding `id` (16 hex digits, or a unique prefix of at least 6) of the JSON report at
    /// `path`. A report written with `--redact` does not hold the secret: a one-line failure
    /// says to rescan; so does a secret the report holds cut (longer than 8 KiB).
    public static func fromReport(_ id: String, report path: String) throws -> FindingShow {
        let result: ScanResult
        do { result = try ScanResult.load(jsonReportAt: path) } catch let error as ReportError {
            throw Failure(description: error.description)
        }
        let finding = try pick(id, in: result.findings, source: path)
        try whole(finding, from: path)
        do {
            if try FindingIdentity.check(finding, report: path) == .redacted {
                throw Failure(description: "\(path) was written with --redact and does not hold the secret of finding \(finding.id); rescan the target: keysweep show \(finding.id) TARGET")
            }
        } catch let error as ReportError { throw Failure(description: error.description) }
        return FindingShow(finding, in: result)
    }

    /// The finding `id` in a fresh scan of `targets`, with no ignore file, baseline or
    /// allowlist leaving it out and placeholders kept (as `keysweep ignore` finds it).
    public static func fromScan(_ id: String, targets: [String], rules: RuleSet, options: ScanOptions) throws -> FindingShow {
        _ = try wanted(id)
        var options = options
        options.suppression = SuppressionOptions()
        options.suppression.useTargetIgnoreFiles = false
        options.includePlaceholders = true
        options.refFacts = false
        let result = try Scanner(rules: rules, options: options).scan(targets)
        let finding = try pick(id, in: result.findings, source: targets.joined(separator: " "))
        try whole(finding, from: finding.first.path)
        return FindingShow(finding, in: result)
    }

    private static func wanted(_ id: String) throws -> String {
        let wanted = id.lowercased()
        guard (6...16).contains(wanted.count), wanted.allSatisfy(\.isHexDigit) else {
            throw Failure(description: "'\(id)' is not a finding id (the 16 hex digits of `id` in a report or the plan)")
        }
        return wanted
    }

    static func pick(_ id: String, in findings: [Finding], source: String) throws -> Finding {
        let wanted = try wanted(id)
        let matches = findings.filter { $0.id.hasPrefix(wanted) }
        guard let finding = matches.first else { throw Failure(description: "no finding \(id) in \(source)") }
        guard matches.count == 1 else { throw Failure(description: "finding id prefix \(id) is ambiguous in \(source); give all 16 digits") }
        return finding
    }

    /// A secret longer than 8 KiB is held as its start, length and digest: not the secret.
    private static func whole(_ finding: Finding, from source: String) throws {
        guard let cut = finding.secretCut else { return }
        let place = "\(finding.first.path):\(finding.first.line)" + (finding.first.commit.map { " of commit \($0.id)" } ?? "")
        throw Failure(description: "finding \(finding.id) is a secret of \(cut.characters) characters, longer than keysweep keeps (8 KiB): read it at \(place)")
    }

    init(_ finding: Finding, in result: ScanResult) {
        self.finding = finding
        severalTargets = Set(result.findings.flatMap { $0.occurrences.compactMap { $0.origin?.target } }).count > 1
        var partners: [(String, Finding)] = []
        for pair in finding.rule.pairs {
            guard let rule = pair.rule, let value = finding.pairing?[pair.role],
                  let part = result.findings.first(where: { $0.rule.id == rule && $0.secret == value }) else { continue }
            partners.append((pair.role, part))
        }
        for other in result.findings where other.id != finding.id {
            for pair in other.rule.pairs where pair.rule == finding.rule.id && other.pairing?[pair.role] == finding.secret {
                partners.append(("id", other))
            }
        }
        self.partners = partners.map { (role: $0.0, finding: $0.1) }
        let plan = RemediationPlanner(options: .init()).plan(result)
        row = plan.rows.first { $0.finding == finding.id }
            ?? plan.rows.first { $0.secretFinding == finding.id || $0.tokenFinding == finding.id }
    }

    // MARK: Showing it

    /// The key file `show` wrote: where, and whether it was there already with the same text.
    public struct KeyFile {
        public var path: String
        public var existed: Bool
        public init(path: String, existed: Bool) { self.path = path; self.existed = existed }
    }

    /// The text `show` prints, every line safe for a terminal (control characters as escapes).
    public func render(keyFile: KeyFile?) -> String {
        var lines: [String] = []
        lines.append("Finding \(finding.id): \(finding.rule.description)")
        lines.append("Rule:       \(finding.rule.id) (confidence \(finding.confidence.rawValue))")
        lines.append("Provider:   \(ProviderPlaybooks.provider(of: finding.rule))")
        if finding.isPlaceholder { lines.append("Placeholder: a documentation example or test value") }
        if finding.secret.utf8.contains(10) || finding.secret.utf8.contains(13) {
            lines.append("Secret:")
            lines += finding.secret.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        } else {
            lines.append("Secret:     \(finding.secret)")
        }
        if let keyFile {
            lines.append("Key file:   \(keyFile.path) (mode 0600\(keyFile.existed ? "; it was there already, the same" : ""))")
        }
        if isPrivateKey {
            switch SSHKeyFingerprint.of(privateKey: finding.secret) {
            case .known(let key):
                lines.append("SSH fingerprint: \(key.fingerprint) (\(key.type)\(key.bits > 0 ? ", \(key.bits) bits" : "")): what ssh-keygen -l and GitHub's SSH and deploy keys show")
            case .unknown(let reason):
                let file = keyFile?.path ?? "KEY_FILE"
                lines.append("SSH fingerprint: unknown, because \(reason); to try ssh-keygen yourself: ssh-keygen -y -f \(file) | ssh-keygen -lf -")
            }
        }
        for partner in partners {
            lines.append("Paired with: its \(partner.role) (\(partner.finding.rule.id)), finding \(partner.finding.id): keysweep show \(partner.finding.id)")
        }
        let occurrences = finding.occurrences
        lines.append("Seen in \(Plural.count(occurrences.count + finding.omittedOccurrences, "place")):")
        lines += occurrences.map { "  " + place($0) }
        if finding.omittedOccurrences > 0 {
            lines.append("  and \(finding.omittedOccurrences) more, not kept (keysweep keeps the earliest \(occurrences.count))")
        }
        if let row {
            let what = row.finding == finding.id ? "" : " (those of \(row.key), finding \(row.finding), which it is part of)"
            let reads = row.steps.contains { $0.commands.contains { $0.contains(ProviderPlaybooks.secretCommand(finding.id)) } }
            lines.append("Steps from the plan\(what)\(reads ? ", the secret filled in" : ""):")
            for (index, step) in row.steps.enumerated() {
                lines.append("  \(index + 1). \(step.title)")
                for command in step.commands {
                    // The key file is written: the commands that read `leaked_key` read it.
                    if let keyFile, isPrivateKey {
                        if command == "keysweep show \(finding.id) -o leaked_key" { continue }
                        lines.append("     " + command.replacingOccurrences(of: "leaked_key", with: Self.quoted(keyFile.path)))
                    } else {
                        lines.append("     " + filled(command))
                    }
                }
            }
        }
        return lines.map(TerminalText.escape).joined(separator: "\n") + "\n"
    }

    /// A command of the plan with the secret in place of `$(keysweep show ID --secret)` (every
    /// such command is inside double quotes: `"`, `\`, `$` and backquotes are escaped).
    func filled(_ command: String) -> String {
        var escaped = ""
        for character in finding.secret {
            if "\"\\$`".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return command.replacingOccurrences(of: ProviderPlaybooks.secretCommand(finding.id), with: escaped)
    }

    /// A path as one shell word.
    static func quoted(_ path: String) -> String {
        let safe = !path.isEmpty && path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+=,.@_-/".contains($0)) }
        return safe ? path : "'" + path.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// One place: `commit ID path:line by AUTHOR on DATE`, `file path:line`, `standard input, line N`.
    func place(_ occurrence: Occurrence) -> String {
        let path = ProvenanceText.shown(occurrence)
        var text: String
        if let commit = occurrence.commit {
            text = "commit \(commit.id) \(path):\(occurrence.line)"
            if !commit.author.isEmpty { text += " by \(commit.author)" }
            if !commit.date.isEmpty { text += " on \(commit.date)" }
        } else if occurrence.path == ProvenanceText.stdin {
            text = "standard input, line \(occurrence.line)"
        } else if occurrence.isWorkTree {
            text = "work tree file (uncommitted) \(path):\(occurrence.line)"
        } else if let blob = occurrence.blob {
            text = "blob \(blob) \(path), line \(occurrence.line)"
        } else {
            text = "file \(path):\(occurrence.line)"
        }
        if let decoding = occurrence.decoding { text += " (\(decoding))" }
        if occurrence.isUnreachable { text += " (no ref reaches it)" }
        if let origin = occurrence.origin, origin.kind != .local || severalTargets { text += " in \(origin.target)" }
        if let link = occurrence.permalink { text += " <\(link)>" }
        return text
    }

    // MARK: The key file

    /// Writes `text` to `path` with mode 0600, never over an existing file (O_EXCL) nor through
    /// a symbolic link; a file already there holding exactly `text` is left as it is (a second
    /// `show`). Throws a one-line `Failure` otherwise.
    public static func writeKeyFile(_ text: String, to path: String) throws -> KeyFile {
        let bytes = Array(text.utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd < 0 {
            let error = errno
            if error == EEXIST, let existing = readRegular(path), existing == bytes {
                return KeyFile(path: path, existed: true)
            }
            if error == EEXIST {
                throw Failure(description: "\(path) exists: not overwritten (remove it, or name another file with -o FILE)")
            }
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(error)))")
        }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw Failure(description: "cannot make \(path) private: \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                unlink(path)
                throw Failure(description: "cannot write \(path): \(reason)")
            }
            written += n
        }
        return KeyFile(path: path, existed: false)
    }

    /// The bytes of a regular file of mode 0600 (not followed through a link); nil otherwise.
    private static func readRegular(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_mode & 0o077 == 0, info.st_size < 1 << 20 else { return nil }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, 65536) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }
}
