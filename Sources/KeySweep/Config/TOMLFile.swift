import Foundation
import KeySweepRuleFile

/// Reads a TOML file from disk, bounded: a regular file (after symbolic links) of at most
/// `TOMLSyntax.maxBytes`. A repository can commit `.keysweepignore` as a link to `/dev/zero`
/// or a FIFO, which reading to the end would never finish.
enum TOMLFile {
    /// The text, or why not, as the end of a message naming the file.
    static func read(_ path: String) -> Result<String, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)), unreadable: true)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return .failure(Failure(reason: "not a regular file", unreadable: false)) }
        guard Int(info.st_size) <= TOMLSyntax.maxBytes else {
            return .failure(Failure(reason: "larger than \(TOMLSyntax.maxBytes >> 20) MiB", unreadable: false))
        }
        // Its size and one byte more (a file that grows while read is read up to the limit).
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var count = 0
        while count < TOMLSyntax.maxBytes + 1 {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: TOMLSyntax.maxBytes + 1 - count) }
            let n = bytes.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { return .failure(Failure(reason: String(cString: strerror(errno)), unreadable: true)) }
            if n == 0 { break }
            count += n
        }
        guard count <= TOMLSyntax.maxBytes else { return .failure(Failure(reason: "larger than \(TOMLSyntax.maxBytes >> 20) MiB", unreadable: false)) }
        return .success(String(decoding: bytes[..<count], as: UTF8.self))
    }

    /// `unreadable`: it could not be opened or read (`reason` is the system's); else it is not
    /// a file keysweep reads (`reason` says why).
    struct Failure: Error { let reason: String; let unreadable: Bool }
}
