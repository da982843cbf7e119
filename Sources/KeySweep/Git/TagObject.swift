/// The parts of a raw annotated tag object keysweep needs, parsed straight from its bytes:
/// `object`, `type`, `tag`, `tagger`, then a blank line and the message (free text, scanned).
struct TagObject {
    /// The object tagged, and whether it is a tag itself (a tag of a tag).
    var target: ObjectID
    var targetIsTag: Bool
    /// The name the tag object gives itself (`tag v1.0`), as written.
    var name: String
    /// `Name <email>` of the tagger; empty for the old tags that have none.
    var tagger: String
    var taggerTime: Int64
    var taggerZone: String
    /// Byte range of the message inside the object.
    var messageRange: Range<Int>

    init?(_ raw: UnsafeRawBufferPointer) {
        let bytes = raw.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress, bytes.count >= 47 else { return nil }
        var target: ObjectID?
        var targetIsTag = false
        var name = ""
        var tagger = "", time: Int64 = 0, zone = "+0000"
        var position = 0
        let count = bytes.count
        while position < count {
            var end = position
            while end < count && bytes[end] != 0x0A { end += 1 }
            if end == position { position = end + 1; break } // blank line: message follows
            let line = UnsafeBufferPointer(rebasing: bytes[position..<end])
            if CommitObject.starts(line, "object "), line.count >= 47 {
                target = ObjectID(hexBytes: base + position + 7)
            } else if CommitObject.starts(line, "type ") {
                targetIsTag = String(decoding: line[(line.startIndex + 5)...], as: UTF8.self) == "tag"
            } else if CommitObject.starts(line, "tag ") {
                name = String(decoding: line[(line.startIndex + 4)...], as: UTF8.self)
            } else if CommitObject.starts(line, "tagger ") {
                (tagger, time, zone) = CommitObject.parseSignature(UnsafeBufferPointer(rebasing: line[(line.startIndex + 7)...]))
            }
            position = end + 1
        }
        guard let target else { return nil }
        self.target = target
        self.targetIsTag = targetIsTag
        self.name = name
        self.tagger = tagger
        self.taggerTime = time
        self.taggerZone = zone
        self.messageRange = min(position, count)..<count
    }

    /// The tag as the occurrences of its message name their "commit": the tag object, its
    /// tagger and date, placed after every commit walked (`order`).
    func info(id: ObjectID, order: Int) -> CommitInfo {
        CommitInfo(id: id.description, author: tagger, date: GitDate.iso8601(taggerTime, zone: taggerZone),
                   time: taggerTime, order: order)
    }
}
