import Foundation
import GRDB
import KeySweep

/// The scan cache's store (`--cache DIR`): an SQLite database (GRDB) in the directory the user
/// names. What a record holds is the core's business (`ScanCache`); this only keeps records.
package final class SQLiteCacheStore: ScanCacheStore, @unchecked Sendable {
    static let fileName = "keysweep-cache.sqlite"
    /// Seconds to wait for another process's write to the cache to end.
    static let lockTimeout: TimeInterval = 120

    private let database: DatabaseQueue

    /// Opens (creating the directory and the database) `DIRECTORY/keysweep-cache.sqlite`. A
    /// directory it makes is 0700 and the database 0600 (SQLite gives its journals the
    /// database's mode): the cache says which objects of which repositories hold secrets.
    package init(directory: String) throws {
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let path = (directory as NSString).appendingPathComponent(Self.fileName)
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
        // Another keysweep on the same cache holds its lock while it writes: wait for it, not fail.
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.lockTimeout)
        database = try DatabaseQueue(path: path, configuration: configuration)
    }

    package func open(key: String) throws -> [CachedObject] {
        try database.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS objects (id BLOB PRIMARY KEY, outcome INTEGER NOT NULL,
                                                    size INTEGER NOT NULL, matches BLOB) WITHOUT ROWID
                """)
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE name = 'scan-key'")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS histories (tips TEXT PRIMARY KEY, snapshot BLOB NOT NULL)")
            if stored != key {
                try db.execute(sql: "DELETE FROM objects")
                try db.execute(sql: "DELETE FROM histories")
                try db.execute(sql: "INSERT OR REPLACE INTO meta (name, value) VALUES ('scan-key', ?)", arguments: [key])
            }
        }
        return try database.read { db in
            var objects: [CachedObject] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT id, outcome, size, matches FROM objects")
            while let row = try rows.next() {
                objects.append(CachedObject(id: row[0], outcome: row[1], size: row[2], matches: row[3]))
            }
            return objects
        }
    }

    package func store(_ objects: [CachedObject]) throws {
        try database.write { db in
            let insert = try db.makeStatement(sql: "INSERT OR REPLACE INTO objects (id, outcome, size, matches) VALUES (?, ?, ?, ?)")
            for object in objects {
                try insert.execute(arguments: [object.id, object.outcome, object.size, object.matches])
            }
        }
    }

    package func history(tips: String) throws -> Data? {
        try database.read { db in
            try Data.fetchOne(db, sql: "SELECT snapshot FROM histories WHERE tips = ?", arguments: [tips])
        }
    }

    package func storeHistory(_ snapshot: Data, tips: String) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO histories (tips, snapshot) VALUES (?, ?)", arguments: [tips, snapshot])
        }
    }
}
