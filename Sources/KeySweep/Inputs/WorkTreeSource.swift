import Foundation

/// The work tree's uncommitted files beside a history scan: untracked (not ignored) and modified
/// or added files, read from disk as they are now. A key in a file never committed is as leaked
/// as one in history the moment the file is shared; `--no-worktree` leaves these out.
final class WorkTreeSource: Source, @unchecked Sendable {
    /// The work tree's root (with a trailing slash, as libgit2 gives it).
    private let root: String
    /// Paths relative to the root: what the repository's status lists.
    private let files: [String]
    private let maxSize: Int

    var unit: ContentUnit { .file }

    init(repository: Repository, options: ScanOptions) throws {
        root = repository.workdir ?? repository.path
        files = try repository.uncommittedFiles()
        maxSize = options.maxBlobSize
    }

    var isEmpty: Bool { files.isEmpty }

    func enumerate(into feed: Feed<String>) throws -> ScanStats {
        var batch = Feed<String>.Batcher(feed, size: 32)
        for file in files where isRegularFile(file) { batch.add(file) }
        batch.flush()
        return ScanStats()
    }

    /// Symbolic links, sockets and devices are not read (as in a directory scan).
    private func isRegularFile(_ file: String) -> Bool {
        var info = stat()
        return lstat(root + file, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
    }

    func makeReader() throws -> FileSystemSource.Reader { FileSystemSource.Reader() }

    func read(_ item: String, with reader: inout FileSystemSource.Reader, _ body: (Content) -> Void) throws {
        switch try reader.file.read(root + item, limit: maxSize) {
        case .tooLarge(let size): throw ContentPolicy.Skip.tooLarge(size)
        case .bytes(let content): body(Content(bytes: content, part: .whole))
        }
    }

    func describe(_ item: String) -> String { item }

    /// Blob shards: an uncommitted file is read by the shard its path in the work tree falls to.
    func shardKey(of item: String) -> ShardKey? { .name(item) }

    func unreadable(_ item: String, _ error: Error) -> String { "\(error); skipped" }

    func place(_ scan: Finished<String>, context: ScanContext) throws -> [Sighting] {
        scan.items.flatMap { scanned in
            scanned.matches.map { match in
                Sighting(match: match, occurrence: Occurrence(commit: nil, provenance: .workTree(path: scanned.item), line: match.line,
                                                              decoding: match.decoding),
                         inHead: true)
            }
        }
    }
}
