import Foundation

/// Writes a report where the user asked. Opened and truncated in place, never written to a
/// temporary file and renamed over the path: that would replace `/dev/null`, a FIFO or a
/// symbolic link with a regular file.
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
        let name = path ?? "standard output"
        let fd: Int32
        if let path {
            fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        } else {
            fd = STDOUT_FILENO
        }
        defer { if path != nil { close(fd) } }
        try body { bytes in
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
}
