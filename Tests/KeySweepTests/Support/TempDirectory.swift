import Foundation

/// A directory under the system temp folder, removed when the value is released.
final class TempDirectory {
    let path: String

    init(_ label: String = "keysweep-test") {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/\(label)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ relative: String) -> String { "\(path)/\(relative)" }

    /// Writes `text` at `relative`, creating directories.
    func write(_ relative: String, _ text: String) {
        write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) {
        let full = file(relative)
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: full))
    }
}
