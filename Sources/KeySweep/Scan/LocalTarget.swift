import Foundation

/// A local target as scanned: the current directory inside a work tree stands for the whole
/// repository, found upward as git finds it, so `keysweep scan` from `repo/sub` scans the
/// repository's history (and `--staged` works) instead of `sub` as plain files.
struct LocalTarget: Equatable {
    /// What is scanned and named in reports: the target, or the work tree's root relative to
    /// the current directory (`..`, `../..`).
    var path: String
    /// The current directory relative to that root (`sub/dir`), when the root was found upward.
    var within: String?

    /// Only the current directory is searched upward: a directory named on the command line is
    /// scanned as named (a fixture folder inside a repository stays a folder).
    static func locate(_ target: String) throws -> LocalTarget {
        let plain = LocalTarget(path: target, within: nil)
        guard target != "-", let here = resolved(FileManager.default.currentDirectoryPath),
              let named = resolved(target), named == here else { return plain }
        var info = stat()
        guard stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return plain }
        do {
            if try Repository.openIfRepository(target) != nil { return plain }
            guard let repository = try Repository.discover(from: target), let workdir = repository.workdir,
                  let root = resolved(workdir), here.hasPrefix(root + "/") else { return plain }
            let within = String(here.dropFirst(root.count + 1))
            let up = within.split(separator: "/").map { _ in ".." }.joined(separator: "/")
            return LocalTarget(path: up, within: within)
        } catch let error as GitError {
            throw ScanError.corruptRepository(target, error.message)
        }
    }

    private static func resolved(_ path: String) -> String? {
        guard let absolute = realpath(path, nil) else { return nil }
        defer { free(absolute) }
        let text = String(cString: absolute)
        return text.count > 1 && text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
