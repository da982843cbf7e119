import CPCRE2
import Synchronization

/// A compiled PCRE2 pattern, JIT-compiled when the platform allows. The only type that owns a
/// `pcre2_code`. One instance is shared by every worker; each worker brings its own `MatchScratch`.
///
/// The JIT compile waits for the first search: most rules never run on a given input (their
/// keywords do not occur), and compiling all of them up front was a tenth of start-up.
final class Regex: @unchecked Sendable {
    private let code: OpaquePointer
    /// Index of the capture group holding the secret (0: the whole match); with several groups
    /// named `secret` (one per alternative), the first of them.
    var secretGroup: Int { secretGroups[0] }
    /// Every group named `secret`, ascending (or the one default group): a match's secret is
    /// the first of them that took part, so each alternative of a pattern can name its own.
    let secretGroups: [Int]
    let captureCount: Int
    /// 0 until the first search, then `jitCompiled` or `interpreted`. pcre2_jit_compile changes
    /// the code, so no search runs while it does (`jitLock`).
    private let jitState = Atomic<UInt8>(0)
    private let jitLock = Mutex(())
    private static let jitCompiled: UInt8 = 1, interpreted: UInt8 = 2

    struct CompileError: Error, CustomStringConvertible {
        let message: String
        let offset: Int
        var description: String { "\(message) at offset \(offset)" }
    }

    /// How a pattern will be searched, which decides how it is compiled.
    enum Search {
        /// Over whole contents, with every start-of-match optimisation.
        case whole
        /// Only from start positions near keywords (`forEachMatch(…, startLimit:)`). PCRE2's
        /// start-of-match optimisations (the search for a required literal) scan to the end of
        /// the subject whatever the start limit, so a content dense with keywords would cost one
        /// such scan per keyword: quadratic. A narrow window tries its few start positions
        /// without them; a wide one keeps them and bounds the subject (`Matcher`).
        case windowed(narrow: Bool)

        init(keywordWindow: Int?) {
            self = keywordWindow.map { .windowed(narrow: $0 <= Regex.narrowWindow) } ?? .whole
        }
    }

    /// The widest keyword window searched without start-of-match optimisations.
    static let narrowWindow = 64

    /// Compiles `pattern`. The secret group is the group named `secret` (any of them, when
    /// several alternatives name one), else group 1 when the pattern has groups, else the whole match.
    /// Every pattern can be searched with a start limit (`forEachMatch(…, startLimit:)`): the
    /// matcher searches large contents in slices to keep to its time budget.
    init(_ pattern: String, caseless: Bool = false, search: Search = .whole) throws {
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_DUPNAMES) | UInt32(PCRE2_USE_OFFSET_LIMIT)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        if case .windowed(narrow: true) = search { options |= UInt32(PCRE2_NO_START_OPTIMIZE) }
        let bytes = Array(pattern.utf8)
        guard let code = bytes.withUnsafeBufferPointer({
            pcre2_compile_8($0.baseAddress, $0.count, options, &errorCode, &errorOffset, nil)
        }) else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            throw CompileError(message: String(decoding: buffer.prefix(max(0, Int(n))), as: UTF8.self), offset: errorOffset)
        }
        self.code = code
        var count: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        captureCount = Int(count)
        let named = Self.groups(named: "secret", in: code)
        secretGroups = !named.isEmpty ? named : [count > 0 ? 1 : 0]
    }

    deinit { pcre2_code_free_8(code) }

    /// Whether the first search has happened (and with it the JIT compile, or its failure).
    var hasSearched: Bool { jitState.load(ordering: .acquiring) != 0 }

    /// Whether searches run the JIT-compiled code, compiling it on the first call.
    var isJIT: Bool {
        let state = jitState.load(ordering: .acquiring)
        if state != 0 { return state == Self.jitCompiled }
        return jitLock.withLock { _ in
            let state = jitState.load(ordering: .relaxed)
            if state != 0 { return state == Self.jitCompiled }
            let compiled = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
            jitState.store(compiled ? Self.jitCompiled : Self.interpreted, ordering: .releasing)
            return compiled
        }
    }

    /// The numbers of the groups called `name` (duplicate names are allowed), ascending. Each
    /// name-table entry is a big-endian group number followed by the name.
    private static func groups(named name: String, in code: OpaquePointer) -> [Int] {
        var first: UnsafePointer<UInt8>?
        var last: UnsafePointer<UInt8>?
        let entrySize = pcre2_substring_nametable_scan_8(code, name, &first, &last)
        guard entrySize > 0, let first, let last else { return [] }
        var groups: [Int] = []
        var entry = first
        while entry <= last {
            groups.append(Int(entry[0]) << 8 | Int(entry[1]))
            entry += Int(entrySize)
        }
        return groups.sorted()
    }

    /// Calls `body` with the range of every non-overlapping match in `subject` and the range
    /// of its secret group (nil when that group did not take part). Returns false when PCRE2
    /// gave up (match or depth limit) before the end of the subject. `end`: the subject is
    /// seen only up to there (a bound for wide keyword windows; matches are far shorter).
    @discardableResult
    func forEachMatch(in subject: UnsafeRawBufferPointer, from start: Int = 0, startLimit: Int? = nil, end: Int? = nil,
                             scratch: MatchScratch,
                             _ body: (_ match: Range<Int>, _ secret: Range<Int>?) -> Void) -> Bool {
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        let length = min(end ?? subject.count, subject.count)
        var offset = start
        let ovector = pcre2_get_ovector_pointer_8(scratch.matchData)!
        // Matches may start no later than `startLimit` (the whole subject is still seen, so
        // lookarounds and the match's end are as in a full search).
        let unset = Int(bitPattern: UInt.max)   // PCRE2_UNSET: no limit
        if let startLimit { pcre2_set_offset_limit_8(scratch.context, startLimit) }
        defer { if startLimit != nil { pcre2_set_offset_limit_8(scratch.context, unset) } }
        let lastStart = min(startLimit ?? length, length)
        let isJIT = self.isJIT
        while offset <= lastStart {
            let rc: Int32
            if isJIT {
                rc = pcre2_jit_match_8(code, base, length, offset, 0, scratch.matchData, scratch.context)
            } else {
                rc = pcre2_match_8(code, base, length, offset, 0, scratch.matchData, scratch.context)
            }
            if rc == PCRE2_ERROR_NOMATCH { return true }
            if rc < 0 { return false }
            let matchStart = Int(ovector[0]), matchEnd = Int(ovector[1])
            var secret: Range<Int>?
            for group in secretGroups where group < Int(rc) {
                let s = ovector[2 * group], e = ovector[2 * group + 1]
                // PCRE2_UNSET (~0) reads as -1 here: a group that did not take part.
                if s >= 0 && e >= s { secret = Int(s)..<Int(e); break }
            }
            body(matchStart..<matchEnd, secret)
            offset = matchEnd > matchStart ? matchEnd : matchEnd + 1
        }
        return true
    }
}

/// Per-thread matching state: PCRE2 match data, a match context with limits, and a JIT stack.
final class MatchScratch {
    let matchData: OpaquePointer
    let context: OpaquePointer
    private let jitStack: OpaquePointer?

    init(maxCaptures: Int = 32) {
        matchData = pcre2_match_data_create_8(UInt32(maxCaptures + 1), nil)
        context = pcre2_match_context_create_8(nil)
        // Bound the work one pathological subject can cost; PCRE2 reports a limit error instead.
        pcre2_set_match_limit_8(context, 5_000_000)
        pcre2_set_depth_limit_8(context, 100_000)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
        pcre2_match_data_free_8(matchData)
    }
}
