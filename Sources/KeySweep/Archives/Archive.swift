import CLibArchive

/// An archive or compressed stream held in memory, read with libarchive: the only type that
/// holds its pointers. Reading never touches the file system (members are read into memory,
/// their names are only text) and never starts a program: only the filters libarchive decodes
/// itself are enabled (`Archive.filters`), never one it would hand to an external tool.
final class Archive {
    private let handle: OpaquePointer
    private var entry: OpaquePointer?

    /// One member's header.
    struct Member {
        /// The name as stored (any bytes: `..`, `/`, escapes), for reports only; empty for the
        /// single stream of a compressed file (`raw`).
        var name: String
        var isRegularFile: Bool
        var isEncrypted: Bool
    }

    /// The kinds keysweep opens, told by their first bytes (cheap: asked of every blob). A `.deb`
    /// is an `ar` archive, an RPM a lead and headers before a compressed `cpio`.
    enum Kind: String { case zip, tar, gzip, bzip2, xz, zstd, ar, cpio, sevenZip = "7z", iso9660, xar, cab, rpm }

    static func kind(of bytes: UnsafeRawBufferPointer) -> Kind? {
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        guard n >= 4 else { return nil }
        func starts(_ magic: String, at offset: Int = 0) -> Bool {
            let m = Array(magic.utf8)
            return n >= offset + m.count && m.indices.allSatisfy { b[offset + $0] == m[$0] }
        }
        switch (b[0], b[1], b[2], b[3]) {
        case (0x50, 0x4B, 0x03, 0x04), (0x50, 0x4B, 0x05, 0x06): return .zip
        case (0x1F, 0x8B, _, _): return .gzip
        case (0x28, 0xB5, 0x2F, 0xFD): return .zstd
        case (0xFD, 0x37, 0x7A, 0x58) where n >= 6 && b[4] == 0x5A && b[5] == 0x00: return .xz
        case (0x42, 0x5A, 0x68, 0x31...0x39) where n >= 10 && b[4] == 0x31 && b[5] == 0x41 && b[6] == 0x59 && b[7] == 0x26:
            return .bzip2
        case (0x37, 0x7A, 0xBC, 0xAF) where n >= 6 && b[4] == 0x27 && b[5] == 0x1C: return .sevenZip
        case (0xED, 0xAB, 0xEE, 0xDB): return .rpm
        default: break
        }
        if starts("!<arch>\n") { return .ar }
        if starts("070701") || starts("070702") || starts("070707") { return .cpio }
        if starts("xar!") { return .xar }
        if starts("MSCF\0\0\0\0") { return .cab }
        // ustar magic at 257; an ISO 9660 volume descriptor at 32 KiB.
        if starts("ustar", at: 257) { return .tar }
        if starts("CD001", at: 32769) { return .iso9660 }
        return nil
    }

    /// The decompression filters libarchive runs in-process on this system (a filter it can only
    /// run through an external program answers ARCHIVE_WARN when enabled: left out).
    private enum Filter: CaseIterable {
        case gzip, bzip2, xz, lzma, zstd, rpm

        func enable(_ handle: OpaquePointer) -> Int32 {
            switch self {
            case .gzip: return archive_read_support_filter_gzip(handle)
            case .bzip2: return archive_read_support_filter_bzip2(handle)
            case .xz: return archive_read_support_filter_xz(handle)
            case .lzma: return archive_read_support_filter_lzma(handle)
            case .zstd: return archive_read_support_filter_zstd(handle)
            case .rpm: return archive_read_support_filter_rpm(handle)
            }
        }
    }

    private static let filters: [Filter] = Filter.allCases.filter { filter in
        guard let probe = archive_read_new() else { return false }
        defer { archive_read_free(probe) }
        return filter.enable(probe) == ARCHIVE_OK
    }

    /// The formats read (each one `Kind`; `raw` is a compressed file's one stream). Never
    /// mtree, whose entries name files on disk to read.
    private static func enableFormats(_ handle: OpaquePointer) {
        archive_read_support_format_zip(handle)
        archive_read_support_format_tar(handle)
        archive_read_support_format_ar(handle)
        archive_read_support_format_cpio(handle)
        archive_read_support_format_7zip(handle)
        archive_read_support_format_iso9660(handle)
        archive_read_support_format_xar(handle)
        archive_read_support_format_cab(handle)
        archive_read_support_format_raw(handle)
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Opens `bytes` (which must outlive the archive).
    init(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle = archive_read_new() else { throw Failure(description: "cannot start libarchive") }
        self.handle = handle
        for filter in Archive.filters { _ = filter.enable(handle) }
        Archive.enableFormats(handle)
        // Every stored property is set: a throw from here on runs `deinit`, which frees `handle`.
        guard archive_read_open_memory(handle, bytes.baseAddress, bytes.count) == ARCHIVE_OK else {
            throw Failure(description: Archive.message(handle))
        }
    }

    deinit { archive_read_free(handle) }

    /// The next member; nil at the end. Throws when the archive is damaged past reading on.
    func next() throws -> Member? {
        var entry: OpaquePointer?
        let code = archive_read_next_header(handle, &entry)
        if code == ARCHIVE_EOF { return nil }
        guard code == ARCHIVE_OK || code == ARCHIVE_WARN, let entry else { throw Failure(description: Archive.message(handle)) }
        self.entry = entry
        let raw = archive_format(handle) == ARCHIVE_FORMAT_RAW
        let name = raw ? "" : (archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)).map { String(cString: $0) } ?? "?"
        // An ar member's mode (`644` from `ar rc`) holds no file type: its data is a file's.
        let type = archive_entry_filetype(entry)
        return Member(name: name, isRegularFile: raw || type == 0o100000 /* AE_IFREG */ || type == 0,
                      isEncrypted: archive_entry_is_encrypted(entry) != 0)
    }

    /// Reads the current member's data in pieces, passing each to `body` until it returns false
    /// or the member ends. Throws when the data cannot be read (damaged, encrypted), after
    /// passing every piece read before the damage: blocks are taken as libarchive decodes them
    /// (`archive_read_data_block`), because `archive_read_data` drops a buffer it had filled
    /// in part when the next block fails, so a member of a truncated `.tar.gz` shorter than
    /// 64 KiB gave nothing. A sparse member's holes are left out (they hold no text).
    func read(_ body: (UnsafeRawBufferPointer) -> Bool) throws {
        var block: UnsafeRawPointer?
        var size = 0
        var offset: la_int64_t = 0
        while true {
            let code = archive_read_data_block(handle, &block, &size, &offset)
            if code == ARCHIVE_EOF { return }
            guard code == ARCHIVE_OK || code == ARCHIVE_WARN else { throw Failure(description: Archive.message(handle)) }
            guard size > 0, let block else { continue }
            if !body(UnsafeRawBufferPointer(start: block, count: size)) { return }
        }
    }

    /// Bytes of the archive consumed so far (compressed).
    var consumed: Int { Int(archive_filter_bytes(handle, -1)) }

    /// Bytes decompressed so far for the format reader: headers, members' data and padding
    /// (for a zip, whose members are compressed by the format, the bytes of the zip read).
    var decompressed: Int { Int(archive_filter_bytes(handle, 0)) }

    private static func message(_ handle: OpaquePointer) -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unreadable archive"
    }
}
