import Foundation

/// Reads whole files into a reusable buffer with POSIX calls (no `Data`, no copies).
struct FileReader {
    private var buffer: UnsafeMutableRawBufferPointer = .init(start: nil, count: 0)

    enum Failure: Error, CustomStringConvertible {
        case cannotOpen(String, Int32)
        case cannotRead(String, Int32)
        var description: String {
            switch self {
            case .cannotOpen(let path, let code): return "cannot open \(path): \(String(cString: strerror(code)))"
            case .cannotRead(let path, let code): return "cannot read \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    enum Result { case bytes(UnsafeRawBufferPointer), tooLarge(Int) }

    /// Reads `path` unless it is larger than `limit`. The bytes stay valid until the next read.
    mutating func read(_ path: String, limit: Int) throws -> Result {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure.cannotOpen(path, errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Failure.cannotRead(path, errno) }
        let size = Int(info.st_size)
        if size > limit { return .tooLarge(size) }
        if buffer.count < size + 1 {
            buffer.deallocate()
            buffer = .allocate(byteCount: max(size + 1, 64 << 10), alignment: 16)
        }
        var filled = 0
        while filled < size {
            let n = Foundation.read(fd, buffer.baseAddress! + filled, size - filled)
            if n < 0 { if errno == EINTR { continue }; throw Failure.cannotRead(path, errno) }
            if n == 0 { break }
            filled += n
        }
        return .bytes(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]))
    }

    func release() { buffer.deallocate() }
}
