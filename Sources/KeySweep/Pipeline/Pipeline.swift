import Foundation

/// Runs one `Source` through the scan: the one place that starts worker threads, applies the
/// size and binary policy, counts the stats and writes the ledger. The source's producer side
/// (`enumerate`) runs on the calling thread while `--jobs` workers read and scan its items;
/// attribution (`place`) runs once they are done. With `--jobs 1` the items are produced
/// first, then scanned on the calling thread.
struct Pipeline {
    let context: ScanContext
    /// The target every occurrence of this run is found in.
    var origin: Origin? = nil

    func run<S: Source>(_ source: S) throws {
        if let replay = source.replay() {
            context.add(replay.stats)
            record(replay.sightings, source.expose(replay.sightings, context: context))
            return
        }
        let jobs = context.options.jobs
        let serial = jobs == 1
        let queue = WorkQueue<S.Item>(capacity: source.queueCapacity(jobs: jobs))
        var owns: (@Sendable (S.Item) -> Bool)?
        if let shard = context.contentShard {
            owns = { item in
                guard let key = source.shardKey(of: item) else { return true }
                return shard.owns(key)
            }
        }
        let feed = Feed(queue: queue, serial: serial, context: context, owns: owns,
                        counts: { source.isContent($0) })
        let collected = Collected<S.Item>()
        let context = self.context
        let held = HeldMatches(limit: context.options.limits.heldMatches, context: context)
        let workers = serial ? nil : Workers.run(jobs) { _ in
            Pipeline.work(source, queue: queue, into: collected, held: held, context: context)
        }
        var facts = ScanStats()
        var failure: Error?
        context.progress.begin(history: source is GitHistorySource, unit: source.unit == .blob ? "blobs" : "files")
        do { facts = try source.enumerate(into: feed) } catch { failure = error; feed.cancel() }
        feed.waitForHelpers()
        queue.close()
        context.progress.enumerated()
        if let workers { workers.wait() } else if failure == nil {
            Pipeline.work(source, queue: queue, into: collected, held: held, context: context)
        }
        if let failure { throw failure }

        var scanned = collected.items.filter { source.retains($0.item) } + feed.known
        ChunkLines.number(&scanned, chunks: collected.chunks)
        var stats = Pipeline.stats(of: scanned, unit: source.unit)
        stats.add(facts)
        context.add(stats)
        for warning in collected.warnings { context.warn(warning) }
        context.progress.enter(.attributing)
        let sightings = try source.place(Finished(items: scanned, stats: stats, unreadable: collected.warnings.count), context: context)
        context.progress.enter(.refs)
        record(sightings, source.expose(sightings, context: context))
    }

    /// The only writes to the ledger.
    private func record(_ sightings: [Sighting], _ exposed: [Exposed]) {
        for sighting in sightings {
            var occurrence = sighting.occurrence
            occurrence.origin = origin
            // Found inside an archive: the place is the member, within the source's place.
            if let members = sighting.match.members { occurrence.provenance = .member(of: occurrence.provenance, path: members) }
            context.ledger.record(sighting.match, at: occurrence, inHead: sighting.inHead)
        }
        for fact in exposed { context.ledger.expose(rule: fact.rule, secret: fact.secret, fact.refs) }
    }

    /// One worker: its own reader and scanner; scans until the queue is drained.
    private static func work<S: Source>(_ source: S, queue: WorkQueue<S.Item>, into collected: Collected<S.Item>,
                                        held: HeldMatches, context: ScanContext) {
        var reader: S.Reader
        do { reader = try source.makeReader() } catch {
            collected.add([], chunks: [], warnings: ["\(error)"])
            while queue.pop() != nil {}
            return
        }
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        let policy = ContentPolicy(options: context.options)
        var items: [Scanned<S.Item>] = []
        var chunks: [ChunkLines.Chunk] = []
        var warnings: [String] = []
        while let batch = queue.pop() {
            var bytes = 0
            for item in batch {
                do {
                    try source.read(item, with: &reader) { content in
                        switch content.part {
                        case .whole:
                            if let hits = content.keywordHits { scanner.matcher.prefiltered(hits, for: content.bytes) }
                            defer { scanner.matcher.forgetPrefiltered() }
                            var outcome = policy.scan(content.bytes, with: scanner)
                            if case .scanned(let matches) = outcome { outcome = .scanned(held.hold(matches)) }
                            items.append(Scanned(item: item, outcome: outcome, size: content.bytes.count))
                            bytes += content.bytes.count
                        case .message:
                            // Kept only with a match: a message item holds its text, and it counts in no stat.
                            let matches = held.hold(scanner.detect(in: content.bytes))
                            if !matches.isEmpty { items.append(Scanned(item: item, outcome: .scanned(matches), size: 0, part: .message)) }
                        case .chunk(let index, let overlap):
                            let own = max(0, content.bytes.count - overlap)
                            chunks.append(ChunkLines.Chunk(index: index, item: items.count, bytes: content.bytes, overlap: overlap))
                            items.append(Scanned(item: item, outcome: .scanned(held.hold(scanner.detect(in: content.bytes))), size: own, part: content.part))
                            bytes += own
                        }
                    }
                } catch ContentPolicy.Skip.tooLarge(let size) {
                    items.append(Scanned(item: item, outcome: .skippedLarge, size: size))
                } catch {
                    warnings.append(source.unreadable(item, error))
                }
                if let strings = scanner.takeStrings() {
                    var read = ScanStats()
                    read.binaryStrings = strings.contents
                    read.stringBytes = strings.bytes
                    context.add(read)
                }
                if let report = scanner.takeExtraction() {
                    for note in report.notes { warnings.append("\(source.describe(item)): \(note)") }
                    var extracted = ScanStats()
                    extracted.archiveMembers = report.members
                    extracted.extractedBytes = report.bytes
                    extracted.encryptedMembers = report.encrypted
                    context.add(extracted)
                }
                let omitted = scanner.matcher.takeOmitted()
                let limitedRules = scanner.matcher.takeLimitedRules()
                for limited in limitedRules {
                    let rule = context.rules.rules[limited.rule].id
                    warnings.append("\(source.describe(item)): rule '\(rule)' \(limited.reason.rawValue); " + (limited.reason.stoppedEarly
                        ? "it did not search the rest of this content: the scan is incomplete"
                        : "it searched on, counting what it did not keep"))
                }
                if omitted > 0 || limitedRules.contains(where: \.reason.stoppedEarly) {
                    var limits = ScanStats()
                    limits.omittedMatches = omitted
                    limits.incomplete = limitedRules.contains(where: \.reason.stoppedEarly) ? 1 : 0
                    context.add(limits)
                }
            }
            context.progress.scanned(blobs: batch.lazy.filter(source.isContent).count, bytes: bytes)
        }
        collected.add(items, chunks: chunks, warnings: warnings)
    }

    /// The counters of the scanned items. Content skipped as too large counts as seen, not as
    /// bytes scanned; chunks of a stream count bytes (the source counts the stream itself).
    private static func stats<Item>(of scanned: [Scanned<Item>], unit: ContentUnit) -> ScanStats {
        var stats = ScanStats()
        for item in scanned {
            switch item.part {
            case .whole: break
            case .message: continue
            case .chunk: stats.bytes += item.size; continue
            }
            switch unit {
            case .blob: stats.blobs += 1
            case .file: stats.files += 1
            }
            if item.cached { stats.cachedBlobs += 1 }
            switch item.outcome {
            case .scanned: stats.bytes += item.size
            case .skippedBinary: stats.skippedBinary += 1; stats.bytes += item.size
            case .skippedLarge: stats.skippedLarge += 1
            }
        }
        return stats
    }
}

/// What the workers found, gathered once each is done.
private final class Collected<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [Scanned<Item>] = []
    private(set) var chunks: [ChunkLines.Chunk] = []
    private(set) var warnings: [String] = []

    func add(_ more: [Scanned<Item>], chunks moreChunks: [ChunkLines.Chunk], warnings moreWarnings: [String]) {
        lock.withLock {
            let base = items.count
            items += more
            chunks += moreChunks.map { var chunk = $0; chunk.item += base; return chunk }
            warnings += moreWarnings
        }
    }
}

/// The producer side of a pipeline, handed to `Source.enumerate`: items go to the workers in
/// batches; results known without scanning (the cache) are handed over directly. With blob
/// shards the feed is the one place that drops what another shard reads (`owns`): sources push
/// everything.
final class Feed<Item: Sendable>: @unchecked Sendable {
    private let queue: WorkQueue<Item>
    private let serial: Bool
    let context: ScanContext
    private let ownership: (@Sendable (Item) -> Bool)?
    private let counts: @Sendable (Item) -> Bool
    private let lock = NSLock()
    private var _known: [Scanned<Item>] = []
    private var helpers: [WorkerGroup] = []
    private var cancelled = false

    fileprivate init(queue: WorkQueue<Item>, serial: Bool, context: ScanContext, owns: (@Sendable (Item) -> Bool)?,
                     counts: @escaping @Sendable (Item) -> Bool) {
        self.queue = queue
        self.serial = serial
        self.context = context
        ownership = owns
        self.counts = counts
    }

    /// Whether this process reads `item` (always, without blob shards).
    func owns(_ item: Item) -> Bool { ownership?(item) ?? true }

    var options: ScanOptions { context.options }
    var policy: ContentPolicy { ContentPolicy(options: context.options) }

    /// Queues a batch for the workers. Blocks while the queue is full unless `mayWait` is false
    /// (a producer that must not stall, such as a history walk while blobs are read ahead);
    /// never blocks with `--jobs 1`, where the workers run only after the producers.
    func push(_ batch: [Item], mayWait: Bool = true) {
        let owned = ownership.map { owns in batch.filter(owns) } ?? batch
        guard !owned.isEmpty else { return }
        context.progress.queued(owned.lazy.filter(counts).count)
        queue.push(owned, waitForRoom: mayWait && !serial)
    }

    /// Hands over an item's result found without scanning it (from the scan cache).
    func known(_ item: Item, _ outcome: ContentScanner.Outcome, size: Int) {
        guard owns(item) else { return }
        lock.withLock { _known.append(Scanned(item: item, outcome: outcome, size: size, cached: true)) }
    }

    /// Runs `body` on a thread of its own beside the producer (reading packs ahead of a walk);
    /// the pipeline waits for it before closing the queue. Only when workers run beside the
    /// producer (`--jobs` above 1).
    @discardableResult
    func alongside(_ body: @escaping @Sendable () -> Void) -> WorkerGroup {
        let group = Workers.run(1) { _ in body() }
        lock.withLock { helpers.append(group) }
        return group
    }

    /// Whether workers scan while the producer runs (false with `--jobs 1`).
    var workersRunAlongside: Bool { !serial }

    /// Whether the scan stopped (the producer failed); helpers check it to stop early.
    var isCancelled: Bool { lock.withLock { cancelled } }

    /// Collects items into batches of `size` and pushes each full one.
    struct Batcher {
        let feed: Feed
        let size: Int
        var mayWait = true
        private var batch: [Item] = []

        init(_ feed: Feed, size: Int, mayWait: Bool = true) {
            self.feed = feed
            self.size = size
            self.mayWait = mayWait
            batch.reserveCapacity(size)
        }

        mutating func add(_ item: Item) {
            batch.append(item)
            if batch.count >= size { flush() }
        }

        mutating func flush() {
            feed.push(batch, mayWait: mayWait)
            batch.removeAll(keepingCapacity: true)
        }
    }

    fileprivate var known: [Scanned<Item>] { lock.withLock { _known } }
    fileprivate func cancel() { lock.withLock { cancelled = true } }
    fileprivate func waitForHelpers() { for helper in lock.withLock({ helpers }) { helper.wait() } }
}

/// The size, binary and archive policy of whole pieces of content.
struct ContentPolicy {
    let maxSize: Int
    let includeBinary: Bool
    /// Opens archives and compressed content; nil with `--no-extract`.
    let extraction: ArchiveExtraction?

    init(options: ScanOptions) {
        maxSize = options.maxBlobSize
        includeBinary = options.includeBinary
        extraction = options.extraction.enabled ? ArchiveExtraction(limits: options.extraction, maxMemberSize: options.maxBlobSize) : nil
    }

    /// Thrown by a reader that knows an item is too large before reading it.
    enum Skip: Error { case tooLarge(Int) }

    func scan(_ bytes: UnsafeRawBufferPointer, with scanner: ContentScanner) -> ContentScanner.Outcome {
        if bytes.count > maxSize { return .skippedLarge }
        if let extraction, ArchiveExtraction.opens(bytes) {
            let (matches, report) = extraction.scan(bytes, scanner: scanner, policy: self)
            scanner.extracted(report)
            return .scanned(matches)
        }
        return scanMember(bytes, with: scanner)
    }

    /// The binary policy alone (an archive member: its size was bounded while it was read).
    /// Binary content of a kind worth it is scanned through its printable strings (`BinaryStrings`).
    func scanMember(_ bytes: UnsafeRawBufferPointer, with scanner: ContentScanner) -> ContentScanner.Outcome {
        guard skipsAsBinary(bytes) else { return .scanned(scanner.detect(in: bytes)) }
        guard let kind = BinaryStrings.kind(of: bytes) else { return .skippedBinary }
        let text = BinaryStrings.text(of: bytes, kind: kind)
        scanner.readStrings(of: text.count)
        var matches = text.withUnsafeBytes { scanner.detect(in: $0) }
        for i in matches.indices {
            matches[i].decoding = matches[i].decoding.map { BinaryStrings.decoding + "+" + $0 } ?? BinaryStrings.decoding
        }
        return .scanned(matches)
    }

    /// Binary content (UTF-16 and NUL-separated text aside) is skipped unless `--include-binary`.
    func skipsAsBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !includeBinary && Self.looksBinary(bytes) && !Self.looksUTF16(bytes) && !NULSeparatedText.matches(bytes)
    }

    /// Git's own test: a NUL byte in the first 8 KiB.
    static func looksBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return memchr(base, 0, min(bytes.count, 8192)) != nil
    }

    /// UTF-16 text has NULs too, but is text (decoded by `UTF16Decoding`).
    static func looksUTF16(_ bytes: UnsafeRawBufferPointer) -> Bool {
        UTF16Decoding.order(of: bytes.bindMemory(to: UInt8.self)) != nil
    }
}

/// Line numbers across the chunks of one stream: each chunk is scanned on its own, so its
/// matches count lines from its own first byte; once all are scanned, each chunk's newlines
/// say where it starts.
enum ChunkLines {
    struct Chunk {
        var index: Int
        /// Position of the chunk's result among the scanned items.
        var item: Int
        var ownNewlines: Int
        var overlapNewlines: Int

        init(index: Int, item: Int, bytes: UnsafeRawBufferPointer, overlap: Int) {
            self.index = index
            self.item = item
            let text = bytes.bindMemory(to: UInt8.self)
            let split = min(overlap, text.count)
            overlapNewlines = ByteSearch.count(0x0A, in: text, 0..<split)
            ownNewlines = ByteSearch.count(0x0A, in: text, split..<text.count)
            // NUL-separated text is scanned one entry a line (`ContentView`).
            if NULSeparatedText.matches(bytes) {
                overlapNewlines += ByteSearch.count(0, in: text, 0..<split)
                ownNewlines += ByteSearch.count(0, in: text, split..<text.count)
            }
        }
    }

    static func number<Item>(_ scanned: inout [Scanned<Item>], chunks: [Chunk]) {
        var newlinesBefore = 0      // in the stream, before the current chunk's own bytes
        for chunk in chunks.sorted(by: { $0.index < $1.index }) {
            // The chunk's bytes start `overlap` bytes (and their newlines) before its own bytes.
            let firstLine = newlinesBefore - chunk.overlapNewlines
            // A match in the overlap is found again in the chunk before, at the same line: the
            // ledger keeps one occurrence.
            if case .scanned(var matches) = scanned[chunk.item].outcome, !matches.isEmpty {
                for index in matches.indices { matches[index].line += firstLine }
                scanned[chunk.item].outcome = .scanned(matches)
            }
            newlinesBefore += chunk.ownNewlines
        }
    }
}
