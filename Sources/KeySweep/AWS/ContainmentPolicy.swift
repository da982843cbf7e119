/// The explicit-deny policy keysweep writes for containment: every action of the blast-radius
/// vocabulary (and the kill chain's other destructive actions) denied on every resource, with no
/// condition, so MFA does not reopen it. An explicit Deny beats any Allow, AWS's quarantine
/// policies included, and this one closes what they leave open (instance, volume, snapshot,
/// image, database and backup deletion, stopping CloudTrail).
enum ContainmentPolicy {
    static let name = "KeySweepContainment"

    /// The actions it denies, in vocabulary order.
    static var actions: [String] {
        BlastCapability.allCases.flatMap(\.actions) + BlastCapability.otherDestructiveActions
    }

    /// The policy document, as JSON text for `put-user-policy --policy-document`: one statement
    /// per capability, so a report can say which statement closed what.
    static func document() -> String {
        var statements: [String] = []
        for capability in BlastCapability.allCases where !capability.actions.isEmpty {
            statements.append(statement(sid: sid(capability.rawValue), actions: capability.actions))
        }
        statements.append(statement(sid: "KeySweepDenyOtherDestruction", actions: BlastCapability.otherDestructiveActions))
        return "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n" + statements.joined(separator: ",\n") + "\n  ]\n}\n"
    }

    /// The same document on one line, for a shell command.
    static func compactDocument() -> String {
        document().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
    }

    private static func statement(sid: String, actions: [String]) -> String {
        let list = actions.map { "\"\($0)\"" }.joined(separator: ", ")
        return "    {\"Sid\": \"\(sid)\", \"Effect\": \"Deny\", \"Action\": [\(list)], \"Resource\": \"*\"}"
    }

    /// `create-users` → `KeySweepDenyCreateUsers` (Sids are alphanumeric).
    private static func sid(_ name: String) -> String {
        "KeySweepDeny" + name.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}
