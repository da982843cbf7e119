import Foundation
import KeySweep

// keysweep-floor REPO [THREADS]: the blob-read floor of a repository (see BlobReadFloor).
// A separate benchmark tool, not a keysweep subcommand: users never need it.
let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: keysweep-floor REPO [THREADS]\n".utf8))
    exit(2)
}
let threads = arguments.count > 2 ? Int(arguments[2]) ?? 2 : 2
do {
    let m = try BlobReadFloor.measure(path: arguments[1], threads: threads)
    print(String(format: "commits %ld blobs %ld bytes %ld walk %.2f s read %.2f s (%ld threads, %.0f MB/s, %ld unreadable)",
                 m.commits, m.blobs, m.bytes, m.walkSeconds, m.readSeconds, threads,
                 Double(m.bytes) / max(m.readSeconds, 0.001) / 1e6, m.failures))
} catch {
    FileHandle.standardError.write(Data("keysweep-floor: \(error)\n".utf8))
    exit(2)
}
