import Foundation

/// A regular file named as a target that is too large to read whole. Each worker reads the
/// next chunk itself (`pread`, with the end of the chunk before it, so a secret across a
/// boundary is still found whole: `Chunking`) and scans it: reading is spread over the workers, with no
/// reader thread in between. Line numbers are joined up once every chunk's newlines are counted.
struct LargeFileSource {
    var chunkSize = Chunking.size
    var overlap = Chunking.overlap
    let fileDescriptor: Int32
    /// The path occurrences name.
    let name: String

    /// What a worker found in chunk `k`.
    private struct ChunkResult {
        var matches: [SecretMatch] = []
        /// Newlines in the chunk's own bytes (its overlap excluded), and in its overlap.
        var ownNewlines = 0
        var overlapNewlines = 0
        var bytes = 0
    }

    /// What the workers share: the next chunk to read, the results, the first read error.
    private final class Progress: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private(set) var results: [ChunkResult]
        private(set) var failure: Error?

        init(chunks: Int) { results = Array(repeating: ChunkResult(), count: chunks) }

        func claim() -> Int? {
            lock.withLock {
                guard failure == nil, next < results.count else { return nil }
                next += 1
                return next - 1
            }
        }

        func store(_ result: ChunkResult, at chunk: Int) { lock.withLock { results[chunk] = result } }
        func fail(_ error: Error) { lock.withLock { if failure == nil { failure = error } } }
    }

    func scan(context: ScanContext, size: Int) throws {
        var stats = ScanStats()
        stats.files = 1
        defer { context.add(stats) }
        let head = UnsafeMutableRawBufferPointer.allocate(byteCount: min(size, 8192), alignment: 16)
        defer { head.deallocate() }
        let headCount = try read(into: head, at: 0)
        if ContentScanner.skipsAsBinary(UnsafeRawBufferPointer(rebasing: head[0..<headCount]), options: context.options) {
            stats.skippedBinary += 1
            return
        }

        let progress = Progress(chunks: max(1, (size + chunkSize - 1) / chunkSize))
        let source = self
        Workers.run(context.options.jobs) { _ in source.work(progress, size: size, context: context) }.wait()
        if let failure = progress.failure { throw failure }

        var newlinesBefore = 0      // in the file, before the current chunk's own bytes
        for result in progress.results {
            // The chunk's buffer starts `overlap` bytes (and their newlines) before its own bytes.
            let firstLine = newlinesBefore - result.overlapNewlines
            for match in result.matches {
                // A match in the overlap was also found in the chunk before, at the same line:
                // the ledger keeps one occurrence.
                context.ledger.record(match, at: Occurrence(commit: nil, path: name, line: firstLine + match.line,
                                                            blob: nil, decoding: match.decoding),
                                      inHead: true)
            }
            newlinesBefore += result.ownNewlines
            stats.bytes += result.bytes
        }
    }

    private func work(_ progress: Progress, size: Int, context: ScanContext) {
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: overlap + chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while let chunk = progress.claim() {
            let own = chunk * chunkSize
            let start = max(0, own - overlap)
            let end = min(size, own + chunkSize)
            let filled: Int
            do {
                filled = try read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(end - start)]), at: start)
            } catch {
                progress.fail(error)
                return
            }
            // A file that shrank while it was read is scanned as far as it goes.
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            let text = bytes.bindMemory(to: UInt8.self)
            let ownStart = min(own - start, filled)
            progress.store(ChunkResult(matches: scanner.detect(in: bytes),
                                       ownNewlines: ByteSearch.count(0x0A, in: text, ownStart..<filled),
                                       overlapNewlines: ByteSearch.count(0x0A, in: text, 0..<ownStart),
                                       bytes: filled - ownStart),
                           at: chunk)
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
