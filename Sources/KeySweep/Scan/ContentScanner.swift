/// Scans one piece of content (a blob, a file, a commit message, a chunk of stdin) for secrets.
/// One per worker thread; owns that worker's matcher state.
final class ContentScanner {
    let matcher: Matcher
    let detector: Detector
    let options: ScanOptions
    private var candidates: [Candidate] = []

    /// What became of one piece of content.
    enum Outcome {
        case scanned([SecretMatch])
        case skippedBinary
        case skippedLarge
    }

    init(rules: RuleSet, options: ScanOptions) {
        matcher = Matcher(rules: rules)
        detector = Detector(rules: rules)
        self.options = options
    }

    /// Applies the size and binary policies, then matches and detects.
    func scan(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        if bytes.count > options.maxBlobSize { return .skippedLarge }
        if !options.includeBinary && ContentScanner.looksBinary(bytes) { return .skippedBinary }
        return .scanned(InlineAllow.filter(matches(in: bytes), in: bytes, rules: matcher.rules))
    }

    /// Matches and detects, with no policy applied.
    func matches(in bytes: UnsafeRawBufferPointer, decoding: String? = nil) -> [SecretMatch] {
        candidates.removeAll(keepingCapacity: true)
        matcher.candidates(in: bytes, into: &candidates)
        return detector.accept(candidates, in: bytes, decoding: decoding)
    }

    /// Git's own test: a NUL byte in the first 8 KiB.
    static func looksBinary(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.prefix(8192).contains(0)
    }
}
