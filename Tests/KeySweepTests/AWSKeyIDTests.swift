import Testing
@testable import KeySweep

@Suite struct AWSKeyIDTests {
    @Test(arguments: [
        ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
        ("AKIAZAVB57H55F3T4BKH", "619888638459"),
        ("AIDAZAVB57H5V3Q4ACRGM", "619888638459"),
        ("AKIASP2TPHJSQH3FJRUX", "171436882533"),
    ])
    func decodesTheAccount(_ id: String, _ account: String) {
        #expect(AWSKeyID(id)?.account == account)
    }

    @Test func oldGenerationIDsEncodeNoAccount() {
        #expect(AWSKeyID("AKIAIOSFODNN7EXAMPLE")?.account == nil)
        #expect(AWSKeyID("AKIAJQ4GEVW6ZLD3KXMA")?.account == nil)
    }

    @Test func keyTypes() {
        #expect(AWSKeyID("AKIAZAVB57H55F3T4BKH")?.keyType == .longTerm)
        #expect(AWSKeyID("ASIAY34FZKBOKMUTVV7A")?.keyType == .temporary)
        #expect(AWSKeyID("ABIAZAVB57H55F3T4BKH")?.keyType == .bearer)
        #expect(AWSKeyID("ACCAZAVB57H55F3T4BKH")?.keyType == .context)
    }
}

@Suite struct PrefilterTests {
    @Test func findsKeywordsCaseInsensitivelyAnywhere() {
        let filter = KeywordPrefilter(keywords: [["akia"], ["secret", "password"], [], ["he", "she", "hers"]])
        func marked(_ text: String) -> [Bool] {
            var hits = [Bool](repeating: false, count: 4)
            var bytes = Array(text.utf8)
            _ = bytes.withUnsafeMutableBytes { filter.mark(UnsafeRawBufferPointer($0), into: &hits) }
            return hits
        }
        #expect(marked("nothing at all") == [false, false, true, false])
        #expect(marked("xxAkIaxx") == [true, false, true, false])
        #expect(marked("my PASSWORD") == [false, true, true, false])
        #expect(marked("ushers") == [false, false, true, true])
        #expect(marked("") == [false, false, true, false])
    }
}
