import CLibGit2
import Foundation

/// A libgit2 failure, carrying libgit2's own message.
struct GitError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { message }

    /// Builds an error from the last libgit2 error of this thread.
    init(code: Int32, context: String) {
        self.code = code
        if let last = git_error_last(), let text = last.pointee.message {
            message = "\(context): \(String(cString: text))"
        } else {
            message = "\(context) (libgit2 error \(code))"
        }
    }

    /// A problem keysweep found itself (a damaged file libgit2 must not read).
    init(message: String) {
        code = -1
        self.message = message
    }

    static func check(_ code: Int32, _ context: @autoclosure () -> String) throws {
        if code < 0 { throw GitError(code: code, context: context()) }
    }
}

/// Process-wide libgit2 setup, done once before the first repository opens.
enum GitLibrary {
    static let initialized: Bool = {
        git_libgit2_init()
        // Objects come from the local object store: re-hashing each one costs most of the read
        // time and protects against nothing a scanner cares about.
        _ = keysweep_git_set_strict_hash_verification(0)
        // Every object is read once; a parsed-object cache only holds memory.
        _ = keysweep_git_set_caching(0)
        // libgit2 refuses to open any repository when a user-wide configuration file exists but
        // cannot be read (a HOME the user may not enter): left out instead, as git does.
        for unreadable in unreadableConfigurations {
            _ = keysweep_git_set_config_search_path(unreadable.level, "")
        }
        return true
    }()

    /// The global, XDG and system configuration files libgit2 would read that exist but cannot
    /// be read, and why; `ScanContext` warns of each.
    static let unreadableConfigurations: [(level: git_config_level_t, file: String, problem: String)] = {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_dir) } ?? ""
        let xdg = environment["XDG_CONFIG_HOME"].map { $0 + "/git/config" } ?? home + "/.config/git/config"
        let files = [(GIT_CONFIG_LEVEL_GLOBAL, home + "/.gitconfig"), (GIT_CONFIG_LEVEL_XDG, xdg),
                     (GIT_CONFIG_LEVEL_SYSTEM, "/etc/gitconfig")]
        return files.compactMap { level, file in
            guard !home.isEmpty || level == GIT_CONFIG_LEVEL_SYSTEM else { return nil }
            var info = stat()
            if stat(file, &info) != 0 {
                let code = errno
                return code == ENOENT || code == ENOTDIR ? nil : (level, file, String(cString: strerror(code)))
            }
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd < 0 else { close(fd); return nil }
            return (level, file, String(cString: strerror(errno)))
        }
    }()
}
