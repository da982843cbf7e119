/// Gives each id at most one candidate of a part, and each candidate to at most one id: a secret
/// is never paired with two key ids. Order and structure decide before distance:
///
/// 1. on one line, as many ids as candidates: the k-th id takes the k-th candidate (a CSV row,
///    `"AKIA…OLD" -> "AKIA…NEW"` beside `"OLD" -> "NEW"` on one line);
/// 2. in one block (the innermost `{…}`: a JSON object, a Terraform resource; or an INI
///    section), likewise; then, with unequal counts, the nearest within the block;
/// 3. what is left, over the whole content: as many as each other in order, else the nearest.
///
/// Nearest is by lines. Where two ids are as near to one candidate, or two
/// candidates to one id, the text does not say which: those ids are `ambiguous`, with the
/// candidates, rather than a guess.
struct PartAssignment {
    enum Choice: Equatable {
        case one(Int)
        case ambiguous([Int])
    }

    /// Candidates considered per id when pairing by distance (the nearest on each side): many
    /// ids and many candidates in one content must not cost ids × candidates.
    static let window = 4

    /// `ids` and `candidates` are byte offsets into `text`; the result is, per id, the index of
    /// its candidate, or the candidates it may take.
    static func assign(ids: [(offset: Int, value: String)], candidates: [(offset: Int, value: String)],
                       in text: UnsafeRawBufferPointer) -> [Choice?] {
        let idValues = ids.map(\.value), candidateValues = candidates.map(\.value)
        let ids = ids.map(\.offset), candidates = candidates.map(\.offset)
        var choices = [Choice?](repeating: nil, count: ids.count)
        guard !ids.isEmpty, !candidates.isEmpty else { return choices }
        if ids.count == 1 && candidates.count == 1 { return [.one(0)] }
        let structure = TextStructure(text, offsets: ids + candidates)
        let idPlaces = ids.map { structure.place(of: $0) }
        let candidatePlaces = candidates.map { structure.place(of: $0) }
        var freeIDs = Set(ids.indices)
        var freeCandidates = Set(candidates.indices)

        // 1 and 2: by line, then by block, in order where the counts agree.
        for key in [{ (p: TextStructure.Place) in p.line }, { (p: TextStructure.Place) in p.block }] {
            var idGroups: [Int: [Int]] = [:], candidateGroups: [Int: [Int]] = [:]
            for i in freeIDs { idGroups[key(idPlaces[i]), default: []].append(i) }
            for c in freeCandidates { candidateGroups[key(candidatePlaces[c]), default: []].append(c) }
            for (group, groupIDs) in idGroups {
                guard let groupCandidates = candidateGroups[group], groupCandidates.count == groupIDs.count else { continue }
                for (i, c) in zip(groupIDs.sorted { ids[$0] < ids[$1] }, groupCandidates.sorted { candidates[$0] < candidates[$1] }) {
                    choices[i] = .one(c)
                    freeIDs.remove(i)
                    freeCandidates.remove(c)
                }
            }
        }
        // 2, unequal counts: the nearest within each block (block 0 is the content outside any).
        var idBlocks: [Int: [Int]] = [:], candidateBlocks: [Int: [Int]] = [:]
        for i in freeIDs where idPlaces[i].block != 0 { idBlocks[idPlaces[i].block, default: []].append(i) }
        for c in freeCandidates where candidatePlaces[c].block != 0 { candidateBlocks[candidatePlaces[c].block, default: []].append(c) }
        for (block, blockIDs) in idBlocks {
            guard let blockCandidates = candidateBlocks[block] else { continue }
            nearest(blockIDs, blockCandidates, ids: ids, candidates: candidates, idValues: idValues,
                    candidateValues: candidateValues, idPlaces: idPlaces,
                    candidatePlaces: candidatePlaces, choices: &choices, freeIDs: &freeIDs, freeCandidates: &freeCandidates)
        }
        // 3: the rest, over the whole content.
        let restIDs = freeIDs.sorted { ids[$0] < ids[$1] }, restCandidates = freeCandidates.sorted { candidates[$0] < candidates[$1] }
        if restIDs.count == restCandidates.count {
            for (i, c) in zip(restIDs, restCandidates) { choices[i] = .one(c) }
        } else {
            nearest(restIDs, restCandidates, ids: ids, candidates: candidates, idValues: idValues,
                    candidateValues: candidateValues, idPlaces: idPlaces,
                    candidatePlaces: candidatePlaces, choices: &choices, freeIDs: &freeIDs, freeCandidates: &freeCandidates)
        }
        return choices
    }

    /// One-to-one by distance: the closest (id, candidate) pairs first. A pair with a rival as
    /// near (another free id to the same candidate, another free candidate to the same id) is a
    /// doubt: the ids involved are ambiguous with the candidates involved, which no one else takes.
    private static func nearest(_ groupIDs: [Int], _ groupCandidates: [Int], ids: [Int], candidates: [Int],
                                idValues: [String], candidateValues: [String],
                                idPlaces: [TextStructure.Place], candidatePlaces: [TextStructure.Place],
                                choices: inout [Choice?], freeIDs: inout Set<Int>, freeCandidates: inout Set<Int>) {
        guard !groupIDs.isEmpty, !groupCandidates.isEmpty else { return }
        let sortedCandidates = groupCandidates.sorted { candidates[$0] < candidates[$1] }
        let candidateOffsets = sortedCandidates.map { candidates[$0] }
        struct Pair { var id: Int; var candidate: Int; var lines: Int; var bytes: Int }
        var pairs: [Pair] = []
        for i in groupIDs {
            // The `window` nearest candidates on each side of the id, by offset.
            var low = 0, high = candidateOffsets.count
            while low < high {
                let middle = (low + high) / 2
                if candidateOffsets[middle] < ids[i] { low = middle + 1 } else { high = middle }
            }
            for k in max(0, low - window)..<min(candidateOffsets.count, low + window) {
                let c = sortedCandidates[k]
                pairs.append(Pair(id: i, candidate: c, lines: abs(idPlaces[i].line - candidatePlaces[c].line),
                                  bytes: abs(ids[i] - candidates[c])))
            }
        }
        pairs.sort { ($0.lines, $0.bytes, $0.id, $0.candidate) < ($1.lines, $1.bytes, $1.id, $1.candidate) }
        var start = 0
        while start < pairs.count {
            // Pairs as near as each other (in lines) are weighed together.
            var end = start
            while end < pairs.count && pairs[end].lines == pairs[start].lines { end += 1 }
            let tier = pairs[start..<end].filter { freeIDs.contains($0.id) && freeCandidates.contains($0.candidate) }
            // Ids and candidates linked by pairs of this tier form groups; a group of one pair is
            // certain, a larger one is a doubt.
            var seen = Set<Int>()
            for pair in tier where !seen.contains(pair.id) && freeIDs.contains(pair.id) {
                var groupIDs: Set<Int> = [pair.id], groupCandidates: Set<Int> = []
                var changed = true
                while changed {
                    changed = false
                    for p in tier where groupIDs.contains(p.id) || groupCandidates.contains(p.candidate) {
                        if groupIDs.insert(p.id).inserted { changed = true }
                        if groupCandidates.insert(p.candidate).inserted { changed = true }
                    }
                }
                seen.formUnion(groupIDs)
                if Set(groupCandidates.map { candidateValues[$0] }).count == 1
                    && Set(groupIDs.map { idValues[$0] }).count == 1 {
                    // One id (maybe written twice) and one value (maybe written twice): no doubt.
                    let first = groupCandidates.min { candidates[$0] < candidates[$1] }!
                    for i in groupIDs { choices[i] = .one(first) }
                } else {
                    let all = groupCandidates.sorted { candidates[$0] < candidates[$1] }
                    for i in groupIDs { choices[i] = .ambiguous(all) }
                }
                freeIDs.subtract(groupIDs)
                freeCandidates.subtract(groupCandidates)
            }
            start = end
        }
    }
}

/// Where offsets of a text lie: the line, and the block (the innermost `{…}`, or the INI section,
/// numbered from 1; 0 outside any). One pass over the text up to the last offset asked about.
struct TextStructure {
    struct Place { var line: Int; var block: Int }
    private var places: [Int: Place] = [:]

    init(_ text: UnsafeRawBufferPointer, offsets: [Int]) {
        let wanted = Array(Set(offsets)).sorted()
        guard let last = wanted.last else { return }
        let bytes = text.bindMemory(to: UInt8.self)
        var line = 1, next = 0
        var stack: [Int] = []
        var section = 0, blocks = 0
        var lineStart = true
        var position = 0
        let end = min(bytes.count, last + 1)
        while position < end {
            while next < wanted.count && wanted[next] == position {
                places[position] = Place(line: line, block: stack.last ?? section)
                next += 1
            }
            let b = bytes[position]
            switch b {
            case 0x0A: line += 1; lineStart = true; position += 1; continue
            case UInt8(ascii: "{"): blocks += 1; stack.append(blocks)
            case UInt8(ascii: "}"): _ = stack.popLast()
            case UInt8(ascii: "[") where lineStart && stack.isEmpty && TextStructure.isSectionHeader(bytes, at: position):
                blocks += 1; section = blocks
            default: break
            }
            if b != 0x20 && b != 0x09 { lineStart = false }
            position += 1
        }
        while next < wanted.count { places[wanted[next]] = Place(line: line, block: stack.last ?? section); next += 1 }
    }

    func place(of offset: Int) -> Place { places[offset] ?? Place(line: 0, block: 0) }

    /// `[name]` alone on its line (spaces around allowed).
    private static func isSectionHeader(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        var i = start + 1
        var name = 0
        while i < bytes.count, bytes[i] != 0x0A, bytes[i] != UInt8(ascii: "]") {
            if bytes[i] == UInt8(ascii: "[") { return false }
            name += 1; i += 1
        }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "]"), name > 0 else { return false }
        i += 1
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        return i == bytes.count || bytes[i] == 0x0A
    }
}
