import Foundation

/// Where each packed object lies in its pack file, read from the `.idx` files (version 2), so
/// objects can be read in the order they are stored: a delta's base is then usually the object
/// read just before, still in libgit2's delta-base cache.
struct PackOrder {
    private var positions: [ObjectID: UInt64] = [:]

    /// Reads every `objects/pack/*.idx` of the repository whose object directory is `objects`.
    init(objectsDirectory objects: String) {
        let packDirectory = (objects as NSString).appendingPathComponent("pack")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: packDirectory)) ?? []).filter { $0.hasSuffix(".idx") }.sorted()
        for (pack, name) in names.enumerated() {
            guard let data = FileManager.default.contents(atPath: (packDirectory as NSString).appendingPathComponent(name)) else { continue }
            data.withUnsafeBytes { raw in read(raw, pack: UInt64(pack)) }
        }
    }

    private mutating func read(_ raw: UnsafeRawBufferPointer, pack: UInt64) {
        func u32(_ at: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        guard raw.count >= 8 + 1024, u32(0) == 0xFF74_4F63, u32(4) == 2 else { return }
        let count = Int(u32(8 + 255 * 4))
        let ids = 8 + 1024
        let offsets = ids + 20 * count + 4 * count
        let large = offsets + 4 * count
        guard raw.count >= large else { return }
        positions.reserveCapacity(positions.count + count)
        for i in 0..<count {
            let id = ObjectID(rawBytes: raw.baseAddress! + ids + 20 * i)
            var offset = UInt64(u32(offsets + 4 * i))
            if offset & 0x8000_0000 != 0 {
                let slot = large + 8 * Int(offset & 0x7FFF_FFFF)
                guard slot + 8 <= raw.count else { continue }
                offset = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: slot, as: UInt64.self))
            }
            positions[id] = pack << 48 | offset
        }
    }

    /// A key that sorts objects by pack, then by offset; loose objects last.
    func key(_ id: ObjectID) -> UInt64 { positions[id] ?? UInt64.max }

    var isEmpty: Bool { positions.isEmpty }

    /// `ids` in pack order (unchanged when there are too few for the order to matter).
    static func sorted(_ ids: [ObjectID], objectsDirectory: String) -> [ObjectID] {
        guard ids.count > 256 else { return ids }
        let packs = PackOrder(objectsDirectory: objectsDirectory)
        guard !packs.isEmpty else { return ids }
        var keyed = ids.enumerated().map { (packs.key($0.element), $0.offset, $0.element) }
        keyed.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return keyed.map(\.2)
    }
}
