/// Realistic secrets for tests. None is live; AWS ids decode to the accounts named.
enum Secrets {
    static let keyID = "AKIAZAVB57H55F3T4BKH"            // account 619888638459
    static let keyID2 = "AKIASP2TPHJSQH3FJRUX"           // account 171436882533 (a canary account)
    static let temporaryKeyID = "ASIAY34FZKBOKMUTVV7A"   // account 609629065308
    static let oldKeyID = "AKIAJQ4GEVW6ZLD3KXMA"         // old generation: no account encoded
    static let secretKey = "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"
    static let secretKey2 = "nT5tqWC+Pv1Yo8DCgr2VtLq7JbsIhV6m0xqkT0Ez"
    static let githubToken = "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"

    static func credentials(_ id: String = keyID, _ secret: String = secretKey) -> String {
        "[default]\naws_access_key_id = \(id)\naws_secret_access_key = \(secret)\n"
    }
}
