import CDeflate

/// Inflates pack entries: the one holder of a libdeflate decompressor. A pack entry's header
/// gives its inflated size, so the whole output buffer is known before inflating, which is
/// what libdeflate needs (it keeps no stream state between calls, so no reset per entry
/// either). Streams are inflated raw past their two-byte header, so the Adler-32 trailer is
/// neither computed nor checked: pack entries are read from the local object store, as
/// libgit2 reads them with hash verification off (`GitLibrary`).
final class Inflater {
    private let decompressor: OpaquePointer?

    init() { decompressor = libdeflate_alloc_decompressor() }

    deinit { if let decompressor { libdeflate_free_decompressor(decompressor) } }

    /// The zlib stream at the start of `zlib` inflated, when it holds exactly `size` bytes;
    /// nil when it is damaged, shorter or longer.
    func inflate(_ zlib: UnsafeRawBufferPointer, size: Int) -> [UInt8]? {
        guard let decompressor, zlib.count > 2, size >= 0, size < Int.max else { return nil }
        let cmf = zlib[0], flg = zlib[1]
        // Deflate, no preset dictionary, a valid header check (RFC 1950).
        guard cmf & 0x0F == 8, flg & 0x20 == 0, (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else { return nil }
        var result = LIBDEFLATE_BAD_DATA
        // One spare byte: a stream that inflates past `size` fills it (or runs out of room)
        // and is refused. The bytes after the stream (its trailer, the next entry) are allowed.
        let out = [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, initialized in
            var read = 0, written = 0
            result = libdeflate_deflate_decompress_ex(decompressor, zlib.baseAddress! + 2, zlib.count - 2,
                                                      buffer.baseAddress!, size + 1, &read, &written)
            initialized = result == LIBDEFLATE_SUCCESS ? written : 0
        }
        guard result == LIBDEFLATE_SUCCESS, out.count == size else { return nil }
        return out
    }
}
