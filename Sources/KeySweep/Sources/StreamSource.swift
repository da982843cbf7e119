import Foundation

/// Standard input, read to its end in chunks that overlap (`Chunking`), so a secret across a
/// chunk boundary is still found whole. The reading thread hands each chunk to `--jobs` workers, so a single
/// large input uses every core; memory stays bounded (a few chunks) whatever the input's size.
/// (A large file named as a target is read by the workers themselves: `LargeFileSource`.)
struct StreamSource {
    var chunkSize = Chunking.size
    var overlap = Chunking.overlap

    /// Buffers handed back by the workers for the next chunks: fresh ones would cost a page
    /// fault and a zeroed page every 4 KiB.
    private final class Buffers: @unchecked Sendable {
        private let lock = NSLock()
        private var free: [UnsafeMutableRawBufferPointer] = []
        let size: Int

        init(size: Int) { self.size = size }

        func take() -> UnsafeMutableRawBufferPointer {
            lock.withLock { free.popLast() } ?? UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        }

        func give(_ buffer: UnsafeMutableRawBufferPointer) { lock.withLock { free.append(buffer) } }

        deinit { for buffer in free { buffer.deallocate() } }
    }

    /// A chunk on its way to a worker, which gives its buffer back.
    private struct Chunk {
        var buffer: UnsafeMutableRawBufferPointer
        var filled: Int
        /// Newlines in the stream before the chunk's first byte.
        var linesBefore: Int
    }

    func scan(context: ScanContext) throws {
        let queue = WorkQueue<Chunk>(capacity: context.options.jobs)
        let buffers = Buffers(size: overlap + chunkSize)
        var workers: WorkerGroup?
        var stats = ScanStats()
        stats.files = 1
        defer {
            queue.close()
            workers?.wait()
            context.add(stats)
        }
        var buffer = buffers.take()
        var carried = 0          // bytes at the front of `buffer` kept from the previous chunk
        var linesBefore = 0
        while true {
            let filled: Int
            do { filled = try fill(buffer, from: carried) } catch { buffers.give(buffer); throw error }
            let atEnd = filled < buffer.count
            if filled == carried && workers != nil { buffers.give(buffer); break }
            stats.bytes += filled - carried
            if workers == nil {
                if ContentScanner.skipsAsBinary(UnsafeRawBufferPointer(rebasing: buffer[0..<filled]), options: context.options) {
                    buffers.give(buffer)
                    throw ScanError.binaryStdin
                }
                workers = Workers.run(context.options.jobs) { _ in StreamSource.work(queue, context: context, buffers: buffers) }
            }
            let chunk = Chunk(buffer: buffer, filled: filled, linesBefore: linesBefore)
            if atEnd { queue.push([chunk]); break }
            // The next chunk starts with this one's last `overlap` bytes.
            let keep = min(overlap, filled)
            let next = buffers.take()
            next.baseAddress!.copyMemory(from: buffer.baseAddress! + (filled - keep), byteCount: keep)
            linesBefore += ByteSearch.count(0x0A, in: UnsafeRawBufferPointer(buffer).bindMemory(to: UInt8.self), 0..<(filled - keep))
            queue.push([chunk])
            buffer = next
            carried = keep
        }
    }

    /// Reads into `buffer` after its first `start` bytes until it is full or the input ends;
    /// returns the bytes now in it.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, from start: Int) throws -> Int {
        var filled = start
        while filled < buffer.count {
            let n = read(STDIN_FILENO, buffer.baseAddress! + filled, buffer.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw ScanError.stdin(String(cString: strerror(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        return filled
    }

    private static func work(_ queue: WorkQueue<Chunk>, context: ScanContext, buffers: Buffers) {
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        while let batch = queue.pop() {
            for chunk in batch {
                for match in scanner.detect(in: UnsafeRawBufferPointer(rebasing: chunk.buffer[0..<chunk.filled])) {
                    // A match in the overlap is found again in the next chunk at the same
                    // line: the ledger keeps one occurrence.
                    context.ledger.record(match, at: Occurrence(commit: nil, path: "-", line: chunk.linesBefore + match.line,
                                                                blob: nil, decoding: match.decoding),
                                          inHead: true)
                }
                buffers.give(chunk.buffer)
            }
        }
    }
}

/// How inputs too large to scan whole are cut: each chunk is scanned as one content, with the
/// end of the chunk before it in front. A secret longer than the overlap that straddles a
/// boundary could be missed (PEM and PGP private key blocks are a few KiB), and a chunk is what
/// keywords and AWS pairing see as "the content". Small chunks keep the rules whose keywords
/// occur here and there (`discord`) from running over megabytes that do not need them: on a
/// 156 MB text file 2 MiB chunks scan in 0.11 s where 8 MiB chunks took 0.14 s.
enum Chunking {
    static let size = 2 << 20
    static let overlap = 64 << 10
}
