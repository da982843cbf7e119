import Foundation

/// The parts of a raw commit object keysweep needs, parsed straight from its bytes.
struct CommitObject {
    var tree: ObjectID
    var parentCount: Int
    /// The first `parent` header (the branch a merge was made on).
    var firstParent: ObjectID?
    /// `Name <email>` of the author.
    var author: String
    /// Author time, seconds since 1970, and the zone as written (`+0200`).
    var authorTime: Int64
    var authorZone: String
    /// Byte range of the message inside the object.
    var messageRange: Range<Int>

    /// Parses the header lines (`tree`, `parent`, `author`) and locates the message.
    init?(_ raw: UnsafeRawBufferPointer) {
        let bytes = raw.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress, bytes.count >= 45 else { return nil }
        var tree: ObjectID?
        var parents = 0
        var firstParent: ObjectID?
        var author = ""
        var time: Int64 = 0
        var zone = "+0000"
        var position = 0
        let count = bytes.count
        while position < count {
            var end = position
            while end < count && bytes[end] != 0x0A { end += 1 }
            if end == position { position = end + 1; break } // blank line: message follows
            let line = UnsafeBufferPointer(rebasing: bytes[position..<end])
            if CommitObject.starts(line, "tree "), line.count >= 45 {
                tree = ObjectID(hexBytes: base + position + 5)
            } else if CommitObject.starts(line, "parent ") {
                if parents == 0 && line.count >= 47 { firstParent = ObjectID(hexBytes: base + position + 7) }
                parents += 1
            } else if CommitObject.starts(line, "author ") {
                (author, time, zone) = CommitObject.parseSignature(UnsafeBufferPointer(rebasing: line[(line.startIndex + 7)...]))
            }
            position = end + 1
        }
        guard let tree else { return nil }
        self.tree = tree
        self.parentCount = parents
        self.firstParent = firstParent
        self.author = author
        self.authorTime = time
        self.authorZone = zone
        self.messageRange = min(position, count)..<count
    }

    static func starts(_ line: UnsafeBufferPointer<UInt8>, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard line.count >= n else { return false }
        let p = prefix.utf8Start
        for i in 0..<n where line[line.startIndex + i] != p[i] { return false }
        return true
    }

    /// `Name <email> 1700000000 +0100`
    static func parseSignature(_ text: UnsafeBufferPointer<UInt8>) -> (String, Int64, String) {
        guard let close = text.lastIndex(of: UInt8(ascii: ">")) else {
            return (String(decoding: text, as: UTF8.self), 0, "+0000")
        }
        let who = String(decoding: text[text.startIndex...close], as: UTF8.self)
        let rest = String(decoding: text[(close + 1)...], as: UTF8.self).split(separator: " ")
        let time = rest.first.flatMap { Int64($0) } ?? 0
        let zone = rest.count > 1 ? String(rest[1]) : "+0000"
        return (who, time, zone)
    }
}

/// Iterates the entries of a raw tree object: `mode SP name NUL 20-byte-id`, repeated.
struct TreeEntries: Sequence, IteratorProtocol {
    enum Kind { case blob, tree, other }
    struct Entry {
        var kind: Kind
        var name: UnsafeBufferPointer<UInt8>
        var id: ObjectID
        /// The entry's bytes as stored, mode to id: equal records are equal entries.
        var record: UnsafeBufferPointer<UInt8>
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var position: Int

    init(_ raw: UnsafeRawBufferPointer, from start: Int = 0) {
        bytes = raw.bindMemory(to: UInt8.self)
        position = Swift.min(start, bytes.count)
    }

    /// Bytes not yet iterated.
    var remaining: Int { bytes.count - position }

    /// Where the entry holding byte `offset` starts (the tree's end when `offset` is past its
    /// last entry): found by walking the entries from the start, as `next` would.
    static func startOfEntry(holding offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var position = 0
        while position < bytes.count, let entry = fields(at: position, in: bytes), entry.nul + 21 <= offset {
            position = entry.nul + 21
        }
        return Swift.min(position, bytes.count)
    }

    /// The space after the mode and the NUL after the name of the entry at `position`, or nil
    /// when the tree ends before the entry's id does.
    private static func fields(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (space: Int, nul: Int)? {
        let count = bytes.count
        var space = position
        while space < count && bytes[space] != 0x20 { space += 1 }
        var nul = space + 1
        if nul < count, let found = memchr(bytes.baseAddress! + nul, 0, count - nul) {
            nul = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
        } else {
            nul = count
        }
        return nul + 21 <= count ? (space, nul) : nil
    }

    mutating func next() -> Entry? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let fields = Self.fields(at: position, in: bytes) else { position = bytes.count; return nil }
        let space = fields.space, nul = fields.nul
        // Modes: 40000 tree, 100644/100755 blob, 120000 symlink (a blob), 160000 submodule.
        let modeLength = space - position
        let kind: Kind
        if modeLength == 5 && bytes[position] == UInt8(ascii: "4") {
            kind = .tree
        } else if modeLength == 6 && bytes[position] == UInt8(ascii: "1") && bytes[position + 1] != UInt8(ascii: "6") {
            kind = .blob
        } else {
            kind = .other
        }
        let entry = Entry(kind: kind,
                          name: UnsafeBufferPointer(start: base + space + 1, count: nul - space - 1),
                          id: ObjectID(rawBytes: base + nul + 1),
                          record: UnsafeBufferPointer(start: base + position, count: nul + 21 - position))
        position = nul + 21
        return entry
    }
}
