import Foundation

/// Standard input, read to its end in chunks that overlap, so a secret across a chunk
/// boundary is still found whole; memory stays bounded whatever the input's size.
struct StdinSource {
    /// Bytes read per chunk, and bytes of the previous chunk scanned again with the next one.
    /// A secret longer than the overlap that straddles a boundary could be missed.
    var chunkSize = 8 << 20
    var overlap = 256 << 10
    var fileDescriptor: Int32 = 0

    func scan(context: ScanContext) throws {
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: overlap + chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var stats = ScanStats()
        var carried = 0          // bytes at the front of the buffer kept from the previous chunk
        var carriedLines = 0     // newlines before the start of the buffer
        var firstChunk = true
        while true {
            var filled = carried
            while filled < buffer.count {
                let n = read(fileDescriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 { if errno == EINTR { continue }; throw ScanError.stdin(String(cString: strerror(errno))) }
                if n == 0 { break }
                filled += n
            }
            let atEnd = filled < buffer.count
            if filled == carried && !firstChunk { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            stats.bytes += filled - carried
            if firstChunk && !context.options.includeBinary && ContentScanner.looksBinary(chunk) {
                throw ScanError.binaryStdin
            }
            firstChunk = false
            for match in scanner.detect(in: chunk) {
                // A match in the carried part is found again here at the same line: the
                // ledger keeps one occurrence.
                context.ledger.record(match, at: Occurrence(commit: nil, path: "-", line: carriedLines + match.line,
                                                            blob: nil, decoding: match.decoding),
                                      inHead: true)
            }
            if atEnd { break }
            let keep = min(overlap, filled)
            carriedLines += StdinSource.newlines(in: UnsafeRawBufferPointer(rebasing: chunk[0..<(filled - keep)]))
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + (filled - keep), byteCount: keep)
            carried = keep
        }
        stats.files = 1
        context.add(stats)
    }

    /// Counts newlines with memchr (a generic `reduce` over the bytes costs several times more).
    static func newlines(in bytes: UnsafeRawBufferPointer) -> Int {
        guard var p = bytes.baseAddress else { return 0 }
        let end = p + bytes.count
        var lines = 0
        while p < end, let hit = memchr(p, 0x0A, end - p) {
            lines += 1
            p = UnsafeRawPointer(hit) + 1
        }
        return lines
    }
}

