import Foundation

/// One pack's `.idx` file (version 2): the id and pack-file offset of every object it holds.
struct PackIndex {
    /// The `.pack` file the index describes.
    let packPath: String
    var ids: [ObjectID] = []
    var offsets: [UInt64] = []

    /// Every `objects/pack/*.idx` of the repository whose object directory is `objects`, by name.
    static func all(objectsDirectory objects: String) -> [PackIndex] {
        let directory = (objects as NSString).appendingPathComponent("pack")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".idx") }.sorted()
        return names.compactMap { name in
            let path = (directory as NSString).appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            var index = PackIndex(packPath: String(path.dropLast(4)) + ".pack")
            guard data.withUnsafeBytes({ index.read($0) }) else { return nil }
            return index
        }
    }

    private mutating func read(_ raw: UnsafeRawBufferPointer) -> Bool {
        func u32(_ at: Int) -> UInt32 { UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        guard raw.count >= 8 + 1024, u32(0) == 0xFF74_4F63, u32(4) == 2 else { return false }
        let count = Int(u32(8 + 255 * 4))
        let idStart = 8 + 1024
        let offsetStart = idStart + 20 * count + 4 * count
        let large = offsetStart + 4 * count
        guard raw.count >= large else { return false }
        ids.reserveCapacity(count)
        offsets.reserveCapacity(count)
        for i in 0..<count {
            var offset = UInt64(u32(offsetStart + 4 * i))
            if offset & 0x8000_0000 != 0 {
                let slot = large + 8 * Int(offset & 0x7FFF_FFFF)
                guard slot + 8 <= raw.count else { continue }
                offset = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: slot, as: UInt64.self))
            }
            ids.append(ObjectID(rawBytes: raw.baseAddress! + idStart + 20 * i))
            offsets.append(offset)
        }
        return true
    }
}
