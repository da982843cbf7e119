/// What one IAM user's leaked key can do, answered for every capability of the vocabulary:
/// the result the report's `blast_radius` and the plan's ranking are made from.
struct BlastRadius: Sendable {
    /// Where a capability is allowed.
    enum Reach: Sendable, Equatable {
        case none
        /// Only on these resource patterns.
        case scoped([String])
        /// On every resource, except these patterns (explicit Deny or NotResource).
        case everything(except: [String])

        init(_ scope: ResourceScope) {
            switch scope {
            case .everything(let except): self = .everything(except: except)
            case .only(let patterns): self = patterns.isEmpty ? .none : .scoped(patterns)
            }
        }
    }

    struct Answer: Sendable, Equatable {
        let capability: BlastCapability
        /// The leaked key alone (no MFA in the request).
        let withoutMFA: Reach
        /// A session of the same user made with MFA.
        let withMFA: Reach
        /// The actions that are allowed, without MFA if any is, else with MFA.
        let allowedActions: [String]
        /// The statements that allowed them.
        let evidence: [IAMEvaluator.StatementRef]
        /// The Deny statements that applied to its actions.
        let deniedBy: [IAMEvaluator.StatementRef]
        /// Conditions keysweep cannot evaluate that the answer depends on.
        let conditional: [String]

        var isAllowed: Bool { if case .everything = withoutMFA { return true } else { return false } }
        var isMFAOnly: Bool { withoutMFA == .none && withMFA != .none }
    }

    let userName: String
    let principal: String
    let createDate: String?
    /// Every capability of the vocabulary, in its order.
    let answers: [Answer]
    /// Quarantine policies attached to the user.
    let quarantinePolicies: [String]
    /// The capabilities allowed on everything without MFA with a quarantine policy in effect: the
    /// attached one, or, for a user without one, `AWSCompromisedKeyQuarantineV3` as AWS would
    /// attach it. nil when the quarantine's document is unknown.
    let leftOpenByQuarantine: [BlastCapability]?
    /// What keysweep could not know: policies without documents, conditions it cannot evaluate.
    let unknown: [String]

    func answer(_ capability: BlastCapability) -> Answer { answers.first { $0.capability == capability }! }

    var admin: Bool { answer(.admin).isAllowed }
    /// Allowed on every resource to the leaked key alone.
    var capabilities: [BlastCapability] { answers.filter(\.isAllowed).map(\.capability) }
    /// Not allowed to the key alone, allowed with MFA.
    var mfaOnly: [BlastCapability] { answers.filter(\.isMFAOnly).map(\.capability) }
    /// Allowed to the key alone on some resources only, with those resources.
    var scoped: [(BlastCapability, [String])] {
        answers.compactMap { answer in
            if case .scoped(let resources) = answer.withoutMFA { return (answer.capability, resources) }
            return nil
        }
    }
    var quarantined: Bool { !quarantinePolicies.isEmpty }
}
