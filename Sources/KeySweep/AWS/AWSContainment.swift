import Foundation

/// `keysweep contain`: the two changes it makes to the owner's account, named before they are
/// made: the leaked key deactivated (`iam:UpdateAccessKey`), and keysweep's explicit-deny policy
/// put on its user (`iam:PutUserPolicy`, `ContainmentPolicy`), which closes what AWS's quarantine
/// policy leaves open. Deleting the key stays a person's step, after the replacement is deployed.
package struct AWSContainment: Sendable {
    package struct Failure: Error, CustomStringConvertible { package let description: String }

    package let keyID: String
    package let user: String

    package init(keyID: String, user: String) { self.keyID = keyID; self.user = user }

    /// The key id a `contain` argument names: an AWS key id itself, or the id of a key id
    /// finding (or of its secret) in a JSON report.
    package static func keyID(for argument: String, report: ScanResult?) throws(Failure) -> String {
        if AWSKeyID(argument) != nil { return argument }
        guard let report else {
            throw Failure(description: "'\(argument)' is not an AWS key id: name a finding id with --report REPORT, or the key id")
        }
        guard let finding = report.findings.first(where: { $0.id == argument }) else {
            throw Failure(description: "no finding \(argument) in the report")
        }
        // A secret or token finding: the key id it is paired with.
        let idFinding = AWSCredential(finding) != nil ? finding : report.findings.first { candidate in
            AWSCredential(candidate) != nil && candidate.pairing?.parts.values.contains(finding.secret) == true
        }
        guard let idFinding, let credential = AWSCredential(idFinding) else {
            throw Failure(description: "finding \(argument) (\(finding.rule.id)) is not an AWS key and no key id is paired with it")
        }
        guard AWSKeyID(idFinding.secret) != nil else {
            throw Failure(description: "the report is redacted: key id \(idFinding.secret) is not whole (use a report written without --redact)")
        }
        guard credential.keyID.keyType == .longTerm else {
            throw Failure(description: "\(idFinding.secret) is a \(credential.keyID.keyType.rawValue) key: only long-term user keys can be deactivated (see the plan's steps)")
        }
        return idFinding.secret
    }

    /// What it will do, as the AWS CLI commands that do the same, in order.
    package var commands: [String] {
        ["aws iam update-access-key --user-name \(AWSPlaybook.quote(user)) --access-key-id \(keyID) --status Inactive",
         "aws iam put-user-policy --user-name \(AWSPlaybook.quote(user)) --policy-name \(ContainmentPolicy.name) --policy-document \(AWSPlaybook.quote(ContainmentPolicy.compactDocument()))"]
    }

    package var policyName: String { ContainmentPolicy.name }
    package var policyDocument: String { ContainmentPolicy.document() }

    /// Makes both changes, the key first; stops at the first that fails.
    package func apply(with writer: any AWSAccountWriter) throws(Failure) {
        if let reason = writer.deactivate(keyID: keyID, user: user).reason {
            throw Failure(description: "the key was not deactivated: \(reason)")
        }
        if let reason = writer.putUserPolicy(user: user, name: ContainmentPolicy.name, document: ContainmentPolicy.document()).reason {
            throw Failure(description: "the key is Inactive, but the deny policy was not attached: \(reason)")
        }
    }
}
