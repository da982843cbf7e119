import Foundation

/// The cost of reading a repository's history and nothing else, the floor any blob-based
/// scanner built on libgit2 stands on: one walk listing every reachable blob (trees already
/// seen skipped), then every blob read once by `threads` threads in pack order, hash
/// verification off, nothing done with the bytes. Used by `keysweep-floor` and `Benchmarks/compare.sh`.
public enum BlobReadFloor {
    public struct Measurement: Sendable {
        public var commits = 0
        public var blobs = 0
        public var bytes = 0
        /// Listing commits and walking their trees, one thread.
        public var walkSeconds = 0.0
        /// Reading every blob once with `threads` threads.
        public var readSeconds = 0.0
        /// Blobs that could not be read.
        public var failures = 0
    }

    public static func measure(path: String, threads: Int) throws -> Measurement {
        var result = Measurement()
        let start = Date()
        let repository = try Repository(path: path)
        let commits = try repository.commitsInTopologicalOrder()
        result.commits = commits.count
        var seenTrees: Set<ObjectID> = []
        var blobs: Set<ObjectID> = []
        var list: [ObjectID] = []   // in order of discovery
        var pending: [ObjectID] = []
        for commit in commits {
            guard let tree = try repository.commit(commit)?.tree else { continue }
            pending.append(tree)
            while let next = pending.popLast() {
                guard seenTrees.insert(next).inserted else { continue }
                try repository.withObject(next) { kind, raw in
                    guard kind == .tree else { return }
                    for entry in TreeEntries(raw) {
                        switch entry.kind {
                        case .tree: pending.append(entry.id)
                        case .blob: if blobs.insert(entry.id).inserted { list.append(entry.id) }
                        case .other: break
                        }
                    }
                }
            }
        }
        result.walkSeconds = Date().timeIntervalSince(start)
        result.blobs = blobs.count

        // In pack order, as keysweep reads them (KEYSWEEP_FLOOR_HISTORY_ORDER=1: in the order
        // the walk found them, to see what the order is worth).
        let order = ProcessInfo.processInfo.environment["KEYSWEEP_FLOOR_HISTORY_ORDER"] != nil
            ? list : PackOrder.sorted(list, objectsDirectory: repository.objectsDirectory)
        let readStart = Date()
        let totals = Totals()
        let group = Workers.run(threads) { index in
            guard let repository = try? Repository(path: path) else { return }
            var bytes = 0
            var failures = 0
            var i = index
            while i < order.count {
                if let size = try? repository.withObject(order[i], { _, raw in raw.count }) { bytes += size } else { failures += 1 }
                i += threads
            }
            totals.add(bytes, failures: failures)
        }
        group.wait()
        result.readSeconds = Date().timeIntervalSince(readStart)
        result.bytes = totals.bytes
        result.failures = totals.failures
        return result
    }

    private final class Totals: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var bytes = 0
        private(set) var failures = 0
        func add(_ n: Int, failures f: Int) { lock.lock(); bytes += n; failures += f; lock.unlock() }
    }
}
