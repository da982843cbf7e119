/// A key that brings its own well-mixed 64 bits (an object id is SHA-1 output already), so a
/// table can index by it without running a hash function over it.
protocol FlatHashable: Equatable {
    var flatHash: UInt64 { get }
}

/// An insert-only hash set over `FlatHashable` keys: one flat table, linear probing, no
/// per-operation SipHash. The history walk asks it about every tree and every (blob, path)
/// entry of the history, millions of times; Swift's `Set` spent a fifth of the walk hashing.
///
/// The table index mixes the key's bits with a per-set random seed, so a repository crafted
/// with ids that share bits cannot pile them into one probe chain.
struct FlatSet<Element: FlatHashable> {
    private var slots: [Element?]
    private var shift: UInt64
    private let seed = UInt64.random(in: .min ... .max)
    private(set) var count = 0

    init() {
        slots = Array(repeating: nil, count: 1 << 10)
        shift = 64 - 10
    }

    /// Inserts `element`; returns false when it was already there.
    @discardableResult
    mutating func insert(_ element: Element) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let start = index(of: element)
        let inserted = slots.withUnsafeMutableBufferPointer { FlatSet.place(element, in: $0, at: start) }
        if inserted { count += 1 }
        return inserted
    }

    func contains(_ element: Element) -> Bool { member(element) != nil }

    /// The stored element equal to `element` (for keys whose equality leaves out a payload).
    func member(_ element: Element) -> Element? {
        let mask = slots.count - 1
        var i = index(of: element)
        while let slot = slots[i] {
            if slot == element { return slot }
            i = (i + 1) & mask
        }
        return nil
    }

    private func index(of element: Element) -> Int { FlatSet.index(of: element, seed: seed, shift: shift) }

    private static func index(of element: Element, seed: UInt64, shift: UInt64) -> Int {
        // Fibonacci hashing: the top bits of the product depend on every bit of the key.
        Int(truncatingIfNeeded: ((element.flatHash ^ seed) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private static func place(_ element: Element, in slots: UnsafeMutableBufferPointer<Element?>, at start: Int) -> Bool {
        let mask = slots.count - 1
        var i = start
        while let slot = slots[i] {
            if slot == element { return false }
            i = (i + 1) & mask
        }
        slots[i] = element
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: nil, count: old.count * 2)
        shift -= 1
        let (seed, shift) = (seed, shift)
        slots.withUnsafeMutableBufferPointer { slots in
            for case let element? in old {
                _ = FlatSet.place(element, in: slots, at: FlatSet.index(of: element, seed: seed, shift: shift))
            }
        }
    }
}

extension ObjectID: FlatHashable {
    /// The id's first eight bytes.
    var flatHash: UInt64 { a }
}
