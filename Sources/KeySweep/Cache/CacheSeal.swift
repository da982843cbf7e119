import Crypto
import Foundation

/// Seals what the scan cache keeps about secrets (the matches of an object, a history
/// snapshot) with AES-GCM, so a cache directory that leaks (a CI cache artifact, a shared
/// disk) holds no readable secret. Object ids, sizes and "nothing found" are not secret and
/// stay in clear.
///
/// The key is `KEYSWEEP_CACHE_KEY` (any passphrase; CI keeps it with its other secrets), else
/// 32 random bytes in `$XDG_STATE_HOME/keysweep/cache.key` (default `~/.local/state`), made
/// 0600 in a 0700 directory on first use: never next to the cache. A record sealed under
/// another key does not open; the object is scanned again, as if never cached.
struct CacheSeal: Sendable {
    /// The key's bytes (a `SymmetricKey` is made per use: it is not `Sendable`).
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    init<Bytes: ContiguousBytes>(key: Bytes) { keyBytes = key.withUnsafeBytes { Array($0) } }

    /// Why no key could be had (the cache then runs without one: see `ScanContext`).
    struct KeyError: Error, CustomStringConvertible {
        let description: String
    }

    static func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> CacheSeal {
        if let passphrase = environment["KEYSWEEP_CACHE_KEY"], !passphrase.isEmpty {
            return CacheSeal(key: Array(SHA256.hash(data: Data("keysweep-cache\u{0}\(passphrase)".utf8))))
        }
        let state = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["HOME"].map { "\($0)/.local/state" }
        guard let state else { throw KeyError(description: "no HOME or XDG_STATE_HOME for the cache key; set KEYSWEEP_CACHE_KEY") }
        return CacheSeal(key: try keyFile(in: "\(state)/keysweep"))
    }

    /// The 32 bytes of `DIRECTORY/cache.key`, made on first use.
    private static func keyFile(in directory: String) throws -> Data {
        let path = "\(directory)/cache.key"
        if let data = FileManager.default.contents(atPath: path), data.count == 32 { return data }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw KeyError(description: "cannot create \(directory) for the cache key; set KEYSWEEP_CACHE_KEY")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        // O_EXCL: of two processes making it at once, one writes and the other reads its key.
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            defer { close(fd) }
            guard write(fd, bytes, bytes.count) == bytes.count else {
                throw KeyError(description: "cannot write the cache key \(path)")
            }
            return Data(bytes)
        }
        if errno == EEXIST, let data = FileManager.default.contents(atPath: path), data.count == 32 { return data }
        throw KeyError(description: "cannot read or make the cache key \(path); set KEYSWEEP_CACHE_KEY")
    }

    func seal(_ plain: Data) throws -> Data {
        guard let combined = try AES.GCM.seal(plain, using: key).combined else { throw KeyError(description: "cannot seal a cache record") }
        return combined
    }

    /// The plain record, or nil when it was sealed under another key or is damaged.
    func unseal(_ sealed: Data) -> Data? {
        guard let box = try? AES.GCM.SealedBox(combined: sealed) else { return nil }
        return try? AES.GCM.open(box, using: key)
    }
}
