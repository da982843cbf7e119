import Foundation

/// Where clones live: a kept `--clone-dir` (one bare clone per repository identity, fetched
/// into on the next run) or a private temporary directory, mode 0700, removed at exit, on
/// Ctrl-C or SIGTERM, and on errors. A clone is made under a `.partial-` name and renamed into
/// place only once complete, so an interrupted clone never passes for a repository.
final class CloneDirectory: @unchecked Sendable {
    let root: String
    let kept: Bool
    private let lock = NSLock()
    private var serial = 0

    init(kept directory: String?) throws {
        if let directory {
            let shown = TerminalText.escape(directory)
            var info = stat()
            if stat(directory, &info) != 0 {
                do {
                    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])
                } catch {
                    throw ScanError.invalid("--clone-dir \(shown): cannot be created (\(CloneDirectory.reason(error)))")
                }
            } else if info.st_mode & S_IFMT != S_IFDIR {
                throw ScanError.invalid("--clone-dir \(shown): not a directory")
            }
            guard access(directory, W_OK | X_OK) == 0 else { throw ScanError.invalid("--clone-dir \(shown): not writable") }
            root = directory
            kept = true
        } else {
            let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((base + "/keysweep-clones.XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                throw ScanError.invalid("cannot make a temporary directory for clones in \(TerminalText.escape(base)): \(String(cString: strerror(errno)))")
            }
            root = String(cString: made)
            kept = false
            TemporaryClones.register(root)
        }
    }

    /// The kept clone's place for a repository (`DIR/github.com/owner/repo.git`).
    func keptPath(for target: RemoteTarget) -> String {
        let parts = target.identity.split(separator: "/").map { part -> String in
            let safe = String(part.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
            return safe.hasPrefix(".") ? "_" + safe.dropFirst() : safe
        }.filter { !$0.isEmpty }
        return root + "/" + (parts.isEmpty ? "repository" : parts.joined(separator: "/")) + ".git"
    }

    /// A fresh name to clone into; renamed to `keptPath` when kept.
    func scratchPath(for target: RemoteTarget) -> String {
        let number = lock.withLock { serial += 1; return serial }
        let last = keptPath(for: target).split(separator: "/").last.map(String.init) ?? "repository.git"
        return root + "/.partial-\(getpid())-\(number)-" + last
    }

    /// Removes a clone of the temporary directory once scanned (keeps disk use to the clones in flight).
    func discard(_ path: String) {
        guard !kept else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Removes the temporary directory (a kept one stays).
    func close() {
        guard !kept else { return }
        try? FileManager.default.removeItem(atPath: root)
        TemporaryClones.unregister(root)
    }

    private static func reason(_ error: Error) -> String {
        if let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return "permission denied"
    }
}

/// Temporary clone directories (and reports being written, `OutputFile`) still on disk,
/// removed at exit and on SIGINT, SIGTERM and SIGHUP.
enum TemporaryClones {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var roots: Set<String> = []
    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []

    static func register(_ root: String) {
        lock.withLock {
            if roots.isEmpty && signalSources.isEmpty { installHandlers() }
            roots.insert(root)
        }
    }

    static func unregister(_ root: String) { _ = lock.withLock { roots.remove(root) } }

    static func removeAll() {
        let all = lock.withLock { roots }
        for root in all { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Called with the lock held, once.
    private static func installHandlers() {
        atexit { TemporaryClones.removeAll() }
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                TemporaryClones.removeAll()
                // A clone thread may still be writing: remove again after it has had a moment.
                usleep(100_000)
                TemporaryClones.removeAll()
                _exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}
