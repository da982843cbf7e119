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
