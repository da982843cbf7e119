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

    init() {}

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
    }

    enum CodingKeys: String, CodingKey {
        case commits, blobs, files, bytes, seconds
        case cachedBlobs = "cached_blobs"
        case unreachableCommits = "unreachable_commits"
        case skippedLarge = "skipped_large"
        case skippedBinary = "skipped_binary"
        case placeholders, shallow
    }
}
