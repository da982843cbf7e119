/// Shannon entropy of a byte string, in bits per byte.
enum Entropy {
    static func bitsPerByte(_ bytes: some Collection<UInt8>) -> Double {
        guard !bytes.isEmpty else { return 0 }
        var counts = [Int](repeating: 0, count: 256)
        for b in bytes { counts[Int(b)] += 1 }
        let total = Double(bytes.count)
        var entropy = 0.0
        for c in counts where c > 0 {
            let p = Double(c) / total
            entropy -= p * log2(p)
        }
        return entropy
    }
}

import Foundation
