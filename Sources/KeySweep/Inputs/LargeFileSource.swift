import Foundation

/// A regular file named as a target that is too large to read whole. Each worker reads the
/// chunk it is handed itself (`pread`, with the end of the chunk before it, so a secret across
/// a boundary is still found whole: `Chunking`): reading is spread over the workers, with no
/// reader thread in between. The pipeline joins up line numbers across chunks.
final class LargeFileSource: Source, @unchecked Sendable {
    let chunkSize = Chunking.size
    let overlap = Chunking.overlap
    private let fileDescriptor: Int32
    private let size: Int
    /// The path occurrences name.
    let name: String

    var unit: ContentUnit { .file }

    /// Opens `path` (closed when the source goes away).
    init(path: String, size: Int) throws {
        fileDescriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard fileDescriptor >= 0 else { throw ScanError.unreadable(path) }
        name = path
        self.size = size
    }

    deinit { close(fileDescriptor) }

    func enumerate(into feed: Feed<Int>) throws -> ScanStats {
        var facts = ScanStats()
        facts.files = 1
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, 8192), alignment: 16)
        defer { head.deallocate() }
        let headCount = try read(into: head, at: 0)
        if feed.policy.skipsAsBinary(UnsafeRawBufferPointer(rebasing: head[0..<headCount])) {
            facts.skippedBinary += 1
            return facts
        }
        for chunk in 0..<max(1, (size + chunkSize - 1) / chunkSize) { feed.push([chunk]) }
        return facts
    }

    /// One chunk-sized buffer per worker.
    final class Reader {
        let buffer: UnsafeMutableRawBufferPointer
        init(size: Int) { buffer = .allocate(byteCount: size, alignment: 16) }
        deinit { buffer.deallocate() }
    }

    func makeReader() throws -> Reader { Reader(size: overlap + chunkSize) }

    func read(_ chunk: Int, with reader: inout Reader, _ body: (Content) -> Void) throws {
        let own = chunk * chunkSize
        let start = max(0, own - overlap)
        let end = min(size, own + chunkSize)
        let filled = try read(into: UnsafeMutableRawBufferPointer(rebasing: reader.buffer[0..<(end - start)]), at: start)
        // A file that shrank while it was read is scanned as far as it goes.
        body(Content(bytes: UnsafeRawBufferPointer(rebasing: reader.buffer[0..<filled]),
                     part: .chunk(index: chunk, overlap: min(own - start, filled))))
    }

    func describe(_ item: Int) -> String { "\(name) (chunk \(item + 1))" }

    /// One stream, read whole by the shard its target falls to (`Scanner`), never split.
    func shardKey(of item: Int) -> ShardKey? { nil }

    /// The read error names the file already.
    func unreadable(_ item: Int, _ error: Error) -> String { "\(error)" }

    func place(_ scan: Finished<Int>, context: ScanContext) throws -> [Sighting] {
        scan.items.flatMap { scanned in
            scanned.matches.map { match in
                Sighting(match: match, occurrence: Occurrence(commit: nil, provenance: .file(path: name), line: match.line,
                                                              decoding: match.decoding),
                         inHead: true)
            }
        }
    }

    /// Fills `buffer` from `offset` until it is full or the file ends; returns the bytes read.
    private func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let n = pread(fileDescriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError.invalid("\(name): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }
}
