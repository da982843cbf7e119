import Foundation

/// A one-line progress display on standard error (commits walked, blobs scanned, MB/s),
/// redrawn a few times a second while enabled.
final class Progress: @unchecked Sendable {
    private let enabled: Bool
    private let lock = NSLock()
    private var commits = 0
    private var blobs = 0
    private var bytes = 0
    private let start = Date()
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    func walked(commits count: Int) {
        guard enabled else { return }
        lock.lock(); commits += count; lock.unlock()
        drawIfDue()
    }

    func scanned(blobs count: Int, bytes size: Int) {
        guard enabled else { return }
        lock.lock(); blobs += count; bytes += size; lock.unlock()
        drawIfDue()
    }

    /// A clone's transfer (objects received of the total, bytes).
    func transfer(_ name: String, received: Int, total: Int, bytes: Int) {
        guard enabled else { return }
        let mib = String(format: "%.1f", Double(bytes) / 1_048_576)
        phase("cloning \(name): \(received)/\(total) objects, \(mib) MiB")
    }

    /// A line for a phase other than scanning (listing repositories, cloning).
    func phase(_ text: String) {
        guard enabled else { return }
        lock.lock()
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { lock.unlock(); return }
        lastDraw = now
        lock.unlock()
        FileHandle.standardError.write(Data("\r\u{1B}[Kkeysweep: \(TerminalText.escape(text))".utf8))
    }

    /// Clears the line once the scan is over.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    private func drawIfDue() {
        lock.lock()
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.2 else { lock.unlock(); return }
        lastDraw = now
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(bytes) / elapsed / 1_000_000
        let line = "\r\u{1B}[Kkeysweep: \(commits) commits walked, \(blobs) blobs scanned, \(String(format: "%.1f", rate)) MB/s"
        lock.unlock()
        FileHandle.standardError.write(Data(line.utf8))
    }
}
