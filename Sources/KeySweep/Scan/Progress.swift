import Foundation

/// A one-line progress display on standard error, redrawn a few times a second while enabled:
/// the phase, then what it has done of how much. While a history walk runs, the total is not
/// known (`walking history: 812 commits, 3,004 blobs queued, 1,950 scanned`); once the producer
/// is done it is (`scanning: 1,950/3,004 blobs (64%), 41.2 MB/s, about 3 s left`).
final class Progress: @unchecked Sendable {
    enum Phase: String {
        case walking = "walking history"
        case reading = "reading files"
        case scanning
        case attributing = "attributing findings"
        case refs = "checking refs"
    }

    private let enabled: Bool
    private let lock = NSLock()
    private var phase = Phase.reading
    private var unit = "blobs"
    private var commits = 0
    /// Items queued for the workers, and scanned, in the current source.
    private var queued = 0
    private var scanned = 0
    /// Bytes scanned in the current source, and when it started.
    private var bytes = 0
    private var total: Int?
    private var sourceStart = Date()
    private var lastDraw = Date.distantPast

    init(enabled: Bool) { self.enabled = enabled }

    /// A source starts: its counts begin at zero; `history` names the walk phase.
    func begin(history: Bool, unit: String) {
        guard enabled else { return }
        lock.withLock {
            phase = history ? .walking : .reading
            self.unit = unit
            queued = 0; scanned = 0; bytes = 0; total = nil
            sourceStart = Date()
        }
    }

    func walked(commits count: Int) {
        guard enabled else { return }
        lock.withLock { commits += count }
        drawIfDue()
    }

    func queued(_ count: Int) {
        guard enabled else { return }
        lock.withLock { queued += count }
        drawIfDue()
    }

    /// The producer is done: every item is queued, so the total is known.
    func enumerated() {
        guard enabled else { return }
        lock.withLock { total = queued; phase = .scanning }
        drawIfDue(force: true)
    }

    func scanned(blobs count: Int, bytes size: Int) {
        guard enabled else { return }
        lock.withLock { scanned += count; bytes += size }
        drawIfDue()
    }

    /// A phase after scanning (attribution, ref facts): drawn at once.
    func enter(_ next: Phase) {
        guard enabled else { return }
        lock.withLock { phase = next }
        drawIfDue(force: true)
    }

    /// A clone's transfer (objects received of the total, bytes).
    func transfer(_ name: String, received: Int, total: Int, bytes: Int) {
        guard enabled else { return }
        let mib = String(format: "%.1f", Double(bytes) / 1_048_576)
        let percent = total > 0 ? " (\(received * 100 / total)%)" : ""
        phase("cloning \(name): \(received)/\(total) objects\(percent), \(mib) MiB")
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

    private func drawIfDue(force: Bool = false) {
        lock.lock()
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.2 else { lock.unlock(); return }
        lastDraw = now
        let line = ProgressLine(phase: phase, unit: unit, commits: commits, queued: queued, scanned: scanned,
                                total: total, bytes: bytes, elapsed: now.timeIntervalSince(sourceStart)).text
        lock.unlock()
        FileHandle.standardError.write(Data("\r\u{1B}[Kkeysweep: \(line)".utf8))
    }
}

/// The text of one progress line (a value, so its wording is tested without a terminal).
struct ProgressLine {
    var phase: Progress.Phase
    var unit: String
    var commits: Int
    var queued: Int
    var scanned: Int
    var total: Int?
    var bytes: Int
    var elapsed: Double

    var text: String {
        let rate = Double(bytes) / max(elapsed, 0.001) / 1_000_000
        let speed = String(format: "%.1f MB/s", rate)
        guard let total, phase == .scanning else {
            var parts: [String] = []
            if phase == .walking { parts.append(Plural.count(commits, "commit")) }
            if phase == .walking || phase == .reading {
                parts.append("\(Plural.number(queued)) \(unit) queued")
                parts.append("\(Plural.number(scanned)) scanned")
                parts.append(speed)
            }
            return "\(phase.rawValue)" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
        }
        let done = min(scanned, total)
        let percent = total > 0 ? done * 100 / total : 100
        var text = "scanning: \(Plural.number(done))/\(Plural.number(total)) \(unit) (\(percent)%), \(speed)"
        // Time left once a few percent are done: the rate of items so far, over what remains.
        if done > 0, done < total, elapsed >= 1, percent >= 2 {
            let left = elapsed / Double(done) * Double(total - done)
            text += ", about \(Self.duration(left)) left"
        }
        return text
    }

    /// `8 s`, `2 min 5 s`, `1 h 3 min`.
    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded(.up))
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
}

/// Counts as people write them: `1 file`, `2 files`, `12,345 blobs`.
enum Plural {
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(number(n)) \(n == 1 ? singular : plural ?? singular + "s")"
    }

    /// Thousands separated by commas, whatever the locale.
    static func number(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(character)
        }
        return (n < 0 ? "-" : "") + out
    }
}
