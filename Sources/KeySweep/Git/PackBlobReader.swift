/// Reads the blobs of one pack as `git index-pack` resolves a pack: each entry inflated once,
/// and each delta applied to its base's bytes while the base is still in hand, depth first
/// over the tree of deltas that hang from each whole blob. Reading a chain costs one inflate
/// per link, where reading blob by blob through libgit2 inflates a base again whenever its
/// delta-base cache has dropped it.
///
/// Bounded: an entry larger than `maxObjectSize` is not read (nor anything built on it), and
/// the bases held at once (the depth-first path) stay under `maxHeldBytes`. What is not read
/// here (those, a damaged entry or delta, a base in another pack, a cycle of reference deltas)
/// is returned for the caller to read another way (libgit2), which names any damage.
struct PackBlobReader {
    let layout: PackLayout
    let maxObjectSize: Int
    let maxHeldBytes: Int

    /// Calls `deliver` with each blob it reads, bases before their deltas, until it returns
    /// false; returns the blobs it did not deliver.
    func read(_ deliver: (ObjectID, [UInt8]) -> Bool) -> [ObjectID] {
        read { (id: ObjectID, bytes: [UInt8], _: Derived<Bool>?) -> Bool? in deliver(id, bytes) ? true : nil }
    }

    /// What a delta was made from: what the caller attached to its base, and the ranges it copies.
    typealias Derived<Attachment> = (base: Attachment, copies: [PackDelta.Copy])

    /// The same, where the caller attaches something to each blob (what it learnt of it) and is
    /// given, with each delta, its base's attachment and what the delta copies from the base;
    /// `deliver` returns nil to stop.
    func read<Attachment>(_ deliver: (ObjectID, [UInt8], Derived<Attachment>?) -> Attachment?) -> [ObjectID] {
        let count = layout.count
        let isBlob = { (position: Int) in layout.kinds[position] == PackEntryHeader.blob }
        // Each entry's deltas, as ranges of one array (most entries have none).
        var childCount = [Int32](repeating: 0, count: count + 1)
        for position in 0..<count where layout.bases[position] >= 0 && isBlob(position) { childCount[Int(layout.bases[position])] += 1 }
        var childStart = [Int32](repeating: 0, count: count + 1)
        for position in 0..<count { childStart[position + 1] = childStart[position] + childCount[position] }
        var children = [Int32](repeating: 0, count: Int(childStart[count]))
        var filled = childStart
        for position in 0..<count where layout.bases[position] >= 0 && isBlob(position) {
            let base = Int(layout.bases[position])
            children[Int(filled[base])] = Int32(position)
            filled[base] += 1
        }

        guard let file = SequentialReader(path: layout.packPath) else { return PackedBlobs.blobs(in: layout) }
        let inflater = Inflater()
        var compressed: [UInt8] = []
        var delivered = [Bool](repeating: false, count: count)
        /// Entry `position` inflated: an object's bytes, or a delta's instructions.
        func inflate(_ position: Int) -> [UInt8]? {
            guard layout.sizes[position] <= UInt64(maxObjectSize), let range = layout.dataRange(of: position),
                  file.read(range, into: &compressed) else { return nil }
            let length = Int(range.upperBound - range.lowerBound)
            return compressed.withUnsafeBytes { inflater.inflate(UnsafeRawBufferPointer(rebasing: $0[..<length]), size: Int(layout.sizes[position])) }
        }

        // The path from a whole blob down to the delta being resolved: each entry's bytes and
        // the next of its deltas to resolve.
        var path: [(position: Int, bytes: [UInt8], attachment: Attachment, next: Int32)] = []
        var held = 0
        roots: for root in 0..<count where isBlob(root) && layout.bases[root] < 0 {
            guard let bytes = inflate(root) else { continue }
            delivered[root] = true
            guard let attachment = deliver(layout.ids[root], bytes, nil) else { break }
            guard childCount[root] > 0 else { continue }
            path = [(root, bytes, attachment, childStart[root])]
            held = bytes.count
            while let top = path.last {
                guard top.next < childStart[top.position + 1] else {
                    held -= top.bytes.count
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let child = Int(children[Int(top.next)])
                var copies: [PackDelta.Copy]? = []
                guard let delta = inflate(child),
                      let bytes = PackDelta.apply(delta, to: top.bytes, maxSize: maxObjectSize, copies: &copies) else { continue }
                delivered[child] = true
                guard let attachment = deliver(layout.ids[child], bytes, (top.attachment, copies ?? [])) else { break roots }
                // Its own deltas are resolved next, while its bytes are in hand, when they fit.
                if childCount[child] > 0 && held + bytes.count <= maxHeldBytes {
                    held += bytes.count
                    path.append((child, bytes, attachment, childStart[child]))
                }
            }
        }
        return (0..<count).filter { isBlob($0) && !delivered[$0] }.map { layout.ids[$0] }
    }
}
