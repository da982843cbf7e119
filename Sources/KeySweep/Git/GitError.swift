import CLibGit2

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
        return true
    }()
}
