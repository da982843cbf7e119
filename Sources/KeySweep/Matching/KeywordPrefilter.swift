/// Finds which rules' keywords occur in a chunk, in one pass over its bytes, so a rule's regex
/// runs only on chunks that contain one of its keywords.
///
/// An Aho-Corasick automaton compiled to a dense DFA over byte classes, matching ASCII
/// case-insensitively. A state's entry in `table` is negated when reaching it completes a keyword.
struct KeywordPrefilter: Sendable {
    private let byteClass: [UInt8]          // 256 entries: byte -> class (0: in no keyword)
    private let classCount: Int
    private let table: [Int32]              // state * classCount + class -> next (negative: has output)
    private let outputs: [[Int32]]          // state -> rule indices completed there
    private let alwaysRun: [Int32]          // rules without keywords
    let ruleCount: Int

    /// `keywords[i]` are the keywords of rule `i`; an empty list means "always run".
    init(keywords: [[String]]) {
        ruleCount = keywords.count
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
        var out: [[Int32]] = [[]]
        var always: [Int32] = []
        for (rule, list) in keywords.enumerated() {
            if list.isEmpty { always.append(Int32(rule)); continue }
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
                if !out[state].contains(Int32(rule)) { out[state].append(Int32(rule)) }
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
            for rule in out[fail[state]] where !out[state].contains(rule) { out[state].append(rule) }
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
                table[state * classCount + c] = out[target].isEmpty ? Int32(target) : -Int32(target)
            }
        }
        self.byteClass = classes
        self.classCount = classCount
        self.table = table
        self.outputs = out
        self.alwaysRun = always
    }

    /// Marks in `hits` (one flag per rule, cleared by the caller) each rule whose keyword occurs
    /// in `bytes`, or which has no keywords. Returns how many rules were marked.
    func mark(_ bytes: UnsafeRawBufferPointer, into hits: inout [Bool]) -> Int {
        var marked = 0
        for rule in alwaysRun where !hits[Int(rule)] { hits[Int(rule)] = true; marked += 1 }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count > 0 else { return marked }
        let count = bytes.count
        let stride = classCount
        byteClass.withUnsafeBufferPointer { classes in
            table.withUnsafeBufferPointer { table in
                var state = 0
                var i = 0
                while i < count {
                    let next = table[state &* stride &+ Int(classes[Int(base[i])])]
                    if next < 0 {
                        state = Int(-next)
                        for rule in outputs[state] where !hits[Int(rule)] { hits[Int(rule)] = true; marked += 1 }
                    } else {
                        state = Int(next)
                    }
                    i &+= 1
                }
            }
        }
        return marked
    }
}
