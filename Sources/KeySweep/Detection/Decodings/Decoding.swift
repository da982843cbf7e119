/// A way text hides a secret from a plain match (UTF-16, percent-encoding, string escapes,
/// base64 values). Each decoding lives in its own file; `Decodings.all` lists them.
protocol Decoding: Sendable {
    /// Named in the report (`occurrence.decoding`).
    var name: String { get }
    /// Cheap test: is decoding worth trying on these bytes? `hints` says which families of
    /// rules had a keyword in them (from the matcher's prefilter pass).
    func applies(to bytes: UnsafeBufferPointer<UInt8>, hints: DecodingHints) -> Bool
    /// The decoded text, with a way back to the original line numbers; nil when nothing changes.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> DecodedText?
}

/// Decoded bytes and, for each of their lines, the line of the original content it came from.
struct DecodedText {
    var bytes: [UInt8]
    /// `originalLine[i]` is the original line of decoded line `i + 1`; nil when lines map 1:1.
    var originalLine: [Int]?

    func line(_ decodedLine: Int) -> Int {
        guard let map = originalLine, decodedLine >= 1, decodedLine <= map.count else { return decodedLine }
        return map[decodedLine - 1]
    }
}

/// What the prefilter saw in the content: decodings are tried only where they can pay off
/// (a keyword such as `secret` is everywhere; a key id or token prefix is not).
struct DecodingHints {
    /// A key id prefix, or the base64 form of `AKIA`/`ASIA`, occurred.
    var keyID = false
    /// A session token prefix occurred.
    var token = false
    /// A word that names a secret key occurred (`secret`).
    var secretWord = false
    /// A keyword of a Docker or Kubernetes credential rule occurred.
    var containerAuth = false

    /// Either half of an AWS credential may be here.
    var aws: Bool { keyID || token || secretWord }

    /// The hints for the rules `triggered` in `rules`.
    init(triggered: [Int], rules: RuleSet) {
        for index in triggered {
            switch rules.rules[index].id {
            case AWSCredentialDetector.keyIDRuleID: keyID = true
            case AWSCredentialDetector.tokenRuleID: token = true
            case AWSCredentialDetector.secretRuleID: secretWord = true
            case let id where id.contains("docker") || id.contains("kubernetes"): containerAuth = true
            default: break
            }
        }
    }
}

enum Decodings {
    static let all: [any Decoding] = [UTF16Decoding(), PercentDecoding(), EscapeDecoding(), Base64Decoding()]
}

/// Substring search on bytes (memmem).
enum ByteSearch {
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        firstIndex(of: needle, in: haystack, from: 0) != nil
    }

    static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = haystack.baseAddress, start < haystack.count, !needle.isEmpty else { return nil }
        // memchr for the first byte, memcmp for the rest (glibc's memmem is not visible to Swift).
        let first = Int32(needle[0])
        let last = haystack.count - needle.count
        var position = start
        return needle.withUnsafeBytes { n -> Int? in
            while position <= last {
                guard let hit = memchr(base + position, first, last - position + 1) else { return nil }
                let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + index, n.baseAddress!, n.count) == 0 { return index }
                position = index + 1
            }
            return nil
        }
    }
}

import Foundation
