import Foundation

/// Writes a report where the user asked. Opened and truncated in place, never written to a
/// temporary file and renamed over the path: that would replace `/dev/null`, a FIFO or a
/// symbolic link with a regular file.
public enum OutputFile {
    struct WriteError: Error, CustomStringConvertible {
        let description: String
    }

    public static func write(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes = Array(text.utf8)
        var written = 0
        try bytes.withUnsafeMutableBytes { raw in
            while written < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
    }
}
