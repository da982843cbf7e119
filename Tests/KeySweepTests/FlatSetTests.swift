import Testing
@testable import KeySweep

/// The walk's flat set behaves as a `Set` through growth, with ids that share their first
/// bytes (probe chains) and with ids that differ only in their last bytes.
@Suite struct FlatSetTests {
    @Test func agreesWithSet() {
        var generator = SystemRandomNumberGenerator()
        var ids: [ObjectID] = (0..<20_000).map { i in
            var raw = (UInt64.random(in: .min ... .max, using: &generator), UInt64(i), UInt32(i % 7))
            // Every tenth id shares its first eight bytes with another: same flat hash.
            if i % 10 == 0 { raw.0 = 42 }
            return withUnsafeBytes(of: &raw) { ObjectID(rawBytes: $0.baseAddress!) }
        }
        ids += ids.prefix(5_000)    // repeats
        var flat = FlatSet<ObjectID>()
        var reference = Set<ObjectID>()
        for id in ids.shuffled() {
            #expect(flat.contains(id) == reference.contains(id))
            #expect(flat.insert(id) == reference.insert(id).inserted)
        }
        #expect(flat.count == reference.count)
        #expect(reference.allSatisfy { flat.contains($0) })
        var absent = (UInt64(7), UInt64(7), UInt32(7))
        #expect(!flat.contains(withUnsafeBytes(of: &absent) { ObjectID(rawBytes: $0.baseAddress!) }))
    }
}
