import Foundation

/// What to do about a leaked secret, declared as data: one entry
/// per provider (or per kind of its credentials), named by the rules that take it
/// (`playbook = "slack"` in a rule file), with its steps. `{since}` in a step becomes the date
/// the secret was first committed. Commands name the secret `$SECRET`, which the plan writes as
/// `$(keysweep show ID --secret)` with the row's finding id (`$FINDING` is the id alone), so a
/// plan never needs the secret in full and each command runs as it is.
package struct ProviderPlaybook: Sendable {
    /// What rule files name it by (`playbook`).
    var id: String
    /// The provider as the plan names it.
    var name: String
    var steps: [RemediationPlan.Step]
}

enum ProviderPlaybooks {
    typealias Step = RemediationPlan.Step

    /// The playbooks provider modules bring (`ProviderModule.playbooks`), then those declared here.
    static let all: [ProviderPlaybook] = ProviderModules.all.flatMap(\.playbooks) + declared

    private static let declared: [ProviderPlaybook] = [
        ProviderPlaybook(id: "github", name: "GitHub", steps: [
            Step(kind: "revoke", title: "Revoke the token through GitHub's credential revocation API",
                 detail: "Anyone may report a leaked token; GitHub revokes it and tells its owner. No authentication needed. The command reads the token with keysweep show.",
                 commands: ["curl -sS -X POST https://api.github.com/credentials/revoke -H 'Accept: application/vnd.github+json' -H 'X-GitHub-Api-Version: 2022-11-28' -d \"{\\\"credentials\\\":[\\\"$SECRET\\\"]}\""]),
            Step(kind: "investigate", title: "Review what it did since {since}",
                 detail: "The owner reviews the security log (https://github.com/settings/security-log), an organization owner the audit log, and replaces the token with a fine-grained one of narrower scope.",
                 commands: []),
        ]),
        ProviderPlaybook(id: "gitlab", name: "GitLab", steps: [
            Step(kind: "revoke", title: "Revoke the token",
                 detail: "A personal, project or group access token revokes itself through the API (use your GitLab host for gitlab.com); deploy, runner and trigger tokens are reset in the project's Settings > CI/CD or Repository.",
                 commands: ["curl -sS -X DELETE -H \"PRIVATE-TOKEN: $SECRET\" https://gitlab.com/api/v4/personal_access_tokens/self"]),
            Step(kind: "investigate", title: "Review its use since {since}",
                 detail: "Admin Area > Monitoring > Audit events (or the group's and project's audit events).",
                 commands: []),
        ]),
        ProviderPlaybook(id: "slack", name: "Slack", steps: [
            Step(kind: "revoke", title: "Revoke the token",
                 detail: "A bot, user or app token revokes itself with auth.revoke. A webhook URL cannot: delete it under the app's Incoming Webhooks and add a new one. A signing secret is regenerated under Basic Information.",
                 commands: ["curl -sS -X POST https://slack.com/api/auth.revoke -H \"Authorization: Bearer $SECRET\""]),
            Step(kind: "investigate", title: "Review its use since {since}",
                 detail: "Workspace access logs and, on Enterprise Grid, the audit logs API.",
                 commands: []),
        ]),
        ProviderPlaybook(id: "stripe", name: "Stripe", steps: [
            Step(kind: "rotate", title: "Roll the key in the Stripe dashboard",
                 detail: "Developers > API keys > Roll key (https://dashboard.stripe.com/apikeys), with an expiry of now for the old key; a webhook secret is rolled on its endpoint's page. Deploy the new key.",
                 commands: []),
            Step(kind: "investigate", title: "Review requests made since {since}",
                 detail: "Developers > Logs, filtered by the old key.",
                 commands: []),
        ]),
        ProviderPlaybook(id: "npm", name: "npm", steps: [
            Step(kind: "revoke", title: "Revoke the token",
                 detail: "List your tokens (the leaked one shows its first characters), then revoke it by its id; or at https://www.npmjs.com/settings/~/tokens.",
                 commands: ["npm token list", "npm token revoke TOKEN_ID"]),
            Step(kind: "investigate", title: "Check what was published since {since}",
                 detail: "Look for versions of your packages you did not publish; deprecate or unpublish them.",
                 commands: ["npm access list packages"]),
        ]),
        ProviderPlaybook(id: "pypi", name: "PyPI", steps: [
            Step(kind: "revoke", title: "Delete the API token",
                 detail: "Account settings > API tokens (https://pypi.org/manage/account/token/): remove the token; better, move uploads to Trusted Publishing.",
                 commands: []),
            Step(kind: "investigate", title: "Check releases made since {since}",
                 detail: "Each project's Security history lists uploads and the token that made them.",
                 commands: []),
        ]),
        ProviderPlaybook(id: "google-service-account", name: "Google Cloud", steps: [
            Step(kind: "revoke", title: "Delete the service account key",
                 detail: "The leaked JSON names the account (client_email) and the key (private_key_id). Disable first if unsure, then delete.",
                 commands: ["gcloud iam service-accounts keys list --iam-account=SA_EMAIL",
                            "gcloud iam service-accounts keys disable KEY_ID --iam-account=SA_EMAIL",
                            "gcloud iam service-accounts keys delete KEY_ID --iam-account=SA_EMAIL"]),
            Step(kind: "investigate", title: "Review what the account did since {since}",
                 detail: "Cloud Audit Logs, filtered by the service account.",
                 commands: ["gcloud logging read 'protoPayload.authenticationInfo.principalEmail=\"SA_EMAIL\"' --freshness=400d --limit=100"]),
        ]),
        ProviderPlaybook(id: "google", name: "Google Cloud", steps: [
            Step(kind: "rotate", title: "Regenerate the credential",
                 detail: "An API key or OAuth client secret is regenerated (or deleted) under APIs & Services > Credentials; restrict the new key to its APIs and callers. An OAuth token is revoked at https://oauth2.googleapis.com/revoke.",
                 commands: ["curl -sS -X POST -d \"token=$SECRET\" https://oauth2.googleapis.com/revoke"]),
        ]),
        ProviderPlaybook(id: "private-key", name: "Private keys", steps: [
            Step(kind: "identify", title: "Find where its public half is trusted",
                 detail: "Derive the public key and its fingerprint from the leaked key, then look for it: ~/.ssh/authorized_keys on servers, GitHub and GitLab deploy keys and user SSH keys, TLS certificates issued for it, a PGP key on keyservers, a kubeconfig user.",
                 commands: ["keysweep show $FINDING -o leaked_key",
                            "ssh-keygen -y -f leaked_key > leaked_key.pub && ssh-keygen -lf leaked_key.pub",
                            "openssl pkey -in leaked_key -pubout | openssl sha256"]),
            Step(kind: "rotate", title: "Generate a new key pair and replace the public half everywhere",
                 detail: "Remove the old public key from every place found, revoke any certificate issued for it (ask the CA) and publish a revocation certificate for a PGP key.",
                 commands: ["ssh-keygen -t ed25519 -f new_key"]),
        ]),
    ]

    /// Any other provider.
    static let generic: [Step] = [
        Step(kind: "revoke", title: "Revoke it at the issuer and issue a replacement",
             detail: "Revoke or regenerate the secret in the provider's console, deploy the new one, and check the provider's audit log since {since}.",
             commands: []),
    ]

    static func named(_ id: String) -> ProviderPlaybook? { all.first { $0.id == id } }

    /// The provider as the plan names it: its playbook's name, else the rule's `provider` (one
    /// spelling, `ProviderName`), else the rule id's first word (a rule file that names none).
    static func provider(of rule: Rule) -> String {
        if let playbook = rule.playbook.flatMap(named) { return playbook.name }
        if !rule.provider.isEmpty { return ProviderName.normalised(rule.provider) }
        let name = rule.id.split(separator: "-").first.map(String.init) ?? rule.id
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// What a command of the plan reads the secret of finding `id` with (in place of `$SECRET`).
    static func secretCommand(_ id: String) -> String { "$(keysweep show \(id) --secret)" }

    /// The steps for a finding of `rule`, its commands reading the secret of finding `finding`.
    static func steps(rule: Rule, placeholder: Bool, exposure: Exposure, finding: String) -> [Step] {
        if placeholder {
            return [Step(kind: "none", title: "Nothing to rotate", detail: "A documentation example or test value.", commands: [])]
        }
        var steps = rule.playbook.flatMap(named)?.steps ?? generic
        let since = exposure.exposedSince ?? "the leak"
        steps = steps.map { step in
            var step = step
            step.title = step.title.replacingOccurrences(of: "{since}", with: since)
            step.detail = step.detail?.replacingOccurrences(of: "{since}", with: since)
            step.commands = step.commands.map {
                $0.replacingOccurrences(of: "$SECRET", with: secretCommand(finding)).replacingOccurrences(of: "$FINDING", with: finding)
            }
            return step
        }
        return steps
    }
}
