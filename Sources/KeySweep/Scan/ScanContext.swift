import Foundation

/// Everything a source needs while it scans: the rules, the options, where results and
/// warnings go, and the progress display. Thread-safe.
final class ScanContext: @unchecked Sendable {
    let rules: RuleSet
    let options: ScanOptions
    let ledger: Ledger
    let progress: Progress
    /// The scan cache, when `options.cacheDirectory` is set and it could be opened.
    let cache: ScanCache?
    /// With blob shards: the share of each target's content this process reads (set by
    /// `Scanner` before any source runs, then only read).
    var contentShard: Shard?
    private let lock = NSLock()
    private var _stats = ScanStats()
    private var _warnings: [String] = []
    /// Matches not kept because a source held `HoldLimits.heldMatches` (`HeldMatches`).
    private var _omittedMatches = 0

    init(rules: RuleSet, options: ScanOptions) {
        self.rules = rules
        self.options = options
        ledger = Ledger(rules: rules, limits: options.limits)
        progress = Progress(enabled: options.progress)
        var cacheProblem: String?
        if let directory = options.cacheDirectory, let open = options.cacheStore {
            do { cache = try ScanCache(store: try open(directory), seal: try CacheSeal.resolve(), rules: rules, options: options) } catch {
                cache = nil
                cacheProblem = "cannot use the cache in \(directory): \(ScanContext.cacheProblem(directory, error)); scanning without it"
            }
        } else {
            cache = nil
            if let directory = options.cacheDirectory { cacheProblem = "no cache store to keep \(directory) in; scanning without it" }
        }
        if let cacheProblem { _warnings.append(cacheProblem) }
        // libgit2 itself starts with the first repository (`Repository`): its start-up reads the
        // system's CA certificates, a tenth of the start-up of a scan that opens no repository.
        for unreadable in GitLibrary.unreadableConfigurations {
            _warnings.append("cannot read the git configuration \(unreadable.file) (\(unreadable.problem)); its settings are not used")
        }
    }

    /// Why the cache directory cannot be used, in one line (Foundation's errors print as a
    /// multi-part NSError dump).
    private static func cacheProblem(_ directory: String, _ error: Error) -> String {
        var info = stat()
        if stat(directory, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR { return "it is a file, not a directory" }
        let text = systemReason(error) ?? "\(error)"
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The operating system's reason inside a Foundation error (`Not a directory`), if any.
    private static func systemReason(_ error: Error) -> String? {
        if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
        let nsError = error as NSError
        if nsError.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(nsError.code))) }
        return (nsError.userInfo[NSUnderlyingErrorKey] as? Error).flatMap(systemReason)
    }

    func add(_ stats: ScanStats) {
        lock.lock(); _stats.add(stats); lock.unlock()
    }

    func warn(_ message: String) {
        lock.lock(); _warnings.append(message); lock.unlock()
    }

    /// Counts matches found and not kept because one source held `HoldLimits.heldMatches`.
    func omit(_ count: Int) {
        lock.lock(); _omittedMatches += count; lock.unlock()
    }

    /// Matches found and not kept because a source held `HoldLimits.heldMatches`.
    var omittedMatches: Int { lock.lock(); defer { lock.unlock() }; return _omittedMatches }

    var stats: ScanStats { lock.lock(); defer { lock.unlock() }; return _stats }
    var warnings: [String] { lock.lock(); defer { lock.unlock() }; return _warnings }
}

/// The matches one source's workers hold until attribution hands them to the ledger, bounded by
/// `HoldLimits.heldMatches`: one per run of the pipeline, so each source (each repository of an
/// organisation) has the whole allowance, not what earlier ones left of it.
final class HeldMatches: @unchecked Sendable {
    private let limit: Int
    private let context: ScanContext
    private let lock = NSLock()
    private var held = 0

    init(limit: Int, context: ScanContext) {
        self.limit = limit
        self.context = context
    }

    /// Keeps what fits of `matches` (the first ones), counting the rest in the context.
    func hold(_ matches: [SecretMatch]) -> [SecretMatch] {
        guard !matches.isEmpty else { return matches }
        let granted: Int = lock.withLock {
            let granted = min(matches.count, max(limit - held, 0))
            held += granted
            return granted
        }
        if granted < matches.count { context.omit(matches.count - granted) }
        return granted == matches.count ? matches : Array(matches.prefix(granted))
    }
}
