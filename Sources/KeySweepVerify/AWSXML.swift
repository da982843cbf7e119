import Foundation
import KeySweep

/// A bounded reader for the XML AWS's Query APIs answer (IAM, STS): elements, text, the five
/// entities and character references, CDATA; attributes, comments, the declaration and any
/// `<!DOCTYPE>` are skipped (no entity is ever defined or expanded). Written here rather than
/// with FoundationXML so the binary does not need libxml2.
struct AWSXML: Sendable, Equatable {
    var name: String
    var children: [AWSXML] = []
    var text = ""

    static let maxDepth = 64

    /// The first element of that name, this one or any below (depth first).
    func first(_ name: String) -> AWSXML? {
        if self.name == name { return self }
        for child in children { if let found = child.first(name) { return found } }
        return nil
    }

    /// The text of the first element of that name, trimmed; nil when absent.
    func value(_ name: String) -> String? { first(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The `<member>` entries of the first list of that name.
    func members(_ list: String) -> [AWSXML] { first(list)?.children.filter { $0.name == "member" } ?? [] }

    struct Invalid: Error { let reason: String }

    static func parse(_ data: Data) throws(Invalid) -> AWSXML {
        var reader = Reader(bytes: [UInt8](data))
        return try reader.document()
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func document() throws(Invalid) -> AWSXML {
            var root: AWSXML?
            while at < bytes.count {
                if bytes[at] != UInt8(ascii: "<") { at += 1; continue }   // whitespace between top-level parts
                if try skipMarkup() { continue }
                guard root == nil else { throw Invalid(reason: "more than one root element") }
                root = try element(depth: 0)
            }
            guard let root else { throw Invalid(reason: "no element") }
            return root
        }

        /// Skips `<?…?>`, `<!--…-->` and `<!…>` at `at`; false when an element starts there.
        mutating func skipMarkup() throws(Invalid) -> Bool {
            if starts("<?") { try skip(past: "?>"); return true }
            if starts("<!--") { try skip(past: "-->"); return true }
            if starts("<!") && !starts("<![CDATA[") { try skip(past: ">"); return true }
            return false
        }

        mutating func element(depth: Int) throws(Invalid) -> AWSXML {
            guard depth < AWSXML.maxDepth else { throw Invalid(reason: "nested deeper than \(AWSXML.maxDepth)") }
            at += 1   // "<"
            let nameStart = at
            while at < bytes.count, !isSpace(bytes[at]), bytes[at] != UInt8(ascii: ">"), bytes[at] != UInt8(ascii: "/") { at += 1 }
            var node = AWSXML(name: String(decoding: bytes[nameStart..<at], as: UTF8.self))
            guard !node.name.isEmpty else { throw Invalid(reason: "an element without a name") }
            // Attributes: skipped, minding quotes (a quoted value may hold ">").
            var quote: UInt8?
            while at < bytes.count {
                let byte = bytes[at]
                if let open = quote { if byte == open { quote = nil } }
                else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") { quote = byte }
                else if byte == UInt8(ascii: ">") { break }
                at += 1
            }
            guard at < bytes.count else { throw Invalid(reason: "<\(node.name) is not closed") }
            at += 1
            if bytes[at - 2] == UInt8(ascii: "/") { return node }   // <name/>
            var text: [UInt8] = []
            while true {
                guard at < bytes.count else { throw Invalid(reason: "<\(node.name)> is not closed") }
                if bytes[at] != UInt8(ascii: "<") { text.append(bytes[at]); at += 1; continue }
                if starts("<![CDATA[") {
                    at += 9
                    let start = at
                    try skip(past: "]]>")
                    text += bytes[start..<(at - 3)]
                    continue
                }
                if starts("</") {
                    at += 2
                    let start = at
                    try skip(past: ">")
                    let closing = String(decoding: bytes[start..<(at - 1)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    guard closing == node.name else { throw Invalid(reason: "</\(closing)> closes <\(node.name)>") }
                    node.text = try Self.unescape(text)
                    return node
                }
                if try skipMarkup() { continue }
                node.children.append(try element(depth: depth + 1))
            }
        }

        func starts(_ prefix: StaticString) -> Bool {
            let count = prefix.utf8CodeUnitCount
            return at + count <= bytes.count
                && prefix.withUTF8Buffer { bytes[at..<(at + count)].elementsEqual($0) }
        }

        mutating func skip(past end: StaticString) throws(Invalid) {
            while at < bytes.count, !starts(end) { at += 1 }
            guard at < bytes.count else { throw Invalid(reason: "unterminated markup (no \(end))") }
            at += end.utf8CodeUnitCount
        }

        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

        static func unescape(_ raw: [UInt8]) throws(Invalid) -> String {
            let text = String(decoding: raw, as: UTF8.self)
            guard text.contains("&") else { return text }
            var out = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                    throw Invalid(reason: "a bare & in text")
                }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "lt": out += "<"
                case "gt": out += ">"
                case "amp": out += "&"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                        : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                    guard let number, let scalar = Unicode.Scalar(number) else { throw Invalid(reason: "unknown entity &\(entity);") }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }
    }
}

extension AWSXML {
    /// Lists that may come empty (`<GroupList/>`), so they read as `[]`, never as `""`.
    static let listNames: Set<String> = ["Policies", "AttachedManagedPolicies", "Tags"]

    /// The JSON shape the SDKs print for this element's children, as `AuthorizationDetails`
    /// reads it: `<member>` lists become arrays, `Is…` flags booleans, everything else strings.
    func jsonObject() -> [String: Any] {
        var object: [String: Any] = [:]
        for child in children { object[child.name] = child.jsonValue() }
        return object
    }

    func jsonValue() -> Any {
        if !children.isEmpty, children.allSatisfy({ $0.name == "member" }) { return children.map { $0.jsonValue() } }
        if !children.isEmpty { return jsonObject() }
        if name.hasSuffix("List") || Self.listNames.contains(name) { return [Any]() }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if name.hasPrefix("Is"), trimmed == "true" || trimmed == "false" { return trimmed == "true" }
        return text
    }
}
