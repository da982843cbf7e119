import Foundation

/// Git author dates (seconds and a zone written `+0200`) as ISO 8601 in the author's own zone:
/// the one formatter every report and the plan use.
enum GitDate {
    static func iso8601(_ seconds: Int64, zone: String) -> String {
        let sign: Int64 = zone.hasPrefix("-") ? -1 : 1
        let digits = zone.drop { $0 == "+" || $0 == "-" }
        let value = Int64(digits) ?? 0
        let offset = sign * ((value / 100) * 3600 + (value % 100) * 60)
        var time = time_t(seconds + offset)
        var parts = tm()
        gmtime_r(&time, &parts)
        let zoneText = digits.count == 4 ? "\(sign < 0 ? "-" : "+")\(digits.prefix(2)):\(digits.suffix(2))" : "+00:00"
        func pad(_ n: Int32, _ width: Int = 2) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))T"
            + "\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))\(zoneText)"
    }

    /// Seconds since 1970 of a date written by `iso8601` (read back from a JSON report).
    /// The form `iso8601` writes (`2026-11-22T08:49:21+01:00`, or `Z`) is read by hand: a merge
    /// reads millions of them, and a formatter per call cost minutes; anything else goes through one.
    static func seconds(iso8601 text: String) -> Int64? {
        var copy = text
        if let seconds = copy.withUTF8({ fixedForm($0) }) { return seconds }
        return ISO8601DateFormatter().date(from: text).map { Int64($0.timeIntervalSince1970.rounded()) }
    }

    private static func fixedForm(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard b.count == 20 || b.count == 25 else { return nil }
        func number(_ from: Int, _ count: Int) -> Int32? {
            var value: Int32 = 0
            for i in from..<(from + count) {
                let digit = b[i] &- 48
                guard digit < 10 else { return nil }
                value = value * 10 + Int32(digit)
            }
            return value
        }
        guard b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var offset: Int64 = 0
        if b.count == 20 {
            guard b[19] == 0x5A else { return nil }   // Z
        } else {
            guard b[19] == 0x2B || b[19] == 0x2D, b[22] == 0x3A, let h = number(20, 2), let m = number(23, 2) else { return nil }
            offset = (b[19] == 0x2D ? -1 : 1) * (Int64(h) * 3600 + Int64(m) * 60)
        }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        return Int64(timegm(&parts)) - offset
    }
}

extension CommitObject {
    /// What reports say of this commit: `order` is its position in the walk.
    func info(id: ObjectID, order: Int, unreachable: Bool = false) -> CommitInfo {
        CommitInfo(id: id.description, author: author, date: GitDate.iso8601(authorTime, zone: authorZone),
                   time: authorTime, order: order, unreachable: unreachable ? true : nil)
    }
}

extension Repository {
    /// The commit `id`, parsed; nil when its bytes are not a commit.
    func commit(_ id: ObjectID) throws -> CommitObject? {
        try withObject(id) { _, raw in CommitObject(raw) }
    }

    /// Every file of a tree with its path (symbolic links included, submodules left out).
    func files(in tree: ObjectID) throws -> [(path: String, blob: ObjectID)] {
        var files: [(String, ObjectID)] = []
        var pending: [(ObjectID, String)] = [(tree, "")]
        while let (next, prefix) = pending.popLast() {
            try withObject(next) { kind, raw in
                guard kind == .tree else { return }
                for entry in TreeEntries(raw) {
                    let name = prefix + String(decoding: entry.name, as: UTF8.self)
                    switch entry.kind {
                    case .tree: pending.append((entry.id, name + "/"))
                    case .blob: files.append((name, entry.id))
                    case .other: break
                    }
                }
            }
        }
        return files
    }
}
