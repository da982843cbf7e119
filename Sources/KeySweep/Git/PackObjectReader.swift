/// Reads the trees and commits of a repository's packs by id for the history walk, resolving
/// delta chains itself and keeping the bases it resolved, up to a bound in bytes. The walk
/// reads trees in history order, oldest first, the reverse of how git chains them (a delta's
/// base is usually the newer version): libgit2 re-inflated a chain's bases whenever its small
/// delta-base cache had let them go, and that was most of the walk's time. Commits are read
/// here too: libgit2 inflated each one again after its own walk had (zlib, per object).
///
/// An object it cannot read (not packed, damaged, larger than the bound) is nil: the walk reads
/// it through libgit2, which names any damage.
final class PackObjectReader {
    private struct Pack {
        let layout: PackLayout
        let file: SequentialReader
        /// Entries other entries are deltas of: worth keeping once resolved.
        let isBase: [Bool]
    }

    private var packs: [Pack] = []
    private var location: [ObjectID: (pack: Int32, position: Int32)] = [:]
    private let inflater = Inflater()
    private var compressed: [UInt8] = []
    /// Resolved bases, oldest first out when over `maxCachedBytes`.
    private var cache: [Int: [UInt8]] = [:]
    private var order: [Int] = []
    private var orderHead = 0
    private var cachedBytes = 0
    let maxCachedBytes: Int
    let maxObjectSize: Int

    init(objectsDirectory: String, maxCachedBytes: Int = 48 << 20, maxObjectSize: Int = 64 << 20) {
        self.maxCachedBytes = maxCachedBytes
        self.maxObjectSize = maxObjectSize
        for index in PackIndex.all(objectsDirectory: objectsDirectory) {
            let layout = PackLayout(index: index)
            guard let file = SequentialReader(path: layout.packPath) else { continue }
            var isBase = [Bool](repeating: false, count: layout.count)
            for position in 0..<layout.count where layout.bases[position] >= 0 { isBase[Int(layout.bases[position])] = true }
            let pack = Int32(packs.count)
            for position in 0..<layout.count where location[layout.ids[position]] == nil {
                let kind = layout.kinds[position]
                if kind == PackEntryHeader.tree || kind == PackEntryHeader.commit { location[layout.ids[position]] = (pack, Int32(position)) }
            }
            packs.append(Pack(layout: layout, file: file, isBase: isBase))
        }
    }

    /// The tree's bytes, or nil when this reader cannot read it (or `id` is no tree). Shared
    /// with the cache, not copied: the walk keeps the last tree of each directory.
    func tree(_ id: ObjectID) -> [UInt8]? { object(id, kind: PackEntryHeader.tree) }

    /// Calls `body` with the tree's bytes, or returns nil when this reader cannot read it.
    func withTree<R>(_ id: ObjectID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let bytes = tree(id) else { return nil }
        return try bytes.withUnsafeBytes(body)
    }

    /// Calls `body` with the commit's bytes, or returns nil when this reader cannot read it.
    func withCommit<R>(_ id: ObjectID, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard let bytes = object(id, kind: PackEntryHeader.commit) else { return nil }
        return try bytes.withUnsafeBytes(body)
    }

    private func object(_ id: ObjectID, kind: UInt8) -> [UInt8]? {
        guard let (pack, position) = location[id], packs[Int(pack)].layout.kinds[Int(position)] == kind else { return nil }
        return resolve(Int(pack), Int(position))
    }

    private func resolve(_ packNumber: Int, _ position: Int) -> [UInt8]? {
        let pack = packs[packNumber]
        let layout = pack.layout
        // Down the chain to a base in hand or a whole object, then back up applying deltas.
        var chain: [Int] = []
        var current = position
        var bytes: [UInt8]
        while true {
            if let hit = cache[key(packNumber, current)] { bytes = hit; break }
            if layout.bases[current] < 0 {
                guard let whole = inflate(pack, current) else { return nil }
                bytes = whole
                keep(packNumber, current, whole)
                break
            }
            chain.append(current)
            current = Int(layout.bases[current])
            // Chains come from the pack's headers: a cycle of reference deltas is never a tree
            // (`PackLayout.kinds`), but a chain is still bounded.
            guard chain.count <= 10_000 else { return nil }
        }
        while let next = chain.popLast() {
            guard let delta = inflate(pack, next),
                  let result = PackDelta.apply(delta, to: bytes, maxSize: maxObjectSize) else { return nil }
            bytes = result
            keep(packNumber, next, result)
        }
        return bytes
    }

    private func key(_ pack: Int, _ position: Int) -> Int { pack << 32 | position }

    private func keep(_ packNumber: Int, _ position: Int, _ bytes: [UInt8]) {
        guard packs[packNumber].isBase[position], bytes.count <= maxCachedBytes / 8 else { return }
        let key = key(packNumber, position)
        guard cache[key] == nil else { return }
        cache[key] = bytes
        order.append(key)
        cachedBytes += bytes.count
        while cachedBytes > maxCachedBytes, orderHead < order.count {
            if let dropped = cache.removeValue(forKey: order[orderHead]) { cachedBytes -= dropped.count }
            orderHead += 1
        }
        if orderHead > 4096 && orderHead * 2 > order.count {
            order.removeFirst(orderHead)
            orderHead = 0
        }
    }

    private func inflate(_ pack: Pack, _ position: Int) -> [UInt8]? {
        guard pack.layout.sizes[position] <= UInt64(maxObjectSize), let range = pack.layout.dataRange(of: position),
              pack.file.read(range, into: &compressed) else { return nil }
        let length = Int(range.upperBound - range.lowerBound)
        return compressed.withUnsafeBytes { inflater.inflate(UnsafeRawBufferPointer(rebasing: $0[..<length]), size: Int(pack.layout.sizes[position])) }
    }
}
