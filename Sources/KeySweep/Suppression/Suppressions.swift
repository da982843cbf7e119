import Foundation
import KeySweepRuleFile

/// What to leave out of a report after the scan: findings acknowledged in ignore files
/// (`.keysweepignore` of each scanned repository or directory, and `--ignore-file`), findings
/// already in a baseline report (`--baseline`), and gitleaks allowlists (`--config`).
public struct SuppressionOptions: Sendable {
    /// Extra ignore files (`--ignore-file`), read in addition to each target's `.keysweepignore`.
    public var ignoreFiles: [String] = []
    /// Read each target's own `.keysweepignore` (work tree root, else HEAD's tree).
    var useTargetIgnoreFiles = true
    /// An earlier JSON (or SARIF) report: findings with the same id are not reported again.
    public var baseline: String?
    /// Allowlists of a gitleaks configuration (`--config`).
    public var allowlists: GitleaksAllowlists?

    init() {}
}

/// Applies `SuppressionOptions` to a scan result.
struct Suppressions {
    var ignore = IgnoreFile()
    var baselineIDs: Set<String> = []
    public var allowlists: GitleaksAllowlists?

    /// Loads every ignore file and the baseline. Throws `ScanError.invalid` when one the user
    /// named cannot be used; a target's own `.keysweepignore` that cannot be used (anyone who
    /// can commit wrote it) is a warning through `warn`, and the target is scanned without it.
    init(options: SuppressionOptions, targets: [String], warn: (String) -> Void = { _ in }) throws {
        do {
            if options.useTargetIgnoreFiles {
                for target in targets where target != "-" {
                    do {
                        if let file = try Suppressions.targetIgnoreFile(target) { ignore.entries += file.entries }
                    } catch let error as IgnoreFile.LoadError {
                        warn("\(error.description); scanned without it")
                    }
                }
            }
            for path in options.ignoreFiles { ignore.entries += try IgnoreFile.read(path).entries }
            if let baseline = options.baseline { baselineIDs = try Suppressions.readBaseline(baseline) }
            allowlists = options.allowlists
        } catch let error as IgnoreFile.LoadError {
            throw ScanError.invalid(error.description)
        }
    }

    var isEmpty: Bool { ignore.entries.isEmpty && baselineIDs.isEmpty }

    /// Removes suppressed findings (and suppressed occurrences of path-limited entries);
    /// returns the ignore entries that matched nothing.
    func apply(to result: inout ScanResult) -> [IgnoreFile.Entry] {
        var used = [Bool](repeating: false, count: ignore.entries.count)
        var kept: [Finding] = []
        for var finding in result.findings {
            if baselineIDs.contains(finding.id) { result.suppressed += 1; continue }
            for (index, entry) in ignore.entries.enumerated() where entry.matches(rule: finding.rule.id, secret: finding.secret) {
                let before = finding.occurrences.count
                finding.occurrences.removeAll { entry.applies(to: $0.path, stripping: result.targets) }
                if finding.occurrences.count < before { used[index] = true }
                if finding.occurrences.isEmpty { break }
            }
            if finding.occurrences.isEmpty { result.suppressed += 1; continue }
            kept.append(finding)
        }
        result.findings = kept
        allowlists?.apply(to: &result)
        return ignore.entries.indices.filter { !used[$0] }.map { ignore.entries[$0] }
    }

    /// A target's `.keysweepignore`: in a repository's work tree root if there is one, else in
    /// HEAD's tree; in a directory, at its root.
    static func targetIgnoreFile(_ target: String) throws -> IgnoreFile? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        let repository = try? Repository.openIfRepository(target)
        let root = repository.map { $0.workdir ?? "" } ?? target
        if !root.isEmpty {
            let path = (root as NSString).appendingPathComponent(".keysweepignore")
            if FileManager.default.fileExists(atPath: path) { return try IgnoreFile.read(path) }
        }
        if let repository, let text = try? repository.headFile(".keysweepignore", maxBytes: TOMLSyntax.maxBytes) {
            guard let text else {
                throw IgnoreFile.LoadError(description: "\(target): HEAD:.keysweepignore: larger than \(TOMLSyntax.maxBytes >> 20) MiB, not an ignore file")
            }
            return try IgnoreFile(text: text, source: "\(target): HEAD:.keysweepignore")
        }
        return nil
    }

    /// Finding ids of an earlier keysweep JSON report (`findings[].id`) or SARIF log
    /// (`partialFingerprints["keysweepFinding/v1"]`).
    static func readBaseline(_ path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IgnoreFile.LoadError(description: "\(path): cannot read baseline report")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IgnoreFile.LoadError(description: "\(path): baseline is not a keysweep JSON report")
        }
        if let findings = object["findings"] as? [[String: Any]] {
            return Set(findings.compactMap { $0["id"] as? String })
        }
        if let runs = object["runs"] as? [[String: Any]] {
            var ids: Set<String> = []
            for run in runs {
                for result in run["results"] as? [[String: Any]] ?? [] {
                    if let id = (result["partialFingerprints"] as? [String: Any])?["keysweepFinding/v1"] as? String { ids.insert(id) }
                }
            }
            return ids
        }
        throw IgnoreFile.LoadError(description: "\(path): baseline is not a keysweep JSON report (no findings)")
    }
}

extension Repository {
    /// The text of a file at the root of HEAD's tree, nil when absent; `.some(nil)` when it is
    /// larger than `maxBytes` (then it is not read).
    func headFile(_ name: String, maxBytes: Int) throws -> String?? {
        guard let head = try headCommit() else { return nil }
        guard let tree = try commit(head)?.tree else { return nil }
        let wanted = Array(name.utf8)
        let blob: ObjectID? = try withObject(tree) { kind, raw in
            guard kind == .tree else { return nil }
            for entry in TreeEntries(raw) where entry.kind == .blob && entry.name.elementsEqual(wanted) { return entry.id }
            return nil
        }
        guard let blob else { return nil }
        if try header(of: blob).size > maxBytes { return .some(nil) }
        return try withObject(blob) { _, raw in String(decoding: raw, as: UTF8.self) }
    }
}
