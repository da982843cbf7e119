import Crypto
import Foundation
import KeySweepRuleFile
import TOMLKit

/// A `.keysweepignore` file: acknowledged secrets, each identified by a salted keyed hash of
/// its rule and value (never the value itself), optionally limited to paths, with a reason.
///
/// ```toml
/// [[ignore]]
/// rule = "aws-access-key-id"
/// hash = "hmac-sha256:4f1c…:9a0e…"     # random salt : HMAC-SHA256(salt, rule, secret)
/// reason = "rotated 2026-11-20"
/// paths = ["tests/fixtures/**"]        # optional: only there
/// ```
///
/// Because the entry names the secret, not a file and line, it keeps matching when the line
/// moves and never hides a different secret written on the same line.
public struct IgnoreFile: Sendable {
    public struct Entry: Sendable {
        var rule: String
        var hash: String
        var reason: String
        var paths: [String]
        /// Where it was read: `file` and the entry's 1-based number in it.
        var source: String
        var number: Int

        /// Whether this entry names `secret` of `rule`.
        func matches(rule: String, secret: String) -> Bool {
            guard rule == self.rule else { return false }
            let parts = hash.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "hmac-sha256", let salt = IgnoreFile.bytes(hex: String(parts[1])) else { return false }
            return IgnoreFile.digest(salt: salt, rule: rule, secret: secret) == parts[2].lowercased()
        }

        /// Whether the entry applies at `path` (always, when it names no paths).
        func applies(to path: String, stripping prefixes: [String]) -> Bool {
            guard !paths.isEmpty else { return true }
            var candidates = [path]
            for prefix in prefixes where !prefix.isEmpty {
                let base = prefix.hasSuffix("/") ? prefix : prefix + "/"
                if path.hasPrefix(base) { candidates.append(String(path.dropFirst(base.count))) }
            }
            return paths.contains { glob in candidates.contains { Glob.matches(glob, $0) } }
        }

        public var summary: String {
            "\(source) entry \(number) (rule \(rule)\(paths.isEmpty ? "" : ", paths \(paths.joined(separator: " "))"), reason \"\(reason)\")"
        }
    }

    /// An ignore file that cannot be used, with the file named.
    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    var entries: [Entry]

    init(entries: [Entry] = []) { self.entries = entries }

    /// Parses the TOML text of an ignore file; `source` names it in messages.
    init(text: String, source: String) throws {
        let table: TOMLTable
        do { table = try TOMLReading.table(text) } catch { throw LoadError(description: error.message(file: source)) }
        var entries: [Entry] = []
        for key in table.keys where key != "ignore" {
            throw LoadError(description: "\(source): unknown key '\(key)' (entries are [[ignore]] tables)")
        }
        if let value = table["ignore"] {
            guard let list = value.array else { throw LoadError(description: "\(source): 'ignore' must be [[ignore]] tables") }
            for (index, item) in list.enumerated() {
                func fail(_ why: String) -> LoadError { LoadError(description: "\(source): entry \(index + 1): \(why)") }
                guard let entry = item.table else { throw fail("not a table") }
                guard let rule = entry["rule"]?.string, !rule.isEmpty else { throw fail("missing rule") }
                guard let hash = entry["hash"]?.string, hash.split(separator: ":").count == 3, hash.hasPrefix("hmac-sha256:") else {
                    throw fail("missing or malformed hash (expected hmac-sha256:SALT:DIGEST, as written by `keysweep ignore`)")
                }
                guard let reason = entry["reason"]?.string, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw fail("missing reason")
                }
                var paths: [String] = []
                if let value = entry["paths"] {
                    guard let array = value.array else { throw fail("'paths' must be an array of globs") }
                    for path in array {
                        guard let glob = path.string else { throw fail("'paths' must be an array of globs") }
                        paths.append(glob)
                    }
                }
                entries.append(Entry(rule: rule, hash: hash, reason: reason, paths: paths, source: source, number: index + 1))
            }
        }
        self.entries = entries
    }

    /// Reads an ignore file (a regular file of at most `TOMLSyntax.maxBytes`); a missing file is an error.
    static func read(_ path: String) throws -> IgnoreFile {
        switch TOMLFile.read(path) {
        case .success(let text): return try IgnoreFile(text: text, source: path)
        case .failure(let failure) where failure.unreadable: throw LoadError(description: "\(path): cannot read ignore file (\(failure.reason))")
        case .failure(let failure): throw LoadError(description: "\(path): \(failure.reason), not an ignore file")
        }
    }

    /// The TOML text of a new entry for `secret` of `rule`, with a fresh random salt.
    static func entryText(rule: String, secret: String, reason: String, paths: [String], findingID: String) -> String {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
        let hash = "hmac-sha256:\(Fingerprint.hex(salt)):\(digest(salt: salt, rule: rule, secret: secret))"
        var text = "\n[[ignore]]\n"
        text += "# finding \(findingID), added \(ISO8601DateFormatter().string(from: Date()).prefix(10))\n"
        text += "rule = \(quote(rule))\n"
        text += "hash = \(quote(hash))\n"
        text += "reason = \(quote(reason))\n"
        if !paths.isEmpty { text += "paths = [\(paths.map(quote).joined(separator: ", "))]\n" }
        return text
    }

    /// Appends an entry to the file at `path`, creating it with a header when missing.
    static func append(_ entryText: String, to path: String) throws {
        var text = ""
        if let data = FileManager.default.contents(atPath: path) {
            text = String(decoding: data, as: UTF8.self)
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        } else {
            text = "# keysweep ignore file: acknowledged secrets, one [[ignore]] entry each (see `keysweep ignore --help`).\n"
                + "# Entries hold a salted hash of the rule and the secret, never the secret itself.\n"
        }
        text += entryText
        _ = try IgnoreFile(text: text, source: path) // never write a file keysweep cannot read back
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw LoadError(description: "\(path): cannot write ignore file")
        }
    }

    static func digest(salt: [UInt8], rule: String, secret: String) -> String {
        let key = SymmetricKey(data: salt)
        let mac = HMAC<SHA256>.authenticationCode(for: Data("keysweep-ignore\u{0}\(rule)\u{0}\(secret)".utf8), using: key)
        return Fingerprint.hex(mac)
    }


    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0, !digits.isEmpty else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i < digits.count {
            guard let byte = UInt8(String(decoding: digits[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
            i += 2
        }
        return out
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }
}

/// Path globs: `*` and `?` within one path segment, `**` across segments; a glob without `/`
/// matches the file name at any depth (as in .gitignore).
enum Glob {
    static func matches(_ glob: String, _ path: String) -> Bool {
        let pattern = glob.contains("/") ? (glob.hasPrefix("/") ? String(glob.dropFirst()) : glob) : "**/" + glob
        guard let regex = try? NSRegularExpression(pattern: "^" + translate(pattern) + "$") else { return false }
        return regex.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    private static func translate(_ glob: String) -> String {
        var out = ""
        let chars = Array(glob)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "*" {
                if i + 1 < chars.count && chars[i + 1] == "*" {
                    if i + 2 < chars.count && chars[i + 2] == "/" { out += "(?:.*/)?"; i += 3; continue }
                    out += ".*"; i += 2; continue
                }
                out += "[^/]*"
            } else if c == "?" {
                out += "[^/]"
            } else {
                out += NSRegularExpression.escapedPattern(for: String(c))
            }
            i += 1
        }
        return out
    }
}
