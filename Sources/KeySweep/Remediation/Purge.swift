import Foundation

/// Removing leaked secrets from git history: the one `replacements.txt` written beside the plan
/// (every secret of the plan, `SECRET==>REMOVED` lines, for `git filter-repo --replace-text`),
/// and the refs to rewrite. Purging never un-leaks anything; it comes after rotation.
enum Purge {
    static let fileName = "replacements.txt"

    static let warning = "Rewriting history never un-leaks a secret: clones, forks, CI caches, package archives and the hosting service's cached views and pull-request refs keep the old objects. Rotate first; purge to stop new copies."

    /// The lines of replacements.txt: each secret once, a multi-line one (a PEM block) as its
    /// lines of 16 characters or more, since filter-repo matches line by line. An expression
    /// that filter-repo would read as a regex or glob is marked `literal:`.
    static func lines(_ secrets: [String]) -> [String] {
        entries(secrets.map { (id: "", secret: $0) }).lines
    }

    /// The lines of replacements.txt, and for each finding id the numbers (from 1) of the lines
    /// holding its secret: the plan names them per row. filter-repo's `--replace-text` has no
    /// comment syntax (a `#` line is a literal to replace, read with the rest), so the file
    /// holds the secrets alone and the plan says which line is whose.
    static func entries(_ findings: [(id: String, secret: String)]) -> (lines: [String], lineNumbers: [String: [Int]]) {
        var seen: [String: Int] = [:]
        var out: [String] = []
        var numbers: [String: [Int]] = [:]
        for (id, secret) in findings {
            let pieces = secret.contains(where: \.isNewline)
                ? secret.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.count >= 16 && !$0.hasPrefix("-----") }
                : [secret]
            for piece in pieces where !piece.isEmpty && !piece.contains("==>") {
                let number: Int
                if let known = seen[piece] { number = known } else {
                    let marked = ["regex:", "glob:", "literal:"].contains { piece.hasPrefix($0) } ? "literal:" + piece : piece
                    out.append("\(marked)==>REMOVED")
                    number = out.count
                    seen[piece] = number
                }
                if !id.isEmpty, numbers[id]?.contains(number) != true { numbers[id, default: []].append(number) }
            }
        }
        return (out, numbers)
    }

    /// `line 3`, `lines 4-30`, `lines 2, 7`: where a finding's secret is in replacements.txt.
    static func lineText(_ numbers: [Int]) -> String {
        let sorted = numbers.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count == 1 { return "line \(first)" }
        if last - first + 1 == sorted.count { return "lines \(first)-\(last)" }
        return "lines " + sorted.map(String.init).joined(separator: ", ")
    }

    /// Where replacements.txt goes for a plan written to `planPath`.
    static func path(beside planPath: String) -> String {
        let directory = (planPath as NSString).deletingLastPathComponent
        return directory.isEmpty ? fileName : (directory as NSString).appendingPathComponent(fileName)
    }

    /// Writes the file with mode 0600 (made so, also when it existed); never follows a symbolic link.
    static func write(_ lines: [String], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw ReportError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard fchmod(fd, 0o600) == 0 else { throw ReportError(description: "cannot make \(path) private: \(String(cString: strerror(errno)))") }
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReportError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    /// The refs to rewrite, for the plan's purge section.
    struct Refs: Sendable, Encodable, Equatable {
        /// Local branches (`refs/heads/`).
        var branches: [String] = []
        /// `refs/remotes/`: this clone's copies of a remote's branches, not branches to push;
        /// in the mirror clone the purge starts from, they are the remote's own branches.
        var remoteTracking: [String] = []
        var tags: [String] = []
        /// `refs/pull/N/head` and `refs/merge-requests/N/head`: the hosting service owns them.
        var pullRequests: [String] = []
        var other: [String] = []

        enum CodingKeys: String, CodingKey { case branches, tags, other, pullRequests = "pull_requests", remoteTracking = "remote_tracking" }

        init(_ tips: [String]) {
            for tip in Set(tips).sorted() {
                let name = tip.split(separator: ":", maxSplits: 1).last.map(String.init) ?? tip
                if name.hasPrefix("refs/heads/") { branches.append(tip) }
                else if name.hasPrefix("refs/remotes/") { remoteTracking.append(tip) }
                else if name.hasPrefix("refs/tags/") { tags.append(tip) }
                else if name.hasPrefix("refs/pull/") || name.hasPrefix("refs/merge-requests/") { pullRequests.append(tip) }
                else { other.append(tip) }
            }
        }

        var isEmpty: Bool { branches.isEmpty && remoteTracking.isEmpty && tags.isEmpty && pullRequests.isEmpty && other.isEmpty }
    }

    /// The commands, run in a fresh mirror clone.
    static let commands = [
        "git clone --mirror REPOSITORY_URL purge.git && cd purge.git",
        "git filter-repo --replace-text ../\(fileName)",
        "git push --force --all && git push --force --tags",
    ]
}
