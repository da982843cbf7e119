import Foundation

/// A plain directory (walked recursively, `.git/` skipped, symbolic links not followed) or a
/// single file.
final class FileSystemSource: Source, @unchecked Sendable {
    let path: String
    private let maxSize: Int

    var unit: ContentUnit { .file }

    init(path: String, options: ScanOptions) {
        self.path = path
        maxSize = options.maxBlobSize
    }

    func enumerate(into feed: Feed<String>) throws -> ScanStats {
        var batch = Feed<String>.Batcher(feed, size: 32)
        for file in try listFiles(context: feed.context) { batch.add(file) }
        batch.flush()
        return ScanStats()
    }

    /// Blob shards: a file is read by the shard its path under the target falls to.
    func shardKey(of item: String) -> ShardKey? { .name(String(item.dropFirst(path.count))) }

    /// Regular files under `path`, in a stable order; unreadable directories become warnings.
    private func listFiles(context: ScanContext) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScanError.notFound(path)
        }
        guard isDirectory.boolValue else { return [path] }
        guard access(path, R_OK | X_OK) == 0 else { throw ScanError.unreadable(path) }
        var files: [String] = []
        var pending = [path]
        while let directory = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            } catch {
                context.warn("cannot read directory \(directory): skipped")
                continue
            }
            for name in names where name != ".git" {
                let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var info = stat()
                guard lstat(child, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: pending.append(child)
                case S_IFREG: files.append(child)
                default: continue // symbolic links, sockets, devices
                }
            }
        }
        return files.sorted()
    }

    /// One reusable buffer per worker.
    final class Reader {
        var file = FileReader()
        deinit { file.release() }
    }

    func makeReader() throws -> Reader { Reader() }

    func read(_ item: String, with reader: inout Reader, _ body: (Content) -> Void) throws {
        switch try reader.file.read(item, limit: maxSize) {
        case .tooLarge(let size): throw ContentPolicy.Skip.tooLarge(size)
        case .bytes(let content): body(Content(bytes: content, part: .whole))
        }
    }

    func describe(_ item: String) -> String { item }

    /// The reader's error names the file already.
    func unreadable(_ item: String, _ error: Error) -> String { "\(error); skipped" }

    func place(_ scan: Finished<String>, context: ScanContext) throws -> [Sighting] {
        scan.items.flatMap { scanned in
            scanned.matches.map { match in
                Sighting(match: match, occurrence: Occurrence(commit: nil, provenance: .file(path: scanned.item), line: match.line,
                                                              decoding: match.decoding),
                         inHead: true)
            }
        }
    }
}
