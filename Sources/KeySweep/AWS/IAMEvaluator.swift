/// AWS's documented evaluation logic ("Policy evaluation logic", IAM User Guide) for one IAM
/// user, limited to what the account's IAM data shows: an explicit Deny in any applicable policy
/// wins; otherwise an Allow in an identity policy is needed; a permissions boundary, when set,
/// must allow too. SCPs, resource policies and session policies are not seen (only
/// iam:SimulatePrincipalPolicy sees SCPs), so an answer here is what IAM grants, which an SCP
/// may still narrow. Asked about resource `*`, it answers with a `ResourceScope`.
struct IAMEvaluator: Sendable {
    /// Where a policy came from, as a report names it.
    struct PolicySource: Sendable, Hashable, CustomStringConvertible {
        enum Kind: String, Sendable {
            case userInline = "user inline"
            case userManaged = "user managed"
            case groupInline = "group inline"
            case groupManaged = "group managed"
            case boundary = "permissions boundary"
            case added = "added"
        }
        let kind: Kind
        let name: String
        let arn: String?
        let group: String?

        init(kind: Kind, name: String, arn: String? = nil, group: String? = nil) {
            self.kind = kind
            self.name = name
            self.arn = arn
            self.group = group
        }

        var description: String {
            let what = arn ?? name
            return group.map { "\(kind.rawValue) \(what) (group \($0))" } ?? "\(kind.rawValue) \(what)"
        }
    }

    struct SourcedPolicy: Sendable {
        let source: PolicySource
        let policy: IAMPolicy
    }

    /// One statement that took part in an answer.
    struct StatementRef: Sendable, Hashable, CustomStringConvertible {
        let source: PolicySource
        let statement: String
        let effect: IAMPolicy.Effect
        var description: String { "\(effect.rawValue) \(statement) in \(source)" }
    }

    /// An action to ask about, or every action at once (`*`: is this user an administrator).
    enum ActionProbe: Sendable, Hashable {
        case action(String)
        case all
    }

    struct Decision: Sendable, Equatable {
        /// Where the action is allowed; `.none` when it is not.
        let scope: ResourceScope
        let allowedBy: [StatementRef]
        let deniedBy: [StatementRef]
        /// Statements whose conditions keysweep cannot evaluate: an Allow counted as if it
        /// applied, a Deny not relied on; each said with its condition.
        let conditional: [String]
    }

    let identity: [SourcedPolicy]
    /// nil: the user has no permissions boundary.
    let boundary: SourcedPolicy?

    func decide(_ probe: ActionProbe, in context: IAMRequestContext) -> Decision {
        var notes: [String] = []
        var allowed = collect(.allow, probe, identity, context, &notes)
        if let boundary {
            let bounded = collect(.allow, probe, [boundary], context, &notes)
            allowed = (allowed.scope.intersection(bounded.scope), allowed.refs + bounded.refs)
        }
        let denied = collect(.deny, probe, identity + (boundary.map { [$0] } ?? []), context, &notes)
        let scope = allowed.scope.subtracting(denied.scope)
        return Decision(scope: scope, allowedBy: scope.isNone ? [] : allowed.refs, deniedBy: denied.refs, conditional: notes)
    }

    private func collect(_ effect: IAMPolicy.Effect, _ probe: ActionProbe, _ policies: [SourcedPolicy],
                         _ context: IAMRequestContext, _ notes: inout [String]) -> (scope: ResourceScope, refs: [StatementRef]) {
        var scope = ResourceScope.none
        var refs: [StatementRef] = []
        for sourced in policies {
            for statement in sourced.policy.statements where statement.effect == effect && Self.covers(statement, probe) {
                let ref = StatementRef(source: sourced.source, statement: statement.label, effect: effect)
                switch context.evaluate(statement.conditions) {
                case .notMet: continue
                case .met: break
                case .unknown(let conditions):
                    let said = conditions.joined(separator: " and ")
                    if effect == .deny {
                        notes.append("\(ref) may deny it, when \(said)")
                        continue
                    }
                    notes.append("\(ref) allows it only when \(said)")
                }
                // A statement scoped to some resources still takes away full administration.
                let resources = ResourceScope(statement.resources)
                scope = scope.union(effect == .deny && probe == .all && !resources.isNone ? .all : resources)
                refs.append(ref)
            }
        }
        return (scope, refs)
    }

    /// Whether a statement's actions cover the probe. For `.all`, an Allow must name every
    /// action (`*`); a Deny of anything at all takes away "every action".
    static func covers(_ statement: IAMPolicy.Statement, _ probe: ActionProbe) -> Bool {
        switch (probe, statement.actions) {
        case (.action(let action), .listed(let patterns)):
            return patterns.contains { IAMWildcard.matches($0, action, caseInsensitive: true) }
        case (.action(let action), .allBut(let patterns)):
            return !patterns.contains { IAMWildcard.matches($0, action, caseInsensitive: true) }
        case (.all, .listed(let patterns)):
            return statement.effect == .deny ? !patterns.isEmpty : patterns.contains { $0 == "*:*" || IAMWildcard.isAll($0) }
        case (.all, .allBut):
            return statement.effect == .deny
        }
    }
}
