import Foundation

/// Standard input, or a file named as a target that is too large to read whole, read to its
/// end in chunks that overlap, so a secret across a chunk boundary is still found whole; memory
/// stays bounded whatever the input's size.
struct StreamSource {
    /// Bytes read per chunk, and bytes of the previous chunk scanned again with the next one.
    /// A secret longer than the overlap that straddles a boundary could be missed.
    var chunkSize = 8 << 20
    var overlap = 256 << 10
    var fileDescriptor: Int32 = 0
    /// The path occurrences name: `-` for standard input.
    var name = "-"

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
                if n < 0 {
                    if errno == EINTR { continue }
                    let why = String(cString: strerror(errno))
                    throw name == "-" ? ScanError.stdin(why) : ScanError.invalid("\(name): cannot read: \(why)")
                }
                if n == 0 { break }
                filled += n
            }
            let atEnd = filled < buffer.count
            if filled == carried && !firstChunk { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            stats.bytes += filled - carried
            if firstChunk && ContentScanner.skipsAsBinary(chunk, options: context.options) {
                guard name != "-" else { throw ScanError.binaryStdin }
                stats.skippedBinary += 1
                break
            }
            firstChunk = false
            for match in scanner.detect(in: chunk) {
                // A match in the carried part is found again here at the same line: the
                // ledger keeps one occurrence.
                context.ledger.record(match, at: Occurrence(commit: nil, path: name, line: carriedLines + match.line,
                                                            blob: nil, decoding: match.decoding),
                                      inHead: true)
            }
            if atEnd { break }
            let keep = min(overlap, filled)
            carriedLines += ByteSearch.count(0x0A, in: chunk.bindMemory(to: UInt8.self), 0..<(filled - keep))
            buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + (filled - keep), byteCount: keep)
            carried = keep
        }
        stats.files = 1
        context.add(stats)
    }
}

