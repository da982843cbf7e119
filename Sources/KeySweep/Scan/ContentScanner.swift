import Foundation

/// Finds the secrets in one piece of content (a blob, a file, a commit message, a chunk of
/// stdin), with no size or binary policy (`ContentPolicy` applies those). One per worker
/// thread; owns that worker's matcher state.
final class ContentScanner {
    let matcher: Matcher
    let detector: Detector
    let options: ScanOptions
    private let pairer: CredentialPairer
    let decodingFamilies: DecodingHints.Families
    private var candidates: [Candidate] = []
    private var view = ContentView()
    /// What opening an archive did, until the pipeline takes it.
    private var extraction: ArchiveExtraction.Report?

    /// What became of one piece of content.
    enum Outcome {
        case scanned([SecretMatch])
        case skippedBinary
        case skippedLarge
    }

    init(rules: RuleSet, options: ScanOptions) {
        decodingFamilies = DecodingHints.Families(rules)
        matcher = Matcher(rules: rules, recording: decodingFamilies.rules, maxCandidates: options.limits.matchesPerContent)
        detector = Detector(rules: rules)
        pairer = CredentialPairer(rules: rules)
        self.options = options
    }

    /// Everything found in the content as written and in its decodings, credentials
    /// paired, lines marked `keysweep:allow` dropped, long secrets held cut (`CutSecret`); no
    /// size or binary policy applied. Reads the content through its `ContentView` (terminal
    /// escapes blanked, NUL separators as newlines): same offsets, so matches point into `bytes`.
    func detect(in bytes: UnsafeRawBufferPointer) -> [SecretMatch] {
        // Taken out while in use: a nested call (none today) would make its own.
        var view = ContentView()
        swap(&view, &self.view)
        defer { swap(&view, &self.view) }
        return view.read(bytes) { detectAsIs($0) }
    }

    private func detectAsIs(_ bytes: UnsafeRawBufferPointer) -> [SecretMatch] {
        CutSecret.bound(InlineAllow.filter(LayeredDetection.detect(in: bytes, scanner: self, pairer: pairer), in: bytes, rules: matcher.rules),
                        rules: matcher.rules)
    }

    func extracted(_ report: ArchiveExtraction.Report) { extraction = report }

    /// Binary contents read through their printable strings, and the strings' bytes, since taken.
    private var strings: (contents: Int, bytes: Int)?

    func readStrings(of bytes: Int) {
        strings = ((strings?.contents ?? 0) + 1, (strings?.bytes ?? 0) + bytes)
    }

    func takeStrings() -> (contents: Int, bytes: Int)? {
        defer { strings = nil }
        return strings
    }

    /// The last archive's notes and counters, once.
    func takeExtraction() -> ArchiveExtraction.Report? {
        defer { extraction = nil }
        return extraction
    }

    /// Matches and detects, with no policy applied.
    func matches(in bytes: UnsafeRawBufferPointer, decoding: String? = nil) -> [SecretMatch] {
        candidates.removeAll(keepingCapacity: true)
        let words = Detector.ContextWords()
        let detector = self.detector
        matcher.candidates(in: bytes, into: &candidates, words: words) { detector.verdict($0, in: bytes, words: words) }
        return detector.accept(candidates, in: bytes, decoding: decoding, words: words)
    }
}
