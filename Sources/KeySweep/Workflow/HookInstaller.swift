import Foundation

/// `keysweep install-hook`: a git pre-commit hook that runs `keysweep scan --staged`, so a
/// commit that adds a secret is refused before it exists.
public enum HookInstaller {
    /// The line that tells keysweep's own hook from any other (it may replace its own).
    static let marker = "# keysweep-managed-hook: pre-commit (installed by `keysweep install-hook`)"

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// What `install` did.
    public struct Installed: Sendable {
        public var path: String
        /// A hook keysweep did not write was moved here (with `force`).
        public var backup: String?
        public var updated: Bool
    }

    /// The hook script: runs `binary` when it still exists, else `keysweep` from PATH.
    static func script(binary: String) -> String {
        """
        #!/bin/sh
        \(marker)
        # Refuses the commit when the staged changes add a secret (exit status 1) or keysweep fails (2).
        # Acknowledge a finding with `keysweep ignore FINDING_ID --reason "..."`; skip once with `git commit --no-verify`.
        keysweep=\(shellQuote(binary))
        [ -x "$keysweep" ] || keysweep=keysweep
        exec "$keysweep" scan --staged --redact .

        """
    }

    /// Installs the hook in the repository at `repositoryPath`. A pre-commit hook keysweep did
    /// not write is kept (an error) unless `force`, in which case it is renamed `pre-commit.local`… first.
    public static func install(repositoryPath: String, binary: String, force: Bool) throws -> Installed {
        let repository: Repository?
        do { repository = try Repository.openIfRepository(repositoryPath) } catch {
            throw Failure(description: "\(repositoryPath): \(error)")
        }
        guard let repository else { throw Failure(description: "\(repositoryPath): not a git repository") }
        guard !repository.isBare else { throw Failure(description: "\(repositoryPath): bare repository has no commits made in it; no hook installed") }
        let directory = repository.hooksDirectory()
        let hook = (directory as NSString).appendingPathComponent("pre-commit")
        let fileManager = FileManager.default
        var backup: String?
        var updated = false
        if let data = fileManager.contents(atPath: hook) {
            let existing = String(decoding: data, as: UTF8.self)
            if existing.contains(marker) {
                updated = true
            } else if !force {
                throw Failure(description: "\(hook): a pre-commit hook keysweep did not write exists; pass --force to replace it (it is kept as pre-commit.before-keysweep)")
            } else {
                let saved = hook + ".before-keysweep"
                try? fileManager.removeItem(atPath: saved)
                do { try fileManager.moveItem(atPath: hook, toPath: saved) } catch {
                    throw Failure(description: "\(hook): cannot move the existing hook aside: \(error.localizedDescription)")
                }
                backup = saved
            }
        }
        do {
            try fileManager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(directory): cannot create the hooks directory")
        }
        guard fileManager.createFile(atPath: hook, contents: Data(script(binary: binary).utf8),
                                     attributes: [.posixPermissions: 0o755]) else {
            throw Failure(description: "\(hook): cannot write the hook")
        }
        chmod(hook, 0o755)
        return Installed(path: hook, backup: backup, updated: updated)
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
