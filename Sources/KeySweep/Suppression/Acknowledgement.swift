import Foundation

/// `keysweep ignore`: turns a finding id from a report into a `.keysweepignore` entry.
///
/// The entry holds a salted hash of the rule and the secret, so the command needs the secret:
/// it scans the targets again (without suppressions) and takes the finding with that id.
public enum Acknowledgement {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The finding with `id` (its 16 hex digits, or a unique prefix of at least 6) in a fresh
    /// scan, and the findings of the parts paired with it (an AWS key id's secret access key and
    /// session token): acknowledging a credential's id acknowledges the credential. A part
    /// named alone is acknowledged alone.
    public static func find(_ id: String, rules: RuleSet, options: ScanOptions, targets: [String]) throws -> (finding: Finding, parts: [Finding]) {
        let wanted = id.lowercased()
        guard wanted.count >= 6, wanted.allSatisfy(\.isHexDigit) else {
            throw Failure(description: "'\(id)' is not a finding id (the 16 hex digits of `id` in a report)")
        }
        var options = options
        options.suppression = SuppressionOptions()
        options.suppression.useTargetIgnoreFiles = false
        options.includePlaceholders = true
        let result = try Scanner(rules: rules, options: options).scan(targets)
        let matches = result.findings.filter { $0.id.hasPrefix(wanted) }
        guard let finding = matches.first else {
            throw Failure(description: "no finding \(id) in \(targets.joined(separator: " ")) (ids are in the `id` field of the JSON report)")
        }
        guard matches.count == 1 else { throw Failure(description: "finding id prefix \(id) is ambiguous; give all 16 digits") }
        let parts = finding.rule.pairs.compactMap { pair -> Finding? in
            guard let rule = pair.rule, let value = finding.pairing?[pair.role] else { return nil }
            return result.findings.first { $0.rule.id == rule && $0.secret == value }
        }
        return (finding, parts)
    }

    /// Where `keysweep ignore` writes by default: `.keysweepignore` at the root of the target's
    /// work tree, or of the target directory.
    public static func defaultIgnoreFile(for target: String) throws -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "\(target): not a repository or directory; pass --ignore-file FILE")
        }
        if let repository = try? Repository.openIfRepository(target) {
            guard let workdir = repository.workdir else {
                throw Failure(description: "\(target): bare repository has no work tree; pass --ignore-file FILE")
            }
            return (workdir as NSString).appendingPathComponent(".keysweepignore")
        }
        return (target as NSString).appendingPathComponent(".keysweepignore")
    }

    /// Appends an entry acknowledging `finding` to `file`.
    public static func append(_ finding: Finding, reason: String, paths: [String], to file: String) throws {
        let text = IgnoreFile.entryText(rule: finding.rule.id, secret: finding.secret, reason: reason, paths: paths, findingID: finding.id)
        do { try IgnoreFile.append(text, to: file) } catch let error as IgnoreFile.LoadError {
            throw Failure(description: error.description)
        }
    }
}
