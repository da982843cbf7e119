import Foundation

/// The entries of a tree that an earlier tree (the last one walked at the same directory) does
/// not hold byte for byte (mode, name and id). A commit usually changes a few entries of a
/// directory, so the common leading bytes are skipped without comparing entries, the changed
/// middle is merge-joined in git's tree order, and the iteration stops once the rest of both
/// trees is the same bytes from an entry boundary on (within their common trailing bytes).
struct ChangedEntries: Sequence, IteratorProtocol {
    private var current: TreeEntries
    private var earlier: TreeEntries
    private var candidate: TreeEntries.Entry?
    private let commonSuffix: Int

    init(_ tree: UnsafeRawBufferPointer, since earlierTree: UnsafeRawBufferPointer) {
        let new = tree.bindMemory(to: UInt8.self), old = earlierTree.bindMemory(to: UInt8.self)
        // Both trees parse alike up to the first differing byte: start at the entry holding it.
        let start = TreeEntries.startOfEntry(holding: ByteSearch.commonPrefix(new, old), in: new)
        current = TreeEntries(tree, from: start)
        earlier = TreeEntries(earlierTree, from: start)
        candidate = earlier.next()
        commonSuffix = ByteSearch.commonSuffix(new, old)
    }

    mutating func next() -> TreeEntries.Entry? {
        while true {
            let rest = current.remaining
            if rest == 0 { return nil }
            // Equal-length tails that are common trailing bytes, both from entry boundaries:
            // every remaining entry is repeated.
            if let old = candidate, rest <= commonSuffix, rest == old.record.count + earlier.remaining { return nil }
            guard let entry = current.next() else { return nil }
            while let old = candidate, Self.precedes(old, entry) { candidate = earlier.next() }
            if let old = candidate, old.record.count == entry.record.count,
               memcmp(old.record.baseAddress!, entry.record.baseAddress!, entry.record.count) == 0 {
                candidate = earlier.next()
                continue
            }
            return entry
        }
    }

    /// Git's `base_name_compare`: names bytewise, a directory's name as if it ended in "/".
    static func precedes(_ a: TreeEntries.Entry, _ b: TreeEntries.Entry) -> Bool {
        let common = Swift.min(a.name.count, b.name.count)
        if common > 0 {
            let order = memcmp(a.name.baseAddress!, b.name.baseAddress!, common)
            if order != 0 { return order < 0 }
        }
        return terminator(a, at: common) < terminator(b, at: common)
    }

    private static func terminator(_ entry: TreeEntries.Entry, at index: Int) -> UInt8 {
        if index < entry.name.count { return entry.name[index] }
        return entry.kind == .tree ? UInt8(ascii: "/") : 0
    }
}
