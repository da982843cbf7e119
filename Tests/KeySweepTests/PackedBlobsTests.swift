import Foundation
import Testing
@testable import KeySweep

/// The blobs listed from pack headers alone are exactly the blobs git lists in the packs,
/// deltas (offset and reference) included.
@Suite struct PackedBlobsTests {
    @Test func packHeadersListEveryBlobAndNothingElse() throws {
        let repo = try GitRepo()
        var text = (0..<200).map { "line \($0) of a file that changes a little each commit" }
        for round in 0..<12 {
            text[round * 7] = "changed in round \(round)"
            try repo.commit("round \(round)", ["src/file.txt": text.joined(separator: "\n"),
                                               "src/other-\(round % 3).txt": String(repeating: "x\(round)\n", count: 50)])
        }
        _ = try repo.git(["tag", "-a", "v1", "-m", "annotated"])
        _ = try repo.git(["gc", "-q", "--aggressive"])
        let listed = try repo.git(["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectname) %(deltabase)"])
        let lines = listed.split(separator: "\n").map { $0.split(separator: " ") }
        let expected = Set(lines.filter { $0[0] == "blob" }.map { String($0[1]) })
        #expect(lines.contains { $0[0] == "blob" && $0[2] != String(repeating: "0", count: 40) }, "the pack holds blob deltas")

        let objects = repo.path + "/.git/objects"
        let found = PackedBlobs.inPackOrder(objectsDirectory: objects).map(\.description)
        #expect(found.count == Set(found).count)
        #expect(Set(found) == expected)
    }
}

/// A damaged pack index (anyone who can push can hand one over) is a one-line error naming the
/// file and the damage, never a crash: a 64-bit offset past 2^63 overflowed in keysweep, and a
/// fan-out count of 0xFFFFFFFF crashed libgit2.
@Suite struct DamagedPackIndexTests {
    /// A packed repository with a secret, and its one `.idx` file.
    static func packed() throws -> (GitRepo, String) {
        let repo = try GitRepo()
        try repo.commit("a", ["a.txt": "key \(Secrets.keyID)\n"])
        try repo.commit("b", ["b.txt": "more\n"])
        try repo.git(["gc", "-q"])
        let pack = repo.path + "/.git/objects/pack"
        let idx = try #require(try FileManager.default.contentsOfDirectory(atPath: pack).first { $0.hasSuffix(".idx") })
        return (repo, pack + "/" + idx)
    }

    static func patch(_ path: String, at offset: Int, _ bytes: [UInt8]) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func fanOutCountPastTheFile() throws {
        let (repo, idx) = try Self.packed()
        try Self.patch(idx, at: 8 + 255 * 4, [0xFF, 0xFF, 0xFF, 0xFF])
        let before = try repo.snapshot()
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "more than its size holds")
        #expect(try repo.snapshot() == before)
    }

    @Test func offsetIntoAMissingLargeOffsetTable() throws {
        let (repo, idx) = try Self.packed()
        let data = try Data(contentsOf: URL(fileURLWithPath: idx))
        let count = Int(UInt32(bigEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self) }))
        // The first object's offset: top bit set, pointing into a large-offset table the file does not have.
        try Self.patch(idx, at: 8 + 1024 + 24 * count, [0x80, 0x00, 0x00, 0x00])
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "pack index")
    }

    @Test func largeOffsetPastTwoToThe63() throws {
        let (repo, idx) = try Self.packed()
        var data = try Data(contentsOf: URL(fileURLWithPath: idx))
        let count = Int(UInt32(bigEndian: data.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self) }))
        // A well-formed large-offset table of one entry, holding 2^63 + 5, used by the first object.
        let tableAt = 8 + 1024 + 28 * count
        data.insert(contentsOf: [0x80, 0, 0, 0, 0, 0, 0, 0x05], at: tableAt)
        data.replaceSubrange((8 + 1024 + 24 * count)..<(8 + 1024 + 24 * count + 4), with: [0x80, 0x00, 0x00, 0x00])
        try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: idx)
        try data.write(to: URL(fileURLWithPath: idx))
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "lies past the end of its pack")
    }

    @Test func fanOutNotAscending() throws {
        let (repo, idx) = try Self.packed()
        try Self.patch(idx, at: 8 + 254 * 4, [0x7F, 0xFF, 0xFF, 0xFF])
        expectOneLineError(try Keysweep.run(["scan", repo.path]), containing: "fan-out is not ascending")
    }
}
