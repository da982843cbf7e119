/// The keyword search for large keyword sets (see `KeywordPrefilter`): one pass over the bytes.
///
/// An Aho-Corasick automaton compiled to a dense DFA over byte classes, matching ASCII
/// case-insensitively. A state's entry in `table` is negated when reaching it completes a keyword.
struct KeywordAutomaton: Sendable {
    private let byteClass: [UInt8]          // 256 entries: byte -> class (0: in no keyword)
    private let classCount: Int
    private let table: [Int32]              // state * classCount + class -> next * classCount (negative: has output)
    private let outputs: [[Output]]         // state -> keywords completed there

    /// A keyword completed at a state: its rule and its length in bytes.
    private struct Output: Equatable, Sendable {
        var rule: Int32
        var length: Int32
    }
    let longest: Int                        // bytes in the longest keyword

    /// `keywords[i]` are the keywords of rule `i`; an empty list means "always run".
    init(keywords: [[String]]) {
        var classes = [UInt8](repeating: 0, count: 256)
        var nextClass: UInt8 = 1
        func fold(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }
        for list in keywords { for word in list { for b in word.utf8 {
            let f = fold(b)
            if classes[Int(f)] == 0 { classes[Int(f)] = nextClass; nextClass += 1 }
        } } }
        for b in 65...90 { classes[b] = classes[b + 32] }
        let classCount = Int(nextClass)

        // Trie.
        var goto: [[Int32]] = [[Int32](repeating: -1, count: classCount)]
        var out: [[Output]] = [[]]
        for (rule, list) in keywords.enumerated() {
            if list.isEmpty { continue }
            for word in list where !word.isEmpty {
                var state = 0
                for b in word.utf8 {
                    let c = Int(classes[Int(fold(b))])
                    if goto[state][c] < 0 {
                        goto[state][c] = Int32(goto.count)
                        goto.append([Int32](repeating: -1, count: classCount))
                        out.append([])
                    }
                    state = Int(goto[state][c])
                }
                let output = Output(rule: Int32(rule), length: Int32(word.utf8.count))
                if !out[state].contains(output) { out[state].append(output) }
            }
        }
        // Failure links, breadth first, folded into a full DFA.
        var fail = [Int](repeating: 0, count: goto.count)
        var queue: [Int] = []
        for c in 0..<classCount {
            if goto[0][c] < 0 { goto[0][c] = 0 } else { fail[Int(goto[0][c])] = 0; queue.append(Int(goto[0][c])) }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]; head += 1
            for output in out[fail[state]] where !out[state].contains(output) { out[state].append(output) }
            for c in 0..<classCount {
                let next = goto[state][c]
                if next < 0 {
                    goto[state][c] = goto[fail[state]][c]
                } else {
                    fail[Int(next)] = Int(goto[fail[state]][c])
                    queue.append(Int(next))
                }
            }
        }
        var table = [Int32](repeating: 0, count: goto.count * classCount)
        for state in 0..<goto.count {
            for c in 0..<classCount {
                let next = Int(goto[state][c])
                // Class 0 (a byte in no keyword) always returns to the root.
                let target = c == 0 ? 0 : next
                // Stored premultiplied by the row length: no multiply in the byte loop's dependency chain.
                let row = Int32(target * classCount)
                table[state * classCount + c] = out[target].isEmpty ? row : -row
            }
        }
        self.longest = keywords.joined().map(\.utf8.count).max() ?? 0
        self.byteClass = classes
        self.classCount = classCount
        self.table = table
        self.outputs = out
    }

    /// Marks in `hits` each rule whose keyword occurs in `bytes`; returns how many it marked.
    ///
    /// The bytes are cut into four stretches walked by four automata in the same loop, so the
    /// table lookups of one do not wait on those of another (one automaton is bound by the
    /// latency of its own lookups). Each stretch after the first starts `longest - 1` bytes
    /// early, so a keyword across a cut is still seen whole by the stretch it ends in.
    ///
    /// For each rule `r` with `recording[r]`, `starts[r]` also receives the offset where each
    /// occurrence of its keywords starts (in no particular order; the caller empties it).
    func mark(_ bytes: UnsafeRawBufferPointer, into hits: inout [Bool],
              recording: [Bool] = [], starts: inout [[Int]]) -> Int {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return 0 }
        let count = bytes.count
        let stride = classCount
        let record = !recording.isEmpty
        var marked = 0
        byteClass.withUnsafeBufferPointer { classes in
            table.withUnsafeBufferPointer { table in
                // `row` was reached by reading the byte at `end`.
                @inline(__always) func output(_ row: Int, _ end: Int) {
                    for output in outputs[row / stride] {
                        let rule = Int(output.rule)
                        if !hits[rule] { hits[rule] = true; marked += 1 }
                        if record && recording[rule] { starts[rule].append(end - Int(output.length) + 1) }
                    }
                }
                let part = count / 4
                let overlap = max(longest - 1, 0)
                var i = 0
                if part > 4 * overlap + 64 {
                    // Stretch k starts at k*part - overlap (stretch 0 at 0) and takes part + overlap
                    // steps: stretch k < 3 ends at (k+1)*part (stretch 0 a little after).
                    var rows = (0, 0, 0, 0)
                    var p1 = part - overlap, p2 = 2 * part - overlap, p3 = 3 * part - overlap
                    let steps = part + overlap
                    while true {
                        // The byte loop runs in a function of its own, free of the output
                        // bookkeeping: all its state then stays in registers.
                        let stopped = KeywordAutomaton.run(table.baseAddress!, classes.baseAddress!, base,
                                                           &rows, &i, &p1, &p2, &p3, steps)
                        guard stopped else { break }
                        if rows.0 < 0 { rows.0 = -rows.0; output(rows.0, i) }
                        if rows.1 < 0 { rows.1 = -rows.1; output(rows.1, p1) }
                        if rows.2 < 0 { rows.2 = -rows.2; output(rows.2, p2) }
                        if rows.3 < 0 { rows.3 = -rows.3; output(rows.3, p3) }
                        i &+= 1; p1 &+= 1; p2 &+= 1; p3 &+= 1
                    }
                    // Stretch 3 goes on to the end.
                    i = p3
                    var row = rows.3
                    while i < count {
                        var n = Int(table[row &+ Int(classes[Int(base[i])])]); if n < 0 { n = -n; output(n, i) }; row = n
                        i &+= 1
                    }
                    return
                }
                var row = 0
                while i < count {
                    var n = Int(table[row &+ Int(classes[Int(base[i])])]); if n < 0 { n = -n; output(n, i) }; row = n
                    i &+= 1
                }
            }
        }
        return marked
    }

    /// Whether `byte` occurs in some keyword (either case): an occurrence holds no other byte.
    func inKeyword(_ byte: UInt8) -> Bool { byteClass[Int(byte)] != 0 }

    /// Appends to `hits` every keyword occurrence that starts at or after the lower bound of one
    /// of `ranges` (ascending, apart) and ends within it, in no particular order, stopping once
    /// `hits` holds more than `limit` (for the short stretches `KeywordHits` scans, and the
    /// whole blobs it starts from). Four automata walk four stretches in the same loop, as in `mark`: the ranges
    /// themselves (`KeywordHits` scans many short ones), a long range cut in four. A stretch
    /// cut out of a range starts `longest - 1` bytes early, from the root, and reports only
    /// the occurrences that end in its own part: the one before it reported the others.
    func hits(in bytes: UnsafeRawBufferPointer, _ ranges: [Range<Int>], into hits: inout [KeywordHits.Hit], limit: Int = .max) {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let overlap = max(longest - 1, 0)
        // (start, first position reported, end) of each stretch.
        var stretches: [(start: Int, report: Int, end: Int)] = []
        for range in ranges where !range.isEmpty {
            let part = range.count / 4
            if part > 4 * overlap + 64 {
                for k in 0..<4 {
                    let report = range.lowerBound + k * part
                    stretches.append((k == 0 ? report : report - overlap, report, k == 3 ? range.upperBound : report + part))
                }
            } else {
                stretches.append((range.lowerBound, range.lowerBound, range.upperBound))
            }
        }
        let stride = classCount
        byteClass.withUnsafeBufferPointer { classes in
            table.withUnsafeBufferPointer { table in
                @inline(__always) func output(_ row: Int, _ position: Int, _ report: Int) {
                    guard position >= report else { return }
                    for output in outputs[row / stride] {
                        hits.append(KeywordHits.Hit(start: Int32(position + 1 - Int(output.length)), end: Int32(position + 1), rule: output.rule))
                    }
                }
                var next = 0
                // The four lanes: row, position, end, first position reported.
                var rows = (0, 0, 0, 0)
                var positions = [0, 0, 0, 0], ends = [0, 0, 0, 0], reports = [0, 0, 0, 0]
                var lanes = 0
                while lanes < 4, next < stretches.count {
                    (positions[lanes], reports[lanes], ends[lanes]) = stretches[next]
                    lanes += 1; next += 1
                }
                if lanes == 4 {
                    while true {
                        var i = positions[0], p1 = positions[1], p2 = positions[2], p3 = positions[3]
                        let steps = i + min(ends[0] - i, ends[1] - p1, ends[2] - p2, ends[3] - p3)
                        let stopped = KeywordAutomaton.run(table.baseAddress!, classes.baseAddress!, base,
                                                           &rows, &i, &p1, &p2, &p3, steps)
                        if stopped {
                            if rows.0 < 0 { rows.0 = -rows.0; output(rows.0, i, reports[0]) }
                            if rows.1 < 0 { rows.1 = -rows.1; output(rows.1, p1, reports[1]) }
                            if rows.2 < 0 { rows.2 = -rows.2; output(rows.2, p2, reports[2]) }
                            if rows.3 < 0 { rows.3 = -rows.3; output(rows.3, p3, reports[3]) }
                            if hits.count > limit { return }
                            i &+= 1; p1 &+= 1; p2 &+= 1; p3 &+= 1
                        }
                        // In place: a new array per round would allocate once per region ended.
                        positions[0] = i; positions[1] = p1; positions[2] = p2; positions[3] = p3
                        // A lane at its end takes the next stretch, from the root; with none
                        // left, the lanes still walking finish one by one below.
                        var refilled = true
                        for k in 0..<4 where positions[k] == ends[k] {
                            guard next < stretches.count else { refilled = false; continue }
                            (positions[k], reports[k], ends[k]) = stretches[next]
                            next += 1
                            switch k { case 0: rows.0 = 0; case 1: rows.1 = 0; case 2: rows.2 = 0; default: rows.3 = 0 }
                        }
                        if !refilled { break }
                    }
                }
                let lastRows = [rows.0, rows.1, rows.2, rows.3]
                var rest: [(row: Int, start: Int, report: Int, end: Int)] = (0..<lanes).map { (lastRows[$0], positions[$0], reports[$0], ends[$0]) }
                while next < stretches.count { rest.append((0, stretches[next].start, stretches[next].report, stretches[next].end)); next += 1 }
                for lane in rest {
                    var row = lane.row, i = lane.start
                    while i < lane.end {
                        var n = Int(table[row &+ Int(classes[Int(base[i])])])
                        if n < 0 {
                            n = -n
                            output(n, i, lane.report)
                            if hits.count > limit { return }
                        }
                        row = n
                        i &+= 1
                    }
                }
            }
        }
    }

    /// Steps the four automata (rows in `rows`, positions `i`, `p1`, `p2`, `p3`) until step
    /// `steps`, or until a step reaches a state with output: then returns true with the new
    /// rows (negative where an output was reached) and the positions of that step.
    @inline(never)
    private static func run(_ table: UnsafePointer<Int32>, _ classes: UnsafePointer<UInt8>, _ base: UnsafePointer<UInt8>,
                            _ rows: inout (Int, Int, Int, Int), _ i: inout Int, _ p1: inout Int, _ p2: inout Int,
                            _ p3: inout Int, _ steps: Int) -> Bool {
        var (r0, r1, r2, r3) = rows
        // The four positions advance together: one index over four base pointers.
        let b1 = base + (p1 - i), b2 = base + (p2 - i), b3 = base + (p3 - i)
        var a = i
        defer { rows = (r0, r1, r2, r3); p1 += a - i; p2 += a - i; p3 += a - i; i = a }
        while a < steps {
            let n0 = Int(table[r0 &+ Int(classes[Int(base[a])])])
            let n1 = Int(table[r1 &+ Int(classes[Int(b1[a])])])
            let n2 = Int(table[r2 &+ Int(classes[Int(b2[a])])])
            let n3 = Int(table[r3 &+ Int(classes[Int(b3[a])])])
            r0 = n0; r1 = n1; r2 = n2; r3 = n3
            if (n0 | n1 | n2 | n3) < 0 { return true }
            a &+= 1
        }
        return false
    }
}
