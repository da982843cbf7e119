import Foundation

/// A plain directory (walked recursively, `.git/` skipped, symbolic links not followed) or a
/// single file.
final class FileSystemSource: Sendable {
    let path: String

    init(path: String) { self.path = path }

    func scan(context: ScanContext) throws {
        let files = try listFiles(context: context)
        let queue = WorkQueue<String>(capacity: 4 * context.options.jobs + 4)
        let workers = Workers.run(context.options.jobs) { _ in
            FileSystemSource.work(queue: queue, context: context)
        }
        var batch: [String] = []
        for file in files {
            batch.append(file)
            if batch.count == 32 { queue.push(batch); batch = [] }
        }
        queue.push(batch)
        queue.close()
        workers.wait()
    }

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

    private static func work(queue: WorkQueue<String>, context: ScanContext) {
        let scanner = ContentScanner(rules: context.rules, options: context.options)
        var reader = FileReader()
        defer { reader.release() }
        var stats = ScanStats()
        while let batch = queue.pop() {
            var bytes = 0
            for file in batch {
                do {
                    switch try reader.read(file, limit: context.options.maxBlobSize) {
                    case .tooLarge:
                        stats.skippedLarge += 1
                    case .bytes(let content):
                        stats.files += 1
                        bytes += content.count
                        switch scanner.scan(content) {
                        case .scanned(let matches):
                            for match in matches {
                                context.ledger.record(match, at: Occurrence(commit: nil, path: file, line: match.line,
                                                                            blob: nil, decoding: match.decoding),
                                                      inHead: true)
                            }
                        case .skippedBinary: stats.skippedBinary += 1
                        case .skippedLarge: stats.skippedLarge += 1
                        }
                    }
                } catch {
                    context.warn("\(error); skipped")
                }
            }
            stats.bytes += bytes
            context.progress.scanned(blobs: batch.count, bytes: bytes)
        }
        context.add(stats)
    }
}
