import Testing
@testable import KeySweep

/// `not-identifier` (generic-secret): values shaped like names are not secrets, random tokens are,
/// with gitleaks' look-alike negatives (issue 28) on the identifier side.
@Suite struct NotIdentifierCheckTests {
    static func isIdentifier(_ value: String) -> Bool {
        var bytes = Array(value.utf8)
        return bytes.withUnsafeBufferPointer { NotIdentifierCheck.isIdentifier($0) }
    }

    @Test(arguments: [
        "tokenResponseFromAuthorizationServer", "kubernetes-dashboard-certs-secret",
        // a resource's name: short words and a number of up to 13 digits (an account, a timestamp)
        "cmp2-qat-1208358310", "prod-eastus-1700000000000",
        // a code, then a body of words two thirds of the value or more
        "clm01063:AgencyIdentificationCodeContentType", "x9:RequestSigningKeyRotation",
    ])
    func identifiers(value: String) {
        #expect(Self.isIdentifier(value), "\(value)")
    }

    @Test(arguments: [
        "yLryKGwcGc3ez9G8YAnjeYMQOc", "AiDPf5pUwPMTOnH2iUkHXyeMcCtRzUG7",
        // a number longer than any id is a numeric secret
        "deadbeefdeadbeefdeadbeefdeadbeef-12345678901234567890", "cmp2-qat-12083583107741",
        // a code prefix with a random body; a words part that is not the body
        "clm01063:Xq7RkvT2mLp9sWdB4nHc", "x9Kq2LmR8vTz4NpW:ContentType",
    ])
    func notIdentifiers(value: String) {
        #expect(!Self.isIdentifier(value), "\(value)")
    }
}
