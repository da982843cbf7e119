import Foundation

/// Where each packed object lies in its pack file, read from the `.idx` files (version 2), so
/// objects can be read in the order they are stored: a delta's base is then usually the object
/// read just before, still in libgit2's delta-base cache.
struct PackOrder {
    private var positions: [ObjectID: UInt64] = [:]

    /// Reads every `objects/pack/*.idx` of the repository whose object directory is `objects`.
    init(objectsDirectory objects: String) {
        for (pack, index) in PackIndex.all(objectsDirectory: objects).enumerated() {
            positions.reserveCapacity(positions.count + index.ids.count)
            for (id, offset) in zip(index.ids, index.offsets) { positions[id] = UInt64(pack) << 48 | offset }
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
