/// Archives and compressed content as a stage of the scan: zip (jar, war, apk, whl, nupkg,
/// docx, xlsx are zips), tar, ar (`.deb`), cpio, RPM, 7z, ISO 9660, xar (`.pkg`), cab, gzip,
/// bzip2, xz and zstd are opened in memory (`Archive`) and each
/// member goes through the same policy and scanner as any content, its matches marked with the
/// member's path (`SecretMatch.members`); archives inside are opened in turn, down to `depth`.
///
/// Hostile input is bounded per top-level object: decompressed bytes in all (`totalBytes`), the
/// ratio of decompressed to compressed bytes (`ratio`, zip bombs), members (`members`), entries
/// of any kind (`entries`), nesting (`depth`), and each member's size (`--max-size`). Decompressed
/// bytes count what libarchive decodes for headers and skipped entries too, not only the
/// members' data read: a `.tar.zst` of 2 MB holding 20 GB of directory headers cost 53 s. Reaching a limit stops that object with a
/// note; what was read before is scanned. Member names are text for reports only: nothing is
/// ever written to disk.
public struct ArchiveExtraction {
    public struct Limits: Sendable {
        public var enabled = true
        /// Archives opened one inside another (1: only the outermost).
        public var depth = 3
        public var totalBytes = 256 << 20
        public var ratio = 100
        public var members = 10_000
        /// Entries of any kind (directories, links, members) read from one object.
        public var entries = 100_000
        /// Below this many decompressed bytes the ratio is not judged (small files compress well).
        public var ratioFloor = 1 << 20

        public init() {}

        /// What the scan cache keys results by.
        var key: String { enabled ? "\(depth) \(totalBytes) \(ratio) \(members) \(entries)" : "off" }
    }

    /// What one top-level object's extraction did: notes (warnings, without the object's name)
    /// and counters.
    struct Report {
        var notes: [String] = []
        var members = 0
        var bytes = 0
        var encrypted = 0
    }

    let limits: Limits
    let maxMemberSize: Int

    /// Whether `bytes` are opened here: an archive (`Archive.kind`) or a PDF (`PDFStreams`).
    static func opens(_ bytes: UnsafeRawBufferPointer) -> Bool {
        Archive.kind(of: bytes) != nil || PDFStreams.matches(bytes)
    }

    /// Scans every member of the archive `bytes`, or every compressed stream of the PDF `bytes`.
    func scan(_ bytes: UnsafeRawBufferPointer, scanner: ContentScanner, policy: ContentPolicy) -> ([SecretMatch], Report) {
        var run = Run(input: bytes.count)
        let found = open(bytes, depth: 1, prefix: [], run: &run, scanner: scanner, policy: policy)
        if run.unnoted > 0 { run.report.notes.append("\(run.unnoted) more notes about this archive not shown") }
        return (found, run.report)
    }

    private struct Run {
        let input: Int
        var produced = 0
        var members = 0
        var entries = 0
        var stopped = false
        var report = Report()

        /// Notes kept per object; the rest are counted in a last one (a 42.zip holds thousands
        /// of members nested too deep: one warning each would bury the others).
        static let maxNotes = 10
        var unnoted = 0

        mutating func note(_ text: String) {
            if report.notes.count < Run.maxNotes { report.notes.append(text) } else { unnoted += 1 }
        }

        mutating func stop(_ note: String) {
            stopped = true
            report.notes.append(note)   // always shown, past the cap too
        }

        /// Counts `bytes` more decompressed; false (and stopped, with the note naming the
        /// limit) once the object's budget or the ratio to its size is passed.
        mutating func charge(_ bytes: Int, _ limits: Limits) -> Bool {
            if produced + bytes > limits.totalBytes {
                stop("extraction stopped: more than \(limits.totalBytes >> 20) MiB decompressed from one object")
                return false
            }
            produced += bytes
            if produced > limits.ratioFloor && produced / max(input, 1) > limits.ratio {
                stop("extraction stopped: decompressed more than \(limits.ratio) times the object's size (a compression bomb?)")
                return false
            }
            return true
        }
    }

    /// An archive's members; or a PDF's streams, each a compressed member named after its
    /// object, and the PDF's own bytes through the policy (text outside the streams).
    private func open(_ bytes: UnsafeRawBufferPointer, depth: Int, prefix: [String], run: inout Run,
                      scanner: ContentScanner, policy: ContentPolicy) -> [SecretMatch] {
        guard PDFStreams.matches(bytes) else { return extract(bytes, depth: depth, prefix: prefix, run: &run, scanner: scanner, policy: policy) }
        var found: [SecretMatch] = []
        for stream in PDFStreams.flateStreams(bytes, limit: limits.members) where !run.stopped {
            found += stream.gzip.withUnsafeBytes {
                extract($0, depth: depth, prefix: prefix, name: stream.name, run: &run, scanner: scanner, policy: policy)
            }
        }
        if case .scanned(var plain) = policy.scanMember(bytes, with: scanner) {
            if !prefix.isEmpty { for i in plain.indices { plain[i].members = prefix } }
            found += plain
        }
        return found
    }

    /// `name` names the single member of a compressed stream (a PDF's `stream 3`).
    private func extract(_ bytes: UnsafeRawBufferPointer, depth: Int, prefix: [String], name: String? = nil, run: inout Run,
                         scanner: ContentScanner, policy: ContentPolicy) -> [SecretMatch] {
        let here = prefix.isEmpty ? "archive" : "member " + Self.name(prefix)
        let archive: Archive
        do { archive = try Archive(bytes) } catch {
            run.note("\(here) cannot be opened (\(error)); not scanned")
            return []
        }
        var found: [SecretMatch] = []
        // What this archive decoded that no member's data accounts for (headers, padding,
        // skipped data), already charged.
        var dataRead = 0, overheadCharged = 0
        while !run.stopped {
            let member: Archive.Member?
            do { member = try archive.next() } catch {
                run.note("\(here) is damaged (\(error)); the members after this point were not scanned")
                break
            }
            guard let member else { break }
            run.entries += 1
            if run.entries > limits.entries {
                run.stop("extraction stopped: more than \(limits.entries) entries (headers of files, directories, links) in one object")
                break
            }
            let overhead = archive.decompressed - dataRead
            if overhead > overheadCharged {
                guard run.charge(overhead - overheadCharged, limits) else { break }
                overheadCharged = overhead
            }
            guard member.isRegularFile else { continue }
            run.members += 1
            if run.members > limits.members {
                run.stop("extraction stopped: more than \(limits.members) archive members in one object")
                break
            }
            let path = prefix + [name ?? member.name]
            if member.isEncrypted {
                run.report.encrypted += 1
                run.note("member \(Self.name(path)) is encrypted; skipped")
                continue
            }
            var data: [UInt8] = []
            var tooLarge = false
            do {
                try archive.read { piece in
                    if data.count + piece.count > maxMemberSize { tooLarge = true; return false }
                    guard run.charge(piece.count, limits) else { return false }
                    dataRead += piece.count
                    data.append(contentsOf: piece)
                    return true
                }
            } catch {
                // A truncated stream: what was decompressed is still scanned.
                run.note("member \(Self.name(path)) is damaged (\(error)); scanned as far as it could be read")
            }
            if tooLarge {
                run.note("member \(Self.name(path)) is larger than --max-size; skipped")
                continue
            }
            run.report.members += 1
            run.report.bytes += data.count
            found += data.withUnsafeBytes { inner -> [SecretMatch] in
                var matches: [SecretMatch]
                if Self.opens(inner) {
                    if depth < limits.depth { return open(inner, depth: depth + 1, prefix: path, run: &run, scanner: scanner, policy: policy) }
                    run.note("member \(Self.name(path)) is an archive nested deeper than \(limits.depth); not opened")
                    // A PDF's own text is still read, as before PDFs were opened.
                    guard PDFStreams.matches(inner) else { return [] }
                }
                guard case .scanned(let plain) = policy.scanMember(inner, with: scanner) else { return [] }
                matches = plain
                for i in matches.indices { matches[i].members = path }
                return matches
            }
        }
        return found
    }

    /// A member path as notes show it (`inner.tar.gz!file.py`; a compressed stream is `(data)`).
    private static func name(_ path: [String]) -> String {
        path.map { $0.isEmpty ? "(data)" : $0 }.joined(separator: "!")
    }
}
