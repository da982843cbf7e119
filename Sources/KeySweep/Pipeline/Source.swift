/// An input of a scan: it enumerates pieces of content, hands each one's bytes to a worker when
/// asked, and, once everything is scanned, says where each match lies (attribution). A source
/// never sees rules, threads, stats or the ledger: `Pipeline` owns those. A new kind of input is
/// one new type conforming to this protocol.
protocol Source: Sendable {
    /// One piece of content as the source names it (a blob id, a file path, a chunk).
    associatedtype Item: Sendable
    /// A worker's own reading state (a repository handle, a file buffer); one per worker.
    associatedtype Reader

    /// What the stats count this source's pieces as.
    var unit: ContentUnit { get }

    /// Batches the queue holds before the producer waits, for `jobs` workers.
    func queueCapacity(jobs: Int) -> Int

    /// Results a source can give without scanning (the scan cache's replay of a history whose
    /// refs did not move); nil to scan.
    func replay() -> Replay?

    /// Produces every item on the pipeline's producer thread (and any helpers it starts
    /// through the feed). Returns the facts only the source knows (commits walked, shallow).
    func enumerate(into feed: Feed<Item>) throws -> ScanStats

    /// A reader for one worker.
    func makeReader() throws -> Reader

    /// Calls `body` with the bytes of `item`; throws when they cannot be read.
    func read(_ item: Item, with reader: inout Reader, _ body: (Content) -> Void) throws

    /// What decides which blob shard (`--shard`) reads `item`; nil: the item is a piece of one
    /// stream read whole by the shard its target falls to (`Scanner`). The feed alone applies it.
    func shardKey(of item: Item) -> ShardKey?

    /// Whether `item` is a piece of content the progress display counts (a commit message is not).
    func isContent(_ item: Item) -> Bool

    /// Whether an item the feed produced belongs to the scan (a history scan reads every packed
    /// blob ahead of its walk and keeps only those the walk reached).
    func retains(_ item: Item) -> Bool

    /// Names an item in a warning (`repo: blob 1234…`).
    func describe(_ item: Item) -> String

    /// The warning for an item that cannot be read (the scan goes on without it).
    func unreadable(_ item: Item, _ error: Error) -> String

    /// Attribution, after every item is scanned: the places of what was found.
    func place(_ scan: Finished<Item>, context: ScanContext) throws -> [Sighting]

    /// After attribution (or a replay): what the source's refs say about each finding among
    /// `sightings` (a history source: ref tips, the removing commit); per finding, never per item.
    func expose(_ sightings: [Sighting], context: ScanContext) -> [Exposed]
}

extension Source {
    func replay() -> Replay? { nil }
    func retains(_ item: Item) -> Bool { true }
    func isContent(_ item: Item) -> Bool { true }
    func queueCapacity(jobs: Int) -> Int { 4 * jobs + 4 }
    func unreadable(_ item: Item, _ error: Error) -> String { "\(describe(item)) cannot be read: \(error)" }
    func expose(_ sightings: [Sighting], context: ScanContext) -> [Exposed] { [] }
}

/// What the stats count a source's pieces of content as.
enum ContentUnit { case blob, file }

/// The bytes of one item, and whether they are a whole piece of content or one chunk of a
/// stream too large to hold (`Chunking`), whose lines the pipeline numbers across chunks.
struct Content {
    enum Part: Sendable {
        /// A whole blob or file: the size and binary policy apply to it.
        case whole
        /// Free text that is not a file (a commit or tag message): scanned as it is, not counted.
        case message
        /// Chunk `index` of a stream whose head the source has checked; the first `overlap`
        /// bytes repeat the end of the chunk before.
        case chunk(index: Int, overlap: Int)
    }

    var bytes: UnsafeRawBufferPointer
    var part: Part
    /// The keyword occurrences of `bytes`, when the source found them already (a pack blob
    /// read with its base: `KeywordHits`).
    var keywordHits: KeywordHits? = nil
}

/// One item after the workers: its matches (lines already counted from the start of its
/// stream, for chunks) and what the policy made of it.
struct Scanned<Item> {
    var item: Item
    var outcome: ContentScanner.Outcome
    var size: Int
    /// Its result came from the scan cache.
    var cached = false
    /// What the bytes were; for a chunk, `size` counts its own bytes, not its overlap.
    var part: Content.Part = .whole

    var matches: [SecretMatch] {
        if case .scanned(let matches) = outcome { return matches }
        return []
    }
}

/// Everything the workers made of a source's items, for its attribution.
struct Finished<Item> {
    /// Every retained item with what became of it (cached ones included; messages only when
    /// they hold a match).
    var items: [Scanned<Item>]
    /// The scan's counters for this source, its own facts included.
    var stats: ScanStats
    /// Items that could not be read (each is a warning).
    var unreadable: Int
}

/// A match at a place: what the pipeline writes to the ledger.
struct Sighting {
    var match: SecretMatch
    var occurrence: Occurrence
    /// The place is in the current tree (HEAD, or the files on disk).
    var inHead: Bool
}

/// What a source's refs say about the finding of a rule and secret: written to the ledger by the pipeline.
struct Exposed {
    var rule: Int
    var secret: String
    var refs: RefExposure
}

/// What a source answers without scanning.
struct Replay {
    var stats: ScanStats
    var sightings: [Sighting]
}
