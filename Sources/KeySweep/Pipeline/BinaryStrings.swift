/// The printable strings of a binary blob worth reading that way: runs of at least
/// `minimumRun` printable ASCII bytes, and of as many UTF-16LE characters, each written on its
/// own line in the order they appear, so constants stored side by side (a key id and its secret
/// in a compiled Python file) stay neighbours and pair. Matches found there carry the decoding
/// `strings` and the string's position as their line.
///
/// Only kinds that store source-level constants as plain bytes are read by default: compiled
/// Python (its marshalled string constants, read by their length prefixes, since the type and
/// length bytes before a constant are often printable and would glue neighbours together) and
/// Java classes (constant-pool strings) and binary property lists (`BinaryPlist`). Executables, libraries, images, media and unknown
/// binaries are not: their strings are mostly symbol names, tables and noise (false positives
/// for the generic rules) and a credential in them is rare. SQLite files are not either: a row's
/// values are stored back to back with no separator, so its strings run together (reading them
/// would take a reader of the record format). `--include-binary` scans any content's raw bytes.
enum BinaryStrings {
    static let minimumRun = 8
    static let decoding = "strings"

    enum Kind: String { case compiledPython = "compiled Python", javaClass = "Java class", binaryPlist = "binary property list" }

    static func kind(of bytes: UnsafeRawBufferPointer) -> Kind? {
        let b = bytes.bindMemory(to: UInt8.self)
        guard b.count >= 16 else { return nil }
        if BinaryPlist.matches(bytes) { return .binaryPlist }
        // CPython 3 magic: a version number in 0x0C00...0x0EFF, little-endian, then "\r\n".
        if (0x0C...0x0E).contains(b[1]), b[2] == 0x0D, b[3] == 0x0A { return .compiledPython }
        // Java class: CAFEBABE and a class-file major version (a fat Mach-O has a small count there).
        if b[0] == 0xCA, b[1] == 0xFE, b[2] == 0xBA, b[3] == 0xBE, b[4] == 0, b[6] == 0, (45...120).contains(b[7]) { return .javaClass }
        return nil
    }

    /// The strings of `bytes` (of kind `kind`), one per line.
    static func text(of bytes: UnsafeRawBufferPointer, kind: Kind) -> [UInt8] {
        switch kind {
        case .compiledPython: return marshalStrings(bytes)
        case .javaClass: return runs(bytes)
        case .binaryPlist: return BinaryPlist.text(of: bytes)
        }
    }

    @inline(__always) private static func printable(_ c: UInt8) -> Bool { (c >= 0x20 && c < 0x7F) || c == 0x09 }

    /// The string constants of a compiled Python file: a marshal type byte (`z`/`Z` with a
    /// one-byte length, `a`/`A`/`u`/`s`/`t` with a four-byte one; bit 7 is a reference flag)
    /// followed by that many bytes, all printable.
    static func marshalStrings(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let b = bytes.bindMemory(to: UInt8.self)
        let n = b.count
        var out: [UInt8] = []
        var i = 16     // past the header
        while i < n {
            let type = b[i] & 0x7F
            var length = -1, start = 0
            switch type {
            case UInt8(ascii: "z"), UInt8(ascii: "Z"):
                if i + 1 < n { length = Int(b[i + 1]); start = i + 2 }
            case UInt8(ascii: "a"), UInt8(ascii: "A"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "t"):
                if i + 4 < n {
                    length = Int(b[i + 1]) | Int(b[i + 2]) << 8 | Int(b[i + 3]) << 16 | Int(b[i + 4]) << 24
                    start = i + 5
                }
            default: break
            }
            if length >= minimumRun, length <= n - start,
               UnsafeBufferPointer(rebasing: b[start..<(start + length)]).allSatisfy(printable) {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<(start + length)]))
                out.append(0x0A)
                i = start + length
                continue
            }
            i += 1
        }
        return out
    }

    /// Runs of printable bytes, and of UTF-16LE printable characters.
    static func runs(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        let b = bytes.bindMemory(to: UInt8.self)
        var out: [UInt8] = []
        out.reserveCapacity(b.count / 4)
        var i = 0
        let n = b.count
        while i < n {
            // UTF-16LE: printable, NUL, printable, NUL, ...
            if printable(b[i]), i + 1 < n, b[i + 1] == 0 {
                var end = i
                while end + 1 < n, printable(b[end]), b[end + 1] == 0 { end += 2 }
                if (end - i) / 2 >= minimumRun {
                    var k = i
                    while k < end { out.append(b[k]); k += 2 }
                    out.append(0x0A)
                    i = end
                    continue
                }
            }
            guard printable(b[i]) else { i += 1; continue }
            var end = i
            while end < n, printable(b[end]) { end += 1 }
            if end - i >= minimumRun {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<end]))
                out.append(0x0A)
            }
            i = end
        }
        return out
    }
}
