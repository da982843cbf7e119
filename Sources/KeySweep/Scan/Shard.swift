import Foundation

/// One process's share of a scan split over `count` processes (`--shard I/N`). Every process
/// decides what is its own from a stable hash of the thing alone, so shards enumerating the same
/// targets agree on the split without talking to each other.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// What is split between the shards.
    public enum Split: String, Sendable, CaseIterable {
        /// Blob shards when the scan has exactly one target, target shards otherwise.
        case auto
        /// Whole targets (repositories, gists, paths), by their identity.
        case targets
        /// The content of each target: git blobs by id, commit and tag messages by the object's
        /// id, plain files by path; every shard walks the whole history.
        case blobs
    }

    /// 0-based.
    public let index: Int
    public let count: Int
    public var split: Split = .auto

    /// The most shards a scan is split into.
    public static let maxCount = 100_000

    public init(index: Int, count: Int, split: Split = .auto) {
        self.index = index
        self.count = count
        self.split = split
    }

    public var description: String { "\(index)/\(count)" }

    /// Why a `--shard` value cannot be used; one line.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads `I/N` (0 ≤ I < N), or `auto/N` and `auto` (the index from `JOB_COMPLETION_INDEX`,
    /// a Kubernetes Indexed Job; `auto` alone takes N from `KEYSWEEP_SHARDS`).
    public static func parse(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2, !text.isEmpty else { throw Invalid(description: "--shard '\(text)' is not I/N (for example 0/4), auto/N or auto") }
        let countText: String
        if parts.count == 2 {
            countText = parts[1]
        } else if parts[0] == "auto" {
            guard let shards = environment["KEYSWEEP_SHARDS"] else {
                throw Invalid(description: "--shard auto needs KEYSWEEP_SHARDS (the number of shards), or write --shard auto/N")
            }
            countText = shards
        } else {
            throw Invalid(description: "--shard '\(text)' is not I/N (for example 0/4), auto/N or auto")
        }
        guard let count = Int(countText), count >= 1, count <= maxCount else {
            throw Invalid(description: "--shard '\(text)': the number of shards '\(countText)' is not a whole number from 1 to \(maxCount)")
        }
        let indexText: String
        if parts[0] == "auto" {
            guard let value = environment["JOB_COMPLETION_INDEX"] else {
                throw Invalid(description: "--shard \(text) needs JOB_COMPLETION_INDEX (set by a Kubernetes Indexed Job), or write --shard I/\(count)")
            }
            indexText = value
        } else {
            indexText = parts[0]
        }
        guard let index = Int(indexText), index >= 0, index < count else {
            throw Invalid(description: "--shard '\(text)': shard index '\(indexText)' is not between 0 and \(count - 1)")
        }
        return Shard(index: index, count: count)
    }

    /// Whether this shard reads the piece of content `key` names (`Source.shardKey`).
    func owns(_ key: ShardKey) -> Bool {
        switch key {
        case .object(let id): return owns(object: id)
        case .name(let name): return owns(key: name)
        }
    }

    /// Whether this shard takes the thing named `key` (a target's identity, a file's path).
    func owns(key: String) -> Bool {
        count == 1 || Int(Shard.stableHash(key) % UInt64(count)) == index
    }

    /// Whether this shard reads the git object `id` (a blob, a commit or tag for its message).
    /// The id is already a uniform digest: its first 8 bytes are the hash.
    func owns(object id: ObjectID) -> Bool {
        count == 1 || Int(UInt64(bigEndian: id.a) % UInt64(count)) == index
    }

    /// The key of a local target: its canonical path (`-` for standard input).
    static func localKey(_ target: String) -> String {
        guard target != "-", let resolved = realpath(target, nil) else { return target }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// FNV-1a, 64 bits: the same on every machine and run (Swift's `Hasher` is seeded per process).
    static func stableHash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

/// What decides which blob shard reads a piece of content: a git object by its id (a blob, or a
/// commit or tag for its message), a file by its path under the target.
enum ShardKey {
    case object(ObjectID)
    case name(String)
}

/// What a shard's report records so `merge` can check its inputs: which shard of how many, how it
/// split, and the plan all shards share (every target, in order).
struct ShardRecord: Sendable, Hashable, Codable {
    var index: Int
    var count: Int
    /// `targets` or `blobs` (resolved from `auto`).
    var split: String
    /// Targets in the whole plan, and a digest of their names in order: shards that listed a
    /// different set of targets (an organisation that changed between them) do not match.
    var planned: Int
    var plan: String
    /// For target shards: the position in the plan of each of this report's `targets`.
    var positions: [Int]?
    /// The ids of the placeholder findings this shard saw (reported or not): the merged
    /// `stats.placeholders` counts each once.
    var placeholders: [String]

    static func planDigest(_ names: [String]) -> String {
        String(Fingerprint.sha256Hex(names.joined(separator: "\n")).prefix(16))
    }
}
