/// Paths of a history are cut past PATH_MAX: no checkout can hold a longer one, and building
/// every path of a tree nested thousands deep with long names whole would cost the square of
/// its size. A cut path keeps its first `maxBytes` and says where it was cut with `marker`.
enum PathCut {
    static let maxBytes = 4096
    static let marker = "…/"

    /// `parent` (ending in "/" or empty) followed by `name`, or nil when that passes `maxBytes`.
    static func join(_ parent: String, _ name: UnsafeBufferPointer<UInt8>) -> String? {
        guard parent.utf8.count + name.count <= maxBytes else { return nil }
        return parent + String(decoding: name, as: UTF8.self)
    }

    /// `name/path`, or `path` behind the marker when that passes `maxBytes` (paths built from
    /// the bottom up, as `AliasedPlaces` does).
    static func prefix(_ name: String, to path: String) -> String {
        if name.utf8.count + 1 + path.utf8.count <= maxBytes { return name + "/" + path }
        return path.hasPrefix(marker) ? path : marker + path
    }
}
