/// AWS accounts that own honeytoken (canary) keys: any call with such a key alerts its owner,
/// so keysweep reports them as canaries and never verifies them. Source: docs/AWS.md.
enum CanaryAccounts {
    /// Thinkst canarytokens.org accounts.
    static let thinkst: Set<String> = [
        "052310077262", "171436882533", "534261010715", "595918472158", "717712589309", "819147034852",
        "992382622183", "730335385048", "266735846894", "893192397702",
    ]
    /// Other known decoy accounts.
    static let otherDecoys: Set<String> = [
        "044858866125", "251535659677", "344043088457", "351906852752", "390477818340", "426127672474",
        "427150556519", "439872796651", "445142720921", "465867158099", "637958123769", "693412236332",
        "732624840810", "735421457923", "959235150393", "982842642351", "528757803018", "538784191382",
        "729780141977",
    ]

    static func isCanary(account: String?) -> Bool {
        guard let account else { return false }
        return thinkst.contains(account) || otherDecoys.contains(account)
    }
}
