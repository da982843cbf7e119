import CLibGit2
import Foundation

/// A git object id (SHA-1), stored inline so it hashes and compares without allocating.
struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    // 20 bytes as 8 + 8 + 4, in the byte order of the raw id.
    var a: UInt64
    var b: UInt64
    var c: UInt32

    init(_ oid: git_oid) {
        var oid = oid
        (a, b, c) = withUnsafeBytes(of: &oid.id) { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
        }
    }

    /// Reads the 20 raw bytes at `pointer` (as stored in a tree object).
    init(rawBytes pointer: UnsafeRawPointer) {
        a = pointer.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        b = pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    /// The 20 raw bytes as `Data` (as stored by the scan cache).
    var rawData: Data {
        var value = (a, b, c)
        return withUnsafeBytes(of: &value) { Data($0.prefix(20)) }
    }

    /// Reads 20 raw bytes; nil for any other length.
    init?(rawData data: Data) {
        guard data.count == 20 else { return nil }
        self = data.withUnsafeBytes { ObjectID(rawBytes: $0.baseAddress!) }
    }

    /// Parses 40 hex digits.
    init?(hex: some StringProtocol) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 40 else { return nil }
        var raw = [UInt8](repeating: 0, count: 20)
        for i in 0..<20 {
            guard let hi = ObjectID.nibble(bytes[2 * i]), let lo = ObjectID.nibble(bytes[2 * i + 1]) else { return nil }
            raw[i] = hi << 4 | lo
        }
        self = raw.withUnsafeBytes { ObjectID(rawBytes: $0.baseAddress!) }
    }

    /// Parses 40 hex digits at `pointer` (as in a commit header).
    init?(hexBytes pointer: UnsafePointer<UInt8>) {
        var raw = (UInt64(0), UInt64(0), UInt32(0))
        let ok = withUnsafeMutableBytes(of: &raw) { out -> Bool in
            for i in 0..<20 {
                guard let hi = ObjectID.nibble(pointer[2 * i]), let lo = ObjectID.nibble(pointer[2 * i + 1]) else { return false }
                out[i] = hi << 4 | lo
            }
            return true
        }
        guard ok else { return nil }
        (a, b, c) = raw
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    var gitOID: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid.id) { raw in
            raw.storeBytes(of: a, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: b, toByteOffset: 8, as: UInt64.self)
            raw.storeBytes(of: c, toByteOffset: 16, as: UInt32.self)
        }
        return oid
    }

    var description: String {
        var value = (a, b, c)
        return withUnsafeBytes(of: &value) { raw in
            let digits = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(40)
            for byte in raw { out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)]) }
            return String(decoding: out, as: UTF8.self)
        }
    }

    static func < (l: ObjectID, r: ObjectID) -> Bool { l.description < r.description }

    /// The first 8 bytes of a SHA-1 are already uniformly spread: hashing them alone is enough
    /// and a third of the cost (equality still compares all 20).
    func hash(into hasher: inout Hasher) { hasher.combine(a) }
}

/// Stored as its hex form (the scan cache's snapshots).
extension ObjectID: Codable {
    init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an object id: \(text)"))
        }
        self = id
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
