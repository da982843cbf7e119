import Foundation

/// One report a merged report was made of, as the merged report lists it.
struct MergedReport: Sendable, Hashable, Codable {
    /// The file as named to `merge`.
    var report: String
    /// `I/N` for a shard's report; absent for a whole scan.
    var shard: String?
    /// The targets it scanned.
    var targets: Int
}

/// `keysweep merge`: JSON reports of shards (and of separate scans) folded into the one
/// `ScanResult` a single process scanning everything would have made. Reports are read one at a
/// time; what is held is the merged findings (at most `HoldLimits.findings`, each with its
/// `HoldLimits.occurrencesPerFinding` earliest occurrences), never the inputs.
public struct ReportMerge {
    public struct Options: Sendable {
        /// Merge reports made with different rules or keysweep versions (a warning, not an error).
        public var allowMixed = false
        /// Merge although shards of a split are missing (a warning, not an error).
        public var allowPartial = false
        public var limits = HoldLimits()
        public init() {}
    }

    let rules: RuleSet
    let options: Options

    /// `rules`: the rules the reports were made with (their digest is checked), for which rule
    /// replaces which when several report one secret.
    public init(rules: RuleSet, options: Options = Options()) {
        self.rules = rules
        self.options = options
    }

    /// Reads each report and returns the merged result; throws `ReportError` (one line) for a
    /// file that is no report, reports that do not belong together, a duplicated or missing shard.
    public func merge(_ paths: [String]) throws -> ScanResult {
        guard !paths.isEmpty else { throw ReportError(description: "merge needs at least one JSON report") }
        var fold = MergeFold(rules: rules, limits: options.limits)
        var checks = MergeChecks(ruleSet: rules.fingerprint, options: options)
        for path in paths {
            let report = try ScanResult.load(jsonReportAt: path)
            try checks.admit(report, path: path)
            try fold.add(report, path: path)
        }
        try checks.finish()
        var result = try fold.result(targets: checks.targets())
        result.warnings = checks.warnings + result.warnings
        result.ruleSet = checks.ruleSet ?? rules.fingerprint
        result.toolVersion = checks.version ?? KeySweepVersion.current
        result.merged = checks.inputs
        return result
    }
}

/// What `merge` checks of its inputs: one rule set and version, each shard of a split once and
/// none missing; and the order of the merged targets.
struct MergeChecks {
    private let loadedRules: String
    private let options: ReportMerge.Options
    private(set) var ruleSet: String?
    private(set) var version: String?
    private(set) var warnings: [String] = []
    private(set) var inputs: [MergedReport] = []
    private var firstPath = ""

    /// A split: shards that share count, kind and plan.
    private struct Split: Hashable { var count: Int; var split: String; var plan: String; var planned: Int }
    private var splits: [Split: [Int: String]] = [:]
    private var splitOrder: [Split] = []
    private var splitRank: [Split: Int] = [:]
    /// Targets, each with where it sorts: (input rank, position in its plan).
    private var named: [(rank: Int, position: Int, name: String)] = []

    init(ruleSet loaded: String, options: ReportMerge.Options) {
        loadedRules = loaded
        self.options = options
    }

    mutating func admit(_ report: ScanResult, path: String) throws {
        let shown = TerminalText.escape(path)
        if ruleSet == nil {
            firstPath = shown
            ruleSet = report.ruleSet
            version = report.toolVersion
            if report.ruleSet.isEmpty {
                try mixed("\(shown): records no rule-set digest (written before keysweep recorded one): cannot check it was made with the same rules")
            } else if report.ruleSet != loadedRules {
                try mixed("\(shown): made with rule set \(report.ruleSet.prefix(12)), not the rules loaded here (\(loadedRules.prefix(12))): give merge the same --patterns and --config as the scans")
            }
        } else {
            if report.ruleSet != ruleSet {
                try mixed("\(shown): made with rule set \(report.ruleSet.isEmpty ? "(unrecorded)" : String(report.ruleSet.prefix(12))), \(firstPath) with \(ruleSet!.isEmpty ? "(unrecorded)" : String(ruleSet!.prefix(12))): reports of different rules")
            }
            if report.toolVersion != version {
                try mixed("\(shown): made by keysweep \(report.toolVersion), \(firstPath) by keysweep \(version!)")
            }
        }
        let rank = inputs.count
        inputs.append(MergedReport(report: path, shard: report.shard.map { "\($0.index)/\($0.count)" }, targets: report.targets.count))
        guard let shard = report.shard else {
            named += report.targets.enumerated().map { (rank: rank, position: $0.offset, name: $0.element) }
            return
        }
        let split = Split(count: shard.count, split: shard.split, plan: shard.plan, planned: shard.planned)
        if splits[split] == nil {
            if let other = splitOrder.first(where: { $0.count == split.count && $0.split == split.split }) {
                // Shards that enumerated different targets (an organisation that changed between them).
                throw ReportError(description: "\(shown): shard \(shard.index)/\(shard.count) planned other targets (\(split.planned)) than \(splits[other]!.values.sorted().first!) (\(other.planned)): its shards listed different targets; run them again")
            }
            splitOrder.append(split)
            splitRank[split] = rank
        }
        if let twin = splits[split]?[shard.index] {
            throw ReportError(description: "\(shown): shard \(shard.index)/\(shard.count) again (\(twin) is the same shard): each shard's report once")
        }
        splits[split, default: [:]][shard.index] = shown
        // A split's targets sort where its first report was given, in the order of the plan all its shards share.
        let splitRank = self.splitRank[split]!
        if let positions = shard.positions, positions.count == report.targets.count {
            named += zip(positions, report.targets).map { (rank: splitRank, position: $0.0, name: $0.1) }
        } else {
            named += report.targets.enumerated().map { (rank: splitRank, position: $0.offset, name: $0.element) }
        }
    }

    /// Missing shards: an error (a warning with `allowPartial`).
    mutating func finish() throws {
        for split in splitOrder {
            let have = splits[split]!
            let missing = (0..<split.count).filter { have[$0] == nil }
            guard !missing.isEmpty else { continue }
            let list = missing.prefix(10).map { "\($0)/\(split.count)" }.joined(separator: ", ") + (missing.count > 10 ? ", …" : "")
            let message = "missing shard\(missing.count == 1 ? "" : "s") \(list) of the \(split.split) split (\(have.count) of \(split.count) reports given)"
            if options.allowPartial { warnings.append(message + "; the merged report covers only the others") } else {
                throw ReportError(description: message + "; merge every shard, or pass --allow-partial")
            }
        }
    }

    /// The merged targets: those of each split in plan order, then those of whole scans in the
    /// order given; each once.
    func targets() -> [String] {
        var seen: Set<String> = []
        return named.sorted { ($0.rank, $0.position) < ($1.rank, $1.position) }.map(\.name).filter { seen.insert($0).inserted }
    }

    private mutating func mixed(_ problem: String) throws {
        guard options.allowMixed else { throw ReportError(description: problem + " (pass --allow-mixed to merge anyway)") }
        warnings.append(problem)
    }
}
