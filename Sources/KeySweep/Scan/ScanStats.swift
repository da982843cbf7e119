/// Counters of one scan, reported in every output format.
struct ScanStats: Sendable, Codable {
    var commits = 0
    var blobs = 0
    /// Of `blobs`, those whose result came from the scan cache instead of being read.
    var cachedBlobs = 0
    /// Commits no reference reaches, walked with `--all-objects`.
    var unreachableCommits = 0
    var files = 0
    var bytes = 0
    var seconds = 0.0
    /// Content skipped for being larger than `--max-size`.
    var skippedLarge = 0
    /// Content skipped for looking binary (without `--include-binary`).
    var skippedBinary = 0
    /// Matches suppressed as placeholders (documentation examples, templates, test values).
    var placeholders = 0
    /// True when a scanned repository is a shallow clone (older history is absent).
    var shallow = false
    /// Matches and occurrences found but not kept in memory (`HoldLimits`); 0 in ordinary scans.
    var omittedMatches = 0
    /// Contents in which a rule stopped before the end (its time budget, PCRE2's match limit):
    /// what follows there was not searched by that rule, so the scan is incomplete.
    var incomplete = 0
    /// Targets that could not be scanned (a remote that could not be cloned or listed), and why.
    var failedTargets: [FailedTarget] = []
    /// The refs fetched of each remote target.
    var fetched: [FetchedTarget] = []
    /// Members of archives and streams of compressed files scanned, and the bytes they held.
    var archiveMembers = 0
    var extractedBytes = 0
    /// Encrypted archive members (skipped).
    var encryptedMembers = 0
    /// Binary contents scanned through their printable strings, and the strings' bytes.
    var binaryStrings = 0
    var stringBytes = 0

    init() {}

    /// Reads the counters of a JSON report; a counter added after the report was written is 0.
    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try c.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        commits = try count(.commits)
        blobs = try count(.blobs)
        cachedBlobs = try count(.cachedBlobs)
        unreachableCommits = try count(.unreachableCommits)
        files = try count(.files)
        bytes = try count(.bytes)
        seconds = try c.decodeIfPresent(Double.self, forKey: .seconds) ?? 0
        skippedLarge = try count(.skippedLarge)
        skippedBinary = try count(.skippedBinary)
        placeholders = try count(.placeholders)
        shallow = try c.decodeIfPresent(Bool.self, forKey: .shallow) ?? false
        omittedMatches = try count(.omittedMatches)
        incomplete = try count(.incomplete)
        failedTargets = try c.decodeIfPresent([FailedTarget].self, forKey: .failedTargets) ?? []
        fetched = try c.decodeIfPresent([FetchedTarget].self, forKey: .fetched) ?? []
        archiveMembers = try count(.archiveMembers)
        extractedBytes = try count(.extractedBytes)
        encryptedMembers = try count(.encryptedMembers)
        binaryStrings = try count(.binaryStrings)
        stringBytes = try count(.stringBytes)
    }

    mutating func add(_ other: ScanStats) {
        commits += other.commits
        blobs += other.blobs
        cachedBlobs += other.cachedBlobs
        unreachableCommits += other.unreachableCommits
        files += other.files
        bytes += other.bytes
        skippedLarge += other.skippedLarge
        skippedBinary += other.skippedBinary
        placeholders += other.placeholders
        shallow = shallow || other.shallow
        omittedMatches += other.omittedMatches
        incomplete += other.incomplete
        failedTargets += other.failedTargets
        fetched += other.fetched
        archiveMembers += other.archiveMembers
        extractedBytes += other.extractedBytes
        encryptedMembers += other.encryptedMembers
        binaryStrings += other.binaryStrings
        stringBytes += other.stringBytes
    }

    enum CodingKeys: String, CodingKey {
        case commits, blobs, files, bytes, seconds
        case cachedBlobs = "cached_blobs"
        case unreachableCommits = "unreachable_commits"
        case skippedLarge = "skipped_large"
        case skippedBinary = "skipped_binary"
        case placeholders, shallow
        case omittedMatches = "omitted_matches"
        case incomplete
        case failedTargets = "failed_targets"
        case fetched
        case archiveMembers = "archive_members"
        case extractedBytes = "extracted_bytes"
        case encryptedMembers = "encrypted_members"
        case binaryStrings = "binary_strings"
        case stringBytes = "string_bytes"
    }
}
