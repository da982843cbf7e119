import Foundation

/// Clones remote targets on `cloneJobs` threads while the scanner scans the ones already
/// cloned, in the order they finish. At most `cloneJobs` finished clones wait to be scanned, so
/// disk use stays at about twice `cloneJobs` clones. A transfer that receives nothing for
/// `stallTimeout` seconds is given up (libgit2 has no timeout of its own): its thread is left
/// behind and its directory removed with the temporary directory.
final class CloneQueue: @unchecked Sendable {
    /// One target's clone, or why there is none.
    struct Cloned {
        var target: RemoteTarget
        var result: Result<(path: String, fetched: RemoteTransfer.Fetched), Error>
    }

    private let targets: [RemoteTarget]
    private let directory: CloneDirectory
    private let options: RemoteOptions
    private let progress: Progress
    private let condition = NSCondition()
    private var next = 0
    private var done: [Cloned] = []
    private var handedOut = 0

    init(_ targets: [RemoteTarget], directory: CloneDirectory, options: RemoteOptions, progress: Progress) {
        self.targets = targets
        self.directory = directory
        self.options = options
        self.progress = progress
        for _ in 0..<min(max(1, options.cloneJobs), targets.count) {
            let thread = Thread { [self] in cloneAll() }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// The next finished clone; nil once every target was handed out.
    func nextCloned() -> Cloned? {
        condition.lock()
        defer { condition.unlock() }
        while done.isEmpty && handedOut < targets.count { condition.wait() }
        guard !done.isEmpty else { return nil }
        handedOut += 1
        condition.broadcast()
        return done.removeFirst()
    }

    private func cloneAll() {
        while true {
            condition.lock()
            // Wait while enough finished clones are waiting for the scanner.
            while done.count >= max(1, options.cloneJobs) && next < targets.count { condition.wait() }
            guard next < targets.count else { condition.unlock(); return }
            let target = targets[next]
            next += 1
            condition.unlock()
            let result = fetch(target)
            condition.lock()
            done.append(Cloned(target: target, result: result))
            condition.broadcast()
            condition.unlock()
        }
    }

    /// Clones (or, in a kept directory holding it, updates) one target, watching for a stall.
    private func fetch(_ target: RemoteTarget) -> Result<(path: String, fetched: RemoteTransfer.Fetched), Error> {
        let watch = TransferWatch()
        let name = target.displayURL
        let progress = self.progress
        let session = RemoteTransfer.Session(credential: credential(for: target), maxBytes: options.maxCloneSize) { received, total, bytes in
            watch.touch()
            progress.transfer(name, received: received, total: total, bytes: bytes)
        }
        let kept = directory.keptPath(for: target)
        let update = directory.kept && FileManager.default.fileExists(atPath: kept)
        let scratch = directory.scratchPath(for: target)
        let box = ResultBox()
        let directory = self.directory
        let thread = Thread {
            do {
                if update {
                    let fetched = try RemoteTransfer.update(kept, from: target.cloneURL, fallbackBranch: target.defaultBranch,
                                                            session: session)
                    box.set(.success((kept, fetched)))
                } else {
                    let fetched = try RemoteTransfer.clone(target.cloneURL, into: scratch, fallbackBranch: target.defaultBranch,
                                                           session: session)
                    let path = directory.kept ? kept : scratch
                    if directory.kept {
                        try FileManager.default.createDirectory(atPath: (kept as NSString).deletingLastPathComponent,
                                                                withIntermediateDirectories: true)
                        guard rename(scratch, kept) == 0 else {
                            throw ScanError.invalid("cannot move the clone into \(kept): \(String(cString: strerror(errno)))")
                        }
                    }
                    box.set(.success((path, fetched)))
                }
            } catch {
                try? FileManager.default.removeItem(atPath: scratch)
                box.set(.failure(error))
            }
        }
        thread.stackSize = 4 << 20
        thread.start()
        while true {
            if let result = box.wait(seconds: 0.25) { return result }
            if watch.idleSeconds > options.stallTimeout {
                session.cancel()
                box.abandon { if case .success(let done) = $0 { directory.discard(done.path) } }
                return .failure(ScanError.invalid("no data received for \(Int(options.stallTimeout)) s; transfer given up"))
            }
        }
    }

    /// The token goes only to the exact origins (scheme, host, port) of GitHub behind
    /// `--github-api-url` (`WebOrigin.github`), and only while the transfer is still on the
    /// origin the target names: a redirect elsewhere, another port or plain HTTP gets nothing.
    private func credential(for target: RemoteTarget) -> (@Sendable (String) -> (user: String, password: String)?)? {
        guard let token = options.token, !token.isEmpty,
              let named = WebOrigin(target.cloneURL), WebOrigin.github(apiURL: options.github.apiURL).contains(named) else { return nil }
        return { url in
            guard WebOrigin(url) == named else { return nil }
            return ("x-access-token", token)
        }
    }
}

/// When a transfer last received something.
private final class TransferWatch: @unchecked Sendable {
    private let lock = NSLock()
    private var last = Date()
    func touch() { lock.withLock { last = Date() } }
    var idleSeconds: Double { lock.withLock { Date().timeIntervalSince(last) } }
}

/// A clone thread's result, handed to the waiting thread (or, once abandoned, cleaned up).
private final class ResultBox: @unchecked Sendable {
    typealias Value = Result<(path: String, fetched: RemoteTransfer.Fetched), Error>
    private let condition = NSCondition()
    private var value: Value?
    private var abandoned: ((Value) -> Void)?

    func set(_ result: Value) {
        condition.lock()
        if let abandoned { condition.unlock(); abandoned(result); return }
        value = result
        condition.broadcast()
        condition.unlock()
    }

    func wait(seconds: Double) -> Value? {
        condition.lock()
        defer { condition.unlock() }
        if value == nil { _ = condition.wait(until: Date().addingTimeInterval(seconds)) }
        return value
    }

    func abandon(_ cleanup: @escaping (Value) -> Void) {
        condition.lock()
        abandoned = cleanup
        condition.unlock()
    }
}
