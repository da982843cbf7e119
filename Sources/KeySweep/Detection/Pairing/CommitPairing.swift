/// Pairs an id with a part that sits, named by nothing, in another file of the same commit
/// (`key-id.txt` and `key-material.txt` committed together): for the parts of `[[rule.pair]]`
/// whose rule has an `unnamed` form. Runs after the history scan, and reads only the other
/// blobs of commits that introduced an unpaired id.
struct CommitPairing {
    /// Commits with more new blobs than this are imports or vendored trees: pairing by commit
    /// there would tie unrelated strings together.
    static let maxBlobsPerCommit = 200

    let rules: RuleSet
    let options: ScanOptions

    /// Adds the parts found this way to `blobMatches` and pairs them with their ids.
    func complete(_ blobMatches: inout [(ObjectID, [SecretMatch])], index: HistoryIndex, repository: Repository) {
        let pairer = CredentialPairer(rules: rules)
        for part in pairer.unnamedParts {
            complete(&blobMatches, part: part, pairer: pairer, index: index, repository: repository)
        }
    }

    private func complete(_ blobMatches: inout [(ObjectID, [SecretMatch])], part: (idRule: Int, role: String, partRule: Int),
                          pairer: CredentialPairer, index: HistoryIndex, repository: Repository) {
        // Commits that introduced a blob holding an unpaired id.
        var unpaired: [Int32: [(entry: Int, match: Int)]] = [:]
        for (entry, (blob, matches)) in blobMatches.enumerated() {
            for (m, match) in matches.enumerated()
            where match.rule == part.idRule && !match.isPlaceholder && match.pairing?[part.role] == nil
                && match.pairing?.candidates[part.role] == nil {   // a doubt in its own content is not settled by another file
                for introduction in index.introductions[blob] ?? [] {
                    unpaired[introduction.commit, default: []].append((entry, m))
                }
            }
        }
        guard !unpaired.isEmpty else { return }
        // The blobs each of those commits introduced.
        var blobsOf: [Int32: [ObjectID]] = [:]
        for (blob, introductions) in index.introductions {
            for introduction in introductions where unpaired[introduction.commit] != nil {
                blobsOf[introduction.commit, default: []].append(blob)
            }
        }
        var entryOf: [ObjectID: Int] = [:]
        for (entry, (blob, _)) in blobMatches.enumerated() { entryOf[blob] = entry }

        for (commit, ids) in unpaired.sorted(by: { $0.key < $1.key }) {
            let blobs = blobsOf[commit] ?? []
            guard blobs.count <= Self.maxBlobsPerCommit else { continue }
            let idBlobs = Set(ids.map { blobMatches[$0.entry].0 })
            var found: [SecretMatch] = []
            for blob in blobs where !idBlobs.contains(blob) {
                let unnamed = (try? repository.withObject(blob) { _, raw -> [SecretMatch] in
                    guard raw.count <= options.maxBlobSize, !ContentPolicy.looksBinary(raw) else { return [] }
                    return pairer.unnamed(of: part.partRule, in: raw)
                }) ?? []
                let real = unnamed.filter { !$0.isPlaceholder }
                guard !real.isEmpty else { continue }
                found += real
                if let entry = entryOf[blob] {
                    let known = Set(blobMatches[entry].1.map { "\($0.rule) \($0.secret)" })
                    blobMatches[entry].1 += real.filter { !known.contains("\($0.rule) \($0.secret)") }
                } else {
                    entryOf[blob] = blobMatches.count
                    blobMatches.append((blob, real))
                }
            }
            // One value for the commit's ids: pair them; several: nothing tells which is whose.
            let distinct = Array(Set(found.map(\.secret)))
            guard distinct.count == 1 else { continue }
            for (entry, m) in ids where blobMatches[entry].1[m].pairing?[part.role] == nil {
                var pairing = blobMatches[entry].1[m].pairing ?? Pairing(how: .sameCommit)
                pairing.parts[part.role] = distinct[0]
                pairing.how = .sameCommit
                blobMatches[entry].1[m].pairing = pairing
            }
        }
    }
}
