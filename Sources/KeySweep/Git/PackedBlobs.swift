import Foundation

/// The entries of one pack in pack order, from their headers alone (nothing is inflated; the
/// pack is read sequentially, not mapped, so it costs a fraction of a second): each entry's
/// type, size, where its data starts and ends, its delta base, and the type a delta takes from
/// its base (a delta has its base's type).
struct PackLayout {
    let packPath: String
    /// Entry ids and offsets, by rising offset.
    private(set) var ids: [ObjectID] = []
    private(set) var offsets: [UInt64] = []
    /// Per entry: its own header's type and size, header length, and its base's position (-1: none).
    private(set) var types: [UInt8] = []
    private(set) var sizes: [UInt64] = []
    private(set) var headerLengths: [UInt8] = []
    private(set) var bases: [Int32] = []
    /// Per entry: 1...4 (commit, tree, blob, tag) once resolved through its bases; 0: unknown
    /// (a damaged header, a base outside the pack, a cycle of reference deltas).
    private(set) var kinds: [UInt8] = []
    /// Where the entries' data ends: the pack's size less its 20-byte trailer.
    private(set) var dataEnd: UInt64 = 0

    init(index: PackIndex) {
        packPath = index.packPath
        guard let reader = SequentialReader(path: index.packPath) else { return }
        let order = index.offsets.indices.sorted { index.offsets[$0] < index.offsets[$1] }
        offsets = order.map { index.offsets[$0] }
        ids = order.map { index.ids[$0] }
        let count = order.count
        types = [UInt8](repeating: 0, count: count)
        sizes = [UInt64](repeating: 0, count: count)
        headerLengths = [UInt8](repeating: 0, count: count)
        bases = [Int32](repeating: -1, count: count)
        kinds = [UInt8](repeating: 0, count: count)
        dataEnd = reader.size >= 20 ? reader.size - 20 : 0
        var referenceBases: [(position: Int, id: ObjectID)] = []
        for (position, offset) in offsets.enumerated() {
            reader.withBytes(at: offset, count: PackEntryHeader.maxLength) { b in
                guard let header = PackEntryHeader(b, at: offset) else { return }
                types[position] = header.type
                sizes[position] = header.size
                headerLengths[position] = UInt8(header.length)
                switch header.base {
                case .none:
                    if (PackEntryHeader.commit...PackEntryHeader.tag).contains(header.type) { kinds[position] = header.type }
                case .offset(let at):
                    if let found = Self.position(of: at, in: offsets) { bases[position] = Int32(found) }
                case .reference(let id):
                    referenceBases.append((position, id))
                }
            }
        }
        if !referenceBases.isEmpty {
            var positionOf: [ObjectID: Int] = [:]
            for (position, id) in ids.enumerated() { positionOf[id] = position }
            for (position, id) in referenceBases { bases[position] = Int32(positionOf[id] ?? -1) }
        }
        // Deltas take their base's type; a base may itself be a delta (chains), and a reference
        // delta's base may come later in the pack, so resolve until nothing changes.
        var changed = true
        while changed {
            changed = false
            for position in kinds.indices where kinds[position] == 0 && bases[position] >= 0 && kinds[Int(bases[position])] != 0 {
                kinds[position] = kinds[Int(bases[position])]
                changed = true
            }
        }
    }

    var count: Int { ids.count }

    /// The bytes of entry `position`'s zlib data in the pack file.
    func dataRange(of position: Int) -> Range<UInt64>? {
        let start = offsets[position] + UInt64(headerLengths[position])
        let end = position + 1 < offsets.count ? offsets[position + 1] : dataEnd
        return headerLengths[position] > 0 && start < end ? start..<end : nil
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

/// The blobs stored in a repository's packs, in pack order, told apart from commits, trees and
/// tags by the pack entries' headers alone (`PackLayout`). Lets the history scan start reading
/// blobs before the walk has listed them.
enum PackedBlobs {
    static func inPackOrder(objectsDirectory: String) -> [ObjectID] {
        PackIndex.all(objectsDirectory: objectsDirectory).flatMap { blobs(in: PackLayout(index: $0)) }
    }

    static func blobs(in layout: PackLayout) -> [ObjectID] {
        layout.kinds.indices.filter { layout.kinds[$0] == PackEntryHeader.blob }.map { layout.ids[$0] }
    }
}

/// Reads a file forwards through a buffer, for small reads at rising offsets.
final class SequentialReader {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 4 << 20)
    private var start: UInt64 = 0
    private var count = 0
    let size: UInt64

    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        size = fstat(fd, &info) == 0 ? UInt64(info.st_size) : 0
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

    /// The `range` of the file, read into `into` (resized); false when the file is shorter.
    func read(_ range: Range<UInt64>, into: inout [UInt8]) -> Bool {
        let length = Int(range.upperBound - range.lowerBound)
        if into.count < length { into = [UInt8](repeating: 0, count: length) }
        return into.withUnsafeMutableBytes { raw in
            var filled = 0
            while filled < length {
                let n = pread(fd, raw.baseAddress! + filled, length - filled, off_t(range.lowerBound) + off_t(filled))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                filled += n
            }
            return true
        }
    }
}
