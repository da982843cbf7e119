import Foundation

/// JSON as IAM policy documents and authorization details hold it, read with bounds on size and
/// nesting checked before any parsing, so a hostile file costs at most its bound and never
/// overflows a stack. Typed (a JSON `true` is not the number 1), which condition values need.
enum IAMJSON: Sendable, Equatable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
    case array([IAMJSON])
    case object([String: IAMJSON])

    struct Limits: Sendable {
        let bytes: Int
        let depth: Int
    }

    static func parse(_ data: Data, limits: Limits, what: String) throws(IAMDocumentError) -> IAMJSON {
        guard data.count <= limits.bytes else {
            throw IAMDocumentError("\(what) is \(data.count) bytes, more than the \(limits.bytes) keysweep reads")
        }
        if let depth = deepestNesting(data, over: limits.depth) {
            throw IAMDocumentError("\(what) nests deeper than \(limits.depth) levels (\(depth) at least)")
        }
        do {
            return try JSONDecoder().decode(IAMJSON.self, from: data)
        } catch {
            throw IAMDocumentError("\(what) is not valid JSON")
        }
    }

    /// The first depth past `limit` that brackets outside strings reach, or nil.
    private static func deepestNesting(_ data: Data, over limit: Int) -> Int? {
        var depth = 0, inString = false, escaped = false
        for byte in data {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { return depth }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return nil
    }

    init(from decoder: Decoder) throws {
        // The commonest kinds first; a kind that does not fit fails at once (every JSON value
        // decodes as one of these, so nothing nested is decoded twice).
        let value = try decoder.singleValueContainer()
        if value.decodeNil() { self = .null }
        else if let string = try? value.decode(String.self) { self = .string(string) }
        else if let object = try? value.decode([String: IAMJSON].self) { self = .object(object) }
        else if let array = try? value.decode([IAMJSON].self) { self = .array(array) }
        else if let bool = try? value.decode(Bool.self) { self = .bool(bool) }
        else { self = .number(try value.decode(Double.self)) }
    }

    var string: String? { if case .string(let s) = self { return s } else { return nil } }
    var object: [String: IAMJSON]? { if case .object(let o) = self { return o } else { return nil } }
    var array: [IAMJSON]? { if case .array(let a) = self { return a } else { return nil } }
}

/// A policy document or authorization details keysweep cannot read, said in one sentence.
struct IAMDocumentError: Error, Equatable, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
