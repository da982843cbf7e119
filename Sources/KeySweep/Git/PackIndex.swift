import Foundation

/// One pack's `.idx` file (version 2): the id and pack-file offset of every object it holds.
/// Also the check that an index is sound before libgit2 reads it: libgit2 crashes on some
/// damaged ones (a fan-out count past the file), and anyone who can push can hand keysweep one.
struct PackIndex {
    /// The `.pack` file the index describes.
    let packPath: String
    var ids: [ObjectID] = []
    var offsets: [UInt64] = []

    /// Every sound `objects/pack/*.idx` of the repository whose object directory is `objects`, by name.
    static func all(objectsDirectory objects: String) -> [PackIndex] {
        indexPaths(objectsDirectory: objects).compactMap { path in
            guard let data = contents(path) else { return nil }
            var index = PackIndex(packPath: String(path.dropLast(4)) + ".pack")
            guard data.withUnsafeBytes({ index.read($0, packSize: Self.size(of: index.packPath)) }) else { return nil }
            return index
        }
    }

    static func indexPaths(objectsDirectory objects: String) -> [String] {
        let directory = (objects as NSString).appendingPathComponent("pack")
        return ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".idx") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// What is wrong with the index at `path`, or nil when its layout is sound (or it is a
    /// version-1 index, which libgit2 reads with its own checks).
    static func damage(at path: String) -> String? {
        guard let data = contents(path) else { return nil }
        return data.withUnsafeBytes { Layout($0, packSize: size(of: String(path.dropLast(4)) + ".pack"))?.damage }
    }

    /// The file's bytes. An empty file is not read: Foundation's `contents(atPath:)` leaks a
    /// 4 KiB buffer on one (found by the pack-index fuzzer's leak check).
    private static func contents(_ path: String) -> Data? {
        guard let size = size(of: path) else { return nil }
        return size == 0 ? Data() : FileManager.default.contents(atPath: path)
    }

    private static func size(of path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : nil
    }

    private mutating func read(_ raw: UnsafeRawBufferPointer, packSize: UInt64?) -> Bool {
        guard let layout = Layout(raw, packSize: packSize), layout.damage == nil else { return false }
        ids.reserveCapacity(layout.count)
        offsets.reserveCapacity(layout.count)
        for i in 0..<layout.count {
            ids.append(ObjectID(rawBytes: raw.baseAddress! + layout.idStart + 20 * i))
            offsets.append(layout.offset(i))
        }
        return true
    }

    /// The tables of a version-2 index: 8 bytes of header, 256 fan-out counts, then per object
    /// a 20-byte id, a CRC and a 4-byte offset (its top bit set: an index into a table of 8-byte
    /// offsets that follows), then two 20-byte checksums.
    private struct Layout {
        let raw: UnsafeRawBufferPointer
        let count: Int
        let idStart = 8 + 1024
        var offsetStart: Int { idStart + 24 * count }
        var largeStart: Int { offsetStart + 4 * count }
        /// Nil when sound.
        private(set) var damage: String?

        /// Nil for anything but a version-2 index.
        init?(_ raw: UnsafeRawBufferPointer, packSize: UInt64?) {
            self.raw = raw
            guard raw.count >= 8, Self.u32(raw, 0) == 0xFF74_4F63 else { return nil }
            guard Self.u32(raw, 4) == 2 else { count = 0; damage = "unknown pack index version \(Self.u32(raw, 4))"; return }
            guard raw.count >= 8 + 1024 + 40 else { count = 0; damage = "pack index is truncated"; return }
            var previous: UInt32 = 0
            for slot in 0..<256 {
                let value = Self.u32(raw, 8 + 4 * slot)
                if value < previous { count = 0; damage = "pack index fan-out is not ascending"; return }
                previous = value
            }
            count = Int(previous)
            // Each object takes 28 bytes: a count past the file is damage, found before multiplying further.
            guard count <= (raw.count - 8 - 1024 - 40) / 28 else { damage = "pack index lists \(count) objects, more than its size holds"; return }
            var large = 0
            for i in 0..<count where Self.u32(raw, offsetStart + 4 * i) & 0x8000_0000 != 0 { large += 1 }
            guard raw.count == largeStart + 8 * large + 40 else { damage = "pack index size does not match its tables"; return }
            for i in 0..<count {
                let small = Self.u32(raw, offsetStart + 4 * i)
                if small & 0x8000_0000 != 0 && Int(small & 0x7FFF_FFFF) >= large {
                    damage = "pack index offset \(i) points past its large-offset table"; return
                }
                let offset = self.offset(i)
                if offset >= UInt64(Int64.max) || (packSize.map { offset >= $0 } ?? false) {
                    damage = "pack index offset \(i) lies past the end of its pack"; return
                }
            }
        }

        /// Object `i`'s offset in the pack (its large-offset slot checked by `init`).
        func offset(_ i: Int) -> UInt64 {
            let small = Self.u32(raw, offsetStart + 4 * i)
            guard small & 0x8000_0000 != 0 else { return UInt64(small) }
            let slot = largeStart + 8 * Int(small & 0x7FFF_FFFF)
            guard slot + 8 <= raw.count else { return UInt64.max }
            return UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: slot, as: UInt64.self))
        }

        static func u32(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
            UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }
    }
}

extension Repository {
    /// Throws when a pack index of the repository is damaged, before libgit2 reads it.
    func checkPackIndexes() throws {
        for path in PackIndex.indexPaths(objectsDirectory: objectsDirectory) {
            if let damage = PackIndex.damage(at: path) {
                throw GitError(message: "\((path as NSString).lastPathComponent): \(damage)")
            }
        }
    }
}
