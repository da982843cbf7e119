import Foundation

/// The blobs stored in a repository's packs, in pack order, told apart from commits, trees and
/// tags by the pack entries' headers alone (a delta takes the type of its base): nothing is
/// inflated, and the pack is read sequentially, not mapped, so it costs a fraction of a second.
/// Lets the history scan start reading blobs before the walk has listed them.
enum PackedBlobs {
    static func inPackOrder(objectsDirectory: String) -> [ObjectID] {
        PackIndex.all(objectsDirectory: objectsDirectory).flatMap(blobs)
    }

    /// Object types as pack headers number them.
    private static let commit: UInt8 = 1, tag: UInt8 = 4, blob: UInt8 = 3, offsetDelta: UInt8 = 6, referenceDelta: UInt8 = 7

    static func blobs(in index: PackIndex) -> [ObjectID] {
        guard let reader = SequentialReader(path: index.packPath) else { return [] }
        let order = index.offsets.indices.sorted { index.offsets[$0] < index.offsets[$1] }
        let offsets = order.map { index.offsets[$0] }
        var kinds = [UInt8](repeating: 0, count: order.count)      // 1...4 once known
        var base = [Int](repeating: -1, count: order.count)         // position of a delta's base
        var referenceBases: [(position: Int, id: ObjectID)] = []
        for (position, offset) in offsets.enumerated() {
            reader.withBytes(at: offset, count: 32) { b in
                guard !b.isEmpty else { return }
                var i = 0
                var c = b[i]; i += 1
                let type = (c >> 4) & 7
                while c & 0x80 != 0 && i < b.count { c = b[i]; i += 1 }
                switch type {
                case commit...tag:
                    kinds[position] = type
                case offsetDelta:
                    guard i < b.count else { return }
                    c = b[i]; i += 1
                    var distance = UInt64(c & 0x7F)
                    while c & 0x80 != 0 && i < b.count {
                        // A distance past 64 bits is damage (git's check), not an overflow trap.
                        guard distance < (1 << 57) - 1 else { return }
                        c = b[i]; i += 1; distance = ((distance + 1) << 7) | UInt64(c & 0x7F)
                    }
                    guard distance <= offset, let found = Self.position(of: offset - distance, in: offsets) else { return }
                    base[position] = found
                case referenceDelta:
                    guard i + 20 <= b.count else { return }
                    referenceBases.append((position, ObjectID(rawBytes: UnsafeRawPointer(b.baseAddress! + i))))
                default:
                    break
                }
            }
        }
        if !referenceBases.isEmpty {
            var positionOf: [ObjectID: Int] = [:]
            for (position, entry) in order.enumerated() { positionOf[index.ids[entry]] = position }
            for (position, id) in referenceBases { base[position] = positionOf[id] ?? -1 }
        }
        // Deltas take their base's type; a base may itself be a delta (chains), and a reference
        // delta's base may come later in the pack, so resolve until nothing changes.
        var changed = true
        while changed {
            changed = false
            for position in kinds.indices where kinds[position] == 0 && base[position] >= 0 && kinds[base[position]] != 0 {
                kinds[position] = kinds[base[position]]
                changed = true
            }
        }
        return kinds.indices.filter { kinds[$0] == blob }.map { index.ids[order[$0]] }
    }

    private static func position(of offset: UInt64, in offsets: [UInt64]) -> Int? {
        var low = 0, high = offsets.count
        while low < high {
            let middle = (low + high) / 2
            if offsets[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low < offsets.count && offsets[low] == offset ? low : nil
    }
}

/// Reads a file forwards through a buffer, for small reads at rising offsets.
private final class SequentialReader {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 4 << 20)
    private var start: UInt64 = 0
    private var count = 0

    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    /// Up to `length` bytes at `offset` (fewer at the end of the file, none past it).
    func withBytes(at offset: UInt64, count length: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if offset < start || offset + UInt64(length) > start + UInt64(count) {
            start = offset
            count = buffer.withUnsafeMutableBytes { raw in
                var filled = 0
                while filled < raw.count {
                    let n = pread(fd, raw.baseAddress! + filled, raw.count - filled, off_t(offset) + off_t(filled))
                    if n < 0 && errno == EINTR { continue }
                    if n <= 0 { break }
                    filled += n
                }
                return filled
            }
        }
        let from = min(Int(offset - start), count)
        let available = max(0, min(length, count - from))
        buffer.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[from..<(from + available)])) }
    }
}
