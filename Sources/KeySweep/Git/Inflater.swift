import CZlib

/// zlib's inflate, kept for many streams (`inflateReset` between them): the one holder of a
/// `z_stream`. Streams are inflated raw past their two-byte header, so the Adler-32 trailer is
/// neither computed nor checked: pack entries are read from the local object store, as
/// libgit2 reads them with hash verification off (`GitLibrary`).
final class Inflater {
    private var stream = z_stream()
    private var ready = false

    init() {
        ready = inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK
    }

    deinit { if ready { inflateEnd(&stream) } }

    /// The zlib stream at the start of `zlib` inflated, when it holds exactly `size` bytes;
    /// nil when it is damaged, shorter or longer.
    func inflate(_ zlib: UnsafeRawBufferPointer, size: Int) -> [UInt8]? {
        guard ready, zlib.count > 2 else { return nil }
        let cmf = zlib[0], flg = zlib[1]
        // Deflate, no preset dictionary, a valid header check (RFC 1950).
        guard cmf & 0x0F == 8, flg & 0x20 == 0, (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else { return nil }
        guard inflateReset(&stream) == Z_OK else { return nil }
        var ended = false
        // One spare byte: a stream that inflates past `size` fills it and is refused.
        var out = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            stream.next_in = UnsafeMutablePointer(mutating: zlib.baseAddress!.assumingMemoryBound(to: UInt8.self) + 2)
            stream.next_out = buffer.baseAddress!
            var inLeft = zlib.count - 2, outLeft = size + 1
            // avail_in/avail_out are 32-bit: fed in slices.
            while true {
                let inSlice = min(inLeft, Int(UInt32.max)), outSlice = min(outLeft, Int(UInt32.max))
                stream.avail_in = UInt32(inSlice)
                stream.avail_out = UInt32(outSlice)
                let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                inLeft -= inSlice - Int(stream.avail_in)
                outLeft -= outSlice - Int(stream.avail_out)
                if code == Z_STREAM_END { ended = true; break }
                guard code == Z_OK, inLeft > 0 || stream.avail_in > 0, outLeft > 0 else { break }
                if stream.avail_in == UInt32(inSlice) && stream.avail_out == UInt32(outSlice) { break }   // no progress
            }
            initialized = size + 1 - outLeft
        }
        guard ended, out.count == size else { return nil }
        out.reserveCapacity(0)
        return out
    }
}
