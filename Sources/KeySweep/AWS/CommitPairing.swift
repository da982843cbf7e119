/// Pairs a key id with a secret key that sits, named by nothing, in another file of the same
/// commit (`key-id.txt` and `key-material.txt` committed together). Runs after the history
/// scan, and reads only the other blobs of commits that introduced an unpaired key id.
struct CommitPairing {
    /// Commits with more new blobs than this are imports or vendored trees: pairing by commit
    /// there would tie unrelated strings together.
    static let maxBlobsPerCommit = 200

    let rules: RuleSet
    let options: ScanOptions

    /// Adds the secret keys found this way to `blobMatches` and pairs them with their ids.
    func complete(_ blobMatches: inout [(ObjectID, [SecretMatch])], index: HistoryIndex, repository: Repository) {
        let detector = AWSCredentialDetector(rules: rules)
        guard let keyIDRule = detector.keyIDRule, detector.secretRule != nil else { return }
        // Commits that introduced a blob holding an unpaired key id.
        var unpaired: [Int32: [(entry: Int, match: Int)]] = [:]
        for (entry, (blob, matches)) in blobMatches.enumerated() {
            for (m, match) in matches.enumerated()
            where match.rule == keyIDRule && !match.isPlaceholder && match.awsPairing?.secret == nil {
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
            var secrets: [SecretMatch] = []
            for blob in blobs where !idBlobs.contains(blob) {
                let found = (try? repository.withObject(blob) { _, raw -> [SecretMatch] in
                    guard raw.count <= options.maxBlobSize, !ContentScanner.looksBinary(raw) else { return [] }
                    return detector.unnamedSecrets(in: raw)
                }) ?? []
                let real = found.filter { !$0.isPlaceholder }
                guard !real.isEmpty else { continue }
                secrets += real
                if let entry = entryOf[blob] {
                    let known = Set(blobMatches[entry].1.map { "\($0.rule) \($0.secret)" })
                    blobMatches[entry].1 += real.filter { !known.contains("\($0.rule) \($0.secret)") }
                } else {
                    entryOf[blob] = blobMatches.count
                    blobMatches.append((blob, real))
                }
            }
            // One secret for the commit's ids: pair them; several: pair only a lone id with a lone secret.
            let distinct = Array(Set(secrets.map(\.secret)))
            guard distinct.count == 1 else { continue }
            for (entry, m) in ids where blobMatches[entry].1[m].awsPairing?.secret == nil {
                var pairing = blobMatches[entry].1[m].awsPairing ?? AWSPairing(how: "same commit")
                pairing.secret = distinct[0]
                pairing.how = "same commit"
                blobMatches[entry].1[m].awsPairing = pairing
            }
        }
    }
}
