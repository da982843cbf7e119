import Foundation

/// The `/FlateDecode` streams of a PDF (page contents, object streams, embedded files): text
/// there is zlib-compressed. Found by their `stream` … `endstream` keywords, not by the cross-
/// reference table (a damaged or cut PDF still gives the streams before the damage); each is
/// named after its object (`stream 3` for `3 0 obj`) and inflated by `ArchiveExtraction` as a
/// compressed member, under the same limits. Other filters (DCT images, LZW) are left alone.
enum PDFStreams {
    struct Stream {
        var name: String
        /// The stream's bytes as a gzip member: libarchive inflates gzip, not bare zlib.
        var gzip: [UInt8]
    }

    /// How far before `stream` its dictionary (and `N 0 obj`) is looked for.
    static let dictionaryReach = 4096

    static func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 8 && bytes.prefix(5).elementsEqual("%PDF-".utf8)
    }

    /// At most `limit` streams, in the order they appear.
    static func flateStreams(_ bytes: UnsafeRawBufferPointer, limit: Int) -> [Stream] {
        let b = bytes.bindMemory(to: UInt8.self)
        var streams: [Stream] = []
        var from = 0, previousEnd = 0
        while streams.count < limit, let at = find("stream", in: b, from: from) {
            from = at + 6
            // `endstream` is not a start; the keyword is followed by CRLF or LF.
            if at >= 3 && b[at - 3] == UInt8(ascii: "e") && b[at - 2] == UInt8(ascii: "n") && b[at - 1] == UInt8(ascii: "d") { continue }
            var start = at + 6
            if start < b.count && b[start] == 0x0D { start += 1 }
            guard start < b.count, b[start] == 0x0A else { continue }
            start += 1
            let end = find("endstream", in: b, from: start) ?? b.count
            let dictionary = UnsafeBufferPointer(rebasing: b[max(previousEnd, at - dictionaryReach)..<at])
            previousEnd = end
            from = end
            guard find("/FlateDecode", in: dictionary, from: 0) != nil,
                  let gzip = gzipMember(zlib: UnsafeBufferPointer(rebasing: b[start..<end])) else { continue }
            streams.append(Stream(name: "stream " + (objectNumber(in: dictionary) ?? "#\(streams.count + 1)"), gzip: gzip))
        }
        return streams
    }

    /// `N` of the last `N G obj` in `text`.
    static func objectNumber(in text: UnsafeBufferPointer<UInt8>) -> String? {
        guard let obj = findLast(" obj", in: text) else { return nil }
        var i = obj
        func digits() -> Range<Int>? {
            let end = i
            while i > 0, end - i < 10, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(text[i - 1]) { i -= 1 }
            return i < end ? i..<end : nil
        }
        // Back over the generation, a space, the object number.
        guard digits() != nil, i > 0, text[i - 1] == 0x20 else { return nil }
        i -= 1
        guard let number = digits() else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: text[number]), as: UTF8.self)
    }

    /// A zlib stream (RFC 1950: a method byte of 8, no preset dictionary) reframed as gzip:
    /// the same deflate data behind a gzip header, and an empty trailer (libarchive's gzip
    /// reader does not check the CRC; a damaged stream ends the member, keeping what came before).
    static func gzipMember(zlib: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard zlib.count > 2, zlib[0] & 0x0F == 8, zlib[1] & 0x20 == 0, (UInt16(zlib[0]) << 8 | UInt16(zlib[1])) % 31 == 0 else { return nil }
        return [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF] + zlib[2...] + [UInt8](repeating: 0, count: 8)
    }

    private static func find(_ word: String, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let w = Array(word.utf8)
        guard from >= 0, b.count >= w.count else { return nil }
        var i = from
        while i <= b.count - w.count {
            guard let base = b.baseAddress, let hit = memchr(base + i, Int32(w[0]), b.count - w.count + 1 - i) else { return nil }
            i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if memcmp(base + i, w, w.count) == 0 { return i }
            i += 1
        }
        return nil
    }

    private static func findLast(_ word: String, in b: UnsafeBufferPointer<UInt8>) -> Int? {
        let w = Array(word.utf8)
        guard b.count >= w.count else { return nil }
        for i in stride(from: b.count - w.count, through: 0, by: -1) where b[i] == w[0] {
            if (0..<w.count).allSatisfy({ b[i + $0] == w[$0] }) { return i }
        }
        return nil
    }
}
