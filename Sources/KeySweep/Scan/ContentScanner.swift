import Foundation

/// Scans one piece of content (a blob, a file, a commit message, a chunk of stdin) for secrets.
/// One per worker thread; owns that worker's matcher state.
final class ContentScanner {
    let matcher: Matcher
    let detector: Detector
    let options: ScanOptions
    private let aws: AWSCredentialDetector
    let decodingFamilies: DecodingHints.Families
    private var candidates: [Candidate] = []

    /// What became of one piece of content.
    enum Outcome {
        case scanned([SecretMatch])
        case skippedBinary
        case skippedLarge
    }

    init(rules: RuleSet, options: ScanOptions) {
        decodingFamilies = DecodingHints.Families(rules)
        matcher = Matcher(rules: rules, recording: decodingFamilies.rules)
        detector = Detector(rules: rules)
        aws = AWSCredentialDetector(rules: rules)
        self.options = options
    }

    /// Applies the size and binary policies, then matches and detects.
    func scan(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        if bytes.count > options.maxBlobSize { return .skippedLarge }
        if ContentScanner.skipsAsBinary(bytes, options: options) { return .skippedBinary }
        return .scanned(detect(in: bytes))
    }

    /// Everything found in the content as written and in its decodings, AWS credentials
    /// paired, lines marked `keysweep:allow` dropped; no size or binary policy applied.
    func detect(in bytes: UnsafeRawBufferPointer) -> [SecretMatch] {
        InlineAllow.filter(LayeredDetection.detect(in: bytes, scanner: self, aws: aws), in: bytes, rules: matcher.rules)
    }

    /// Matches and detects, with no policy applied.
    func matches(in bytes: UnsafeRawBufferPointer, decoding: String? = nil) -> [SecretMatch] {
        candidates.removeAll(keepingCapacity: true)
        matcher.candidates(in: bytes, into: &candidates)
        return detector.accept(candidates, in: bytes, decoding: decoding)
    }

    /// The binary policy: binary content (UTF-16 text aside) is skipped unless `--include-binary`.
    static func skipsAsBinary(_ bytes: UnsafeRawBufferPointer, options: ScanOptions) -> Bool {
        !options.includeBinary && looksBinary(bytes) && !looksUTF16(bytes)
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
