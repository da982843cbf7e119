/// Builds a user's `IAMEvaluator` from an account's authorization details (user inline and
/// attached, each group's inline and attached, the boundary) and asks it about every capability,
/// without MFA and with it.
struct BlastRadiusAnalysis: Sendable {
    let details: AuthorizationDetails

    /// The blast radius of `user`; `added` policies are evaluated as if attached to the user
    /// (what a containment policy would close).
    func blastRadius(of user: AuthorizationDetails.User, adding added: [IAMEvaluator.SourcedPolicy] = []) -> BlastRadius {
        var unknown: [String] = []
        let identity = policies(of: user, &unknown) + added
        var boundary: IAMEvaluator.SourcedPolicy?
        if let arn = user.boundaryARN {
            if let policy = details.policies[arn] {
                boundary = .init(source: .init(kind: .boundary, name: policy.name, arn: arn), policy: policy.document)
            } else {
                // Unknown boundary: evaluate as if absent (it can only narrow), and say so.
                unknown.append("permissions boundary \(arn) has no document in the authorization details: answers ignore it and may be too wide")
            }
        }
        let evaluator = IAMEvaluator(identity: identity, boundary: boundary)
        let answers = BlastCapability.allCases.map { answer($0, evaluator) }
        for answer in answers { unknown += answer.conditional.map { "\(answer.capability.rawValue): \($0)" } }

        let attachedQuarantine = user.attachedARNs.filter(QuarantinePolicies.isQuarantine)
        var leftOpen: [BlastCapability]?
        if attachedQuarantine.isEmpty {
            let v3 = QuarantinePolicies.transcribed(QuarantinePolicies.v3)!
            let quarantined = IAMEvaluator(identity: identity + [.init(source: .init(kind: .added, name: "AWSCompromisedKeyQuarantineV3", arn: QuarantinePolicies.v3), policy: v3)], boundary: boundary)
            leftOpen = BlastCapability.allCases.map { answer($0, quarantined) }.filter(\.isAllowed).map(\.capability)
        } else if attachedQuarantine.allSatisfy({ details.policies[$0] != nil || QuarantinePolicies.transcribed($0) != nil }) {
            leftOpen = answers.filter(\.isAllowed).map(\.capability)
        }
        return BlastRadius(userName: user.name, principal: user.arn, createDate: user.createDate, answers: answers,
                           quarantinePolicies: attachedQuarantine, leftOpenByQuarantine: leftOpen, unknown: unique(unknown))
    }

    /// The user's identity policies: its own inline and attached, then each group's.
    private func policies(of user: AuthorizationDetails.User, _ unknown: inout [String]) -> [IAMEvaluator.SourcedPolicy] {
        var result = user.inline.map { IAMEvaluator.SourcedPolicy(source: .init(kind: .userInline, name: $0.name), policy: $0.document) }
        result += managed(user.attachedARNs, kind: .userManaged, group: nil, &unknown)
        for name in user.groups {
            guard let group = details.groups[name] else {
                unknown.append("group \(name) is not in the authorization details: its policies are not evaluated")
                continue
            }
            result += group.inline.map { .init(source: .init(kind: .groupInline, name: $0.name, group: name), policy: $0.document) }
            result += managed(group.attachedARNs, kind: .groupManaged, group: name, &unknown)
        }
        return result
    }

    private func managed(_ arns: [String], kind: IAMEvaluator.PolicySource.Kind, group: String?, _ unknown: inout [String]) -> [IAMEvaluator.SourcedPolicy] {
        arns.compactMap { arn in
            if let policy = details.policies[arn] {
                return .init(source: .init(kind: kind, name: policy.name, arn: arn, group: group), policy: policy.document)
            }
            if let transcribed = QuarantinePolicies.transcribed(arn) {
                return .init(source: .init(kind: kind, name: String(arn.split(separator: "/").last!), arn: arn, group: group), policy: transcribed)
            }
            unknown.append("managed policy \(arn)\(group.map { " (group \($0))" } ?? "") has no document in the authorization details: not evaluated")
            return nil
        }
    }

    private func answer(_ capability: BlastCapability, _ evaluator: IAMEvaluator) -> BlastRadius.Answer {
        let probes: [IAMEvaluator.ActionProbe] = capability == .admin ? [.all] : capability.actions.map { .action($0) }
        var without = ResourceScope.none, with = ResourceScope.none
        var allowedWithout: [String] = [], allowedWith: [String] = []
        var evidenceWithout: [IAMEvaluator.StatementRef] = [], evidenceWith: [IAMEvaluator.StatementRef] = []
        var denied: [IAMEvaluator.StatementRef] = [], conditional: [String] = []
        for probe in probes {
            let name: String
            if case .action(let action) = probe { name = action } else { name = "*" }
            let alone = evaluator.decide(probe, in: .leakedKey)
            let mfa = evaluator.decide(probe, in: .withMFA)
            if !alone.scope.isNone { allowedWithout.append(name); evidenceWithout += alone.allowedBy }
            if !mfa.scope.isNone { allowedWith.append(name); evidenceWith += mfa.allowedBy }
            without = without.union(alone.scope)
            with = with.union(mfa.scope)
            denied += alone.deniedBy + mfa.deniedBy
            conditional += alone.conditional + mfa.conditional
        }
        let keyAlone = !without.isNone
        return .init(capability: capability, withoutMFA: .init(without), withMFA: .init(with),
                     allowedActions: keyAlone ? allowedWithout : allowedWith,
                     evidence: unique(keyAlone ? evidenceWithout : evidenceWith),
                     deniedBy: unique(denied), conditional: unique(conditional))
    }
}

private func unique<T: Hashable>(_ list: [T]) -> [T] {
    var seen: Set<T> = []
    return list.filter { seen.insert($0).inserted }
}
