import Foundation

/// Writes a report where the user asked, all or nothing: a regular file (or a path that does
/// not exist yet) is written to a temporary file beside it and renamed over it once complete,
/// so a process killed mid-write leaves the previous report, never half of the new one. A
/// symbolic link is followed and its target replaced (the link stays a link). What is not a
/// regular file (`/dev/null`, a FIFO, a terminal, a character device) is written in place, as
/// a rename would replace it with a regular file; so is a file whose directory keysweep may
/// not create files in.
public enum OutputFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    public static func write(_ text: String, to path: String) throws {
        try stream(to: path) { try $0(Array(text.utf8)) }
    }

    /// Opens `path` (standard output when nil) and calls `body` with a function writing bytes
    /// there, so a report can be written a piece at a time (`JSONReport.write`).
    public static func stream(to path: String?, _ body: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws {
        guard let path else { return try body { try write($0, to: STDOUT_FILENO, name: "standard output") } }
        let target = resolved(path)
        var info = stat()
        let exists = stat(target, &info) == 0
        if exists && info.st_mode & S_IFMT != S_IFREG { return try inPlace(path, body) }
        // Like the file it replaces (new files: 0644 less the umask, as before).
        guard let temporary = try TemporaryOutput(beside: target, mode: exists ? info.st_mode & 0o7777 : nil) else {
            return try inPlace(path, body)
        }
        do {
            try body { try write($0, to: temporary.fd, name: path) }
        } catch {
            temporary.discard()
            throw error
        }
        try temporary.commit(to: target, name: path)
    }

    private static func inPlace(_ path: String, _ body: (_ write: ([UInt8]) throws -> Void) throws -> Void) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        try body { try write($0, to: fd, name: path) }
    }

    /// The file a path names after following symbolic links (up to 40, as the kernel does); a
    /// link to nowhere resolves to the path it points at, which the rename then creates.
    static func resolved(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let count = readlink(current, &buffer, buffer.count - 1)
            guard count > 0 else { return current }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        return current
    }

    static func write(_ bytes: [UInt8], to fd: Int32, name: String) throws {
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(description: "cannot write \(name): \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
    }
}

/// A new file beside the report (`.NAME.keysweep-RANDOM`, created with `O_EXCL`), renamed
/// over it when complete.
private struct TemporaryOutput {
    let fd: Int32
    let path: String

    /// Nil when the directory does not let keysweep create a file (then the report is written in place).
    init?(beside target: String, mode: mode_t?) throws {
        let directory = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            let suffix = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
            let candidate = (directory.isEmpty ? "" : directory + "/") + ".\(name).keysweep-\(suffix)"
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode ?? 0o644)
            if fd >= 0 {
                if let mode { _ = fchmod(fd, mode) }   // the umask applied at creation; the old file's mode wins
                self.fd = fd
                path = candidate
                // Removed on Ctrl-C, SIGTERM and SIGHUP too, with the temporary clones.
                TemporaryClones.register(candidate)
                return
            }
            switch errno {
            case EEXIST, EINTR: continue
            case EACCES, EPERM, EROFS: return nil
            default: throw OutputFile.WriteError(description: "cannot write \(target): \(String(cString: strerror(errno)))")
            }
        }
        throw OutputFile.WriteError(description: "cannot write \(target): no free temporary name beside it")
    }

    /// Renames it over `target`; on failure removes it and throws.
    func commit(to target: String, name: String) throws {
        var failure: Int32 = 0
        if fsync(fd) != 0 && errno != EINVAL { failure = errno }
        close(fd)
        if failure == 0 && rename(path, target) != 0 { failure = errno }
        TemporaryClones.unregister(path)
        guard failure == 0 else {
            unlink(path)
            throw OutputFile.WriteError(description: "cannot write \(name): \(String(cString: strerror(failure)))")
        }
    }

    func discard() {
        close(fd)
        unlink(path)
        TemporaryClones.unregister(path)
    }
}
