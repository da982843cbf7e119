/// Finds secrets in content as written and in what its decodings reveal, pairs the parts of
/// credentials in each, and merges the two views: one match per (rule, secret, line), the
/// plain one preferred, pairings kept from whichever view saw them.
struct LayeredDetection {
    /// How many decodings may be stacked (base64 inside base64, as in `.dockerconfigjson`).
    static let maxDepth = 2

    static func detect(in bytes: UnsafeRawBufferPointer, scanner: ContentScanner, pairer: CredentialPairer) -> [SecretMatch] {
        var all = layer(bytes, decoding: nil, depth: 0, scanner: scanner, pairer: pairer) { $0 }
        guard all.count > 1 else { return all }
        // Merge duplicates across views.
        var seen: [MatchKey: Int] = [:]
        var merged: [SecretMatch] = []
        for match in all.sorted(by: { ($0.decoding == nil ? 0 : 1) < ($1.decoding == nil ? 0 : 1) }) {
            let key = MatchKey(rule: match.rule, secret: match.secret, line: match.line)
            if let existing = seen[key] {
                if merged[existing].pairing == nil { merged[existing].pairing = match.pairing }
                continue
            }
            seen[key] = merged.count
            merged.append(match)
        }
        all = merged
        return EncodedForms.drop(from: all, rules: scanner.matcher.rules)
    }

    private struct MatchKey: Hashable { var rule: Int; var secret: String; var line: Int }

    private static func layer(_ bytes: UnsafeRawBufferPointer, decoding: String?, depth: Int, scanner: ContentScanner,
                              pairer: CredentialPairer, mapLine: (Int) -> Int) -> [SecretMatch] {
        var matches = scanner.matches(in: bytes, decoding: decoding)
        let hints = DecodingHints(scanner.matcher, families: scanner.decodingFamilies)
        if !pairer.isEmpty { pairer.complete(&matches, in: bytes, decoding: decoding) }
        for index in matches.indices { matches[index].line = mapLine(matches[index].line) }
        guard depth < maxDepth else { return matches }
        let text = bytes.bindMemory(to: UInt8.self)
        for decoder in Decodings.all {
            let name = decoding.map { "\($0)+\(decoder.name)" } ?? decoder.name
            guard let anchors = decoder.anchors(hints) else {
                guard decoder.applies(to: text, hints: hints), let decoded = decoder.decode(text) else { continue }
                matches += decoded.bytes.withUnsafeBytes { inner in
                    layer(inner, decoding: name, depth: depth + 1, scanner: scanner, pairer: pairer) { mapLine(decoded.line($0)) }
                }
                continue
            }
            var lines = LineCounter(text)
            for region in DecodingRegions.around(anchors, in: text) {
                let slice = UnsafeBufferPointer(rebasing: text[region])
                guard decoder.applies(to: slice, hints: hints), let decoded = decoder.decode(slice) else { continue }
                matches += decoded.bytes.withUnsafeBytes { inner in
                    layer(inner, decoding: name, depth: depth + 1, scanner: scanner, pairer: pairer) {
                        mapLine(lines.line(at: region.lowerBound) - 1 + decoded.line($0))
                    }
                }
            }
        }
        return matches
    }
}
