/// The request keysweep imagines a leaked key making, as far as conditions can see it. Only
/// `aws:MultiFactorAuthPresent` is modelled: a long-term access key alone sends no such key at
/// all (absent, not false), a session made with MFA sends `true`. Every other condition key
/// depends on things keysweep cannot know (source IP, time, tags) and is reported as unknown.
struct IAMRequestContext: Sendable, Equatable {
    /// nil: the key is absent from the request context.
    let multiFactorAuthPresent: Bool?

    /// The leaked long-term key used on its own.
    static let leakedKey = IAMRequestContext(multiFactorAuthPresent: nil)
    /// The same user in a session made with MFA.
    static let withMFA = IAMRequestContext(multiFactorAuthPresent: true)

    enum Outcome: Sendable, Equatable {
        case met
        case notMet
        /// Depends on something keysweep cannot know: each condition said as written.
        case unknown([String])
    }

    /// A statement's conditions, all of which must hold (IAM ANDs operators and keys, ORs the
    /// values of one key).
    func evaluate(_ conditions: [IAMPolicy.Condition]) -> Outcome {
        var unknown: [String] = []
        for condition in conditions {
            switch evaluate(condition) {
            case .notMet: return .notMet
            case .unknown(let notes): unknown += notes
            case .met: break
            }
        }
        return unknown.isEmpty ? .met : .unknown(unknown)
    }

    private func evaluate(_ condition: IAMPolicy.Condition) -> Outcome {
        let written = "\(condition.op) \(condition.key) \(condition.values.joined(separator: "|"))"
        guard condition.key.lowercased() == "aws:multifactorauthpresent" else { return .unknown([written]) }
        let values = Set(condition.values.map { $0.lowercased() })
        switch condition.op {
        case "Bool", "BoolIfExists":
            // Absent: Bool fails whatever it asks for; BoolIfExists holds whatever it asks for.
            guard let present = multiFactorAuthPresent else { return condition.op == "Bool" ? .notMet : .met }
            return values.contains(present ? "true" : "false") ? .met : .notMet
        case "Null":
            // Null true asks for the key's absence, Null false for its presence.
            let absent = multiFactorAuthPresent == nil
            return values.contains(absent ? "true" : "false") ? .met : .notMet
        default:
            return .unknown([written])
        }
    }
}
