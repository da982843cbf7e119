import Foundation
import Testing
@testable import KeySweep

/// keysweep's IAM policy evaluator, case by case from AWS's documented evaluation logic ("Policy
/// evaluation logic", IAM User Guide; docs/blast-radius.md), then the blast radius of the users
/// of a whole account's authorization details.
@Suite struct IAMPolicyEvaluatorTests {
    // MARK: helpers

    static func policy(_ statements: String) throws -> IAMPolicy {
        try IAMPolicy(json: #"{"Version": "2012-10-17", "Statement": ["# + statements + "]}")
    }

    static func sourced(_ name: String, _ statements: String, kind: IAMEvaluator.PolicySource.Kind = .userInline) throws -> IAMEvaluator.SourcedPolicy {
        .init(source: .init(kind: kind, name: name), policy: try policy(statements))
    }

    static func evaluator(_ identity: [String], boundary: String? = nil) throws -> IAMEvaluator {
        IAMEvaluator(identity: try identity.enumerated().map { try sourced("p\($0.offset)", $0.element) },
                     boundary: try boundary.map { try sourced("boundary", $0, kind: .boundary) })
    }

    static func scope(_ identity: [String], boundary: String? = nil, _ action: String, _ context: IAMRequestContext = .leakedKey) throws -> ResourceScope {
        try evaluator(identity, boundary: boundary).decide(.action(action), in: context).scope
    }

    static let allowAll = #"{"Effect": "Allow", "Action": "*", "Resource": "*"}"#

    // MARK: the evaluation table

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let identity: [String]
        var boundary: String? = nil
        let action: String
        var context: IAMRequestContext = .leakedKey
        let expected: ResourceScope
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        // Explicit Deny wins over any Allow.
        Case(name: "Deny beats Allow", identity: [allowAll, #"{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}"#],
             action: "iam:CreateUser", expected: .none),
        Case(name: "Deny of another action leaves this one", identity: [allowAll, #"{"Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}"#],
             action: "iam:CreateAccessKey", expected: .all),
        Case(name: "Deny in another policy still wins", identity: [#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#,
                                                                   #"{"Effect": "Deny", "Action": "ec2:Terminate*", "Resource": "*"}"#],
             action: "ec2:TerminateInstances", expected: .none),
        Case(name: "no Allow is an implicit deny", identity: [#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#],
             action: "s3:DeleteObject", expected: .none),
        // NotAction: everything except.
        Case(name: "NotAction allows what it does not list", identity: [#"{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}"#],
             action: "ec2:TerminateInstances", expected: .all),
        Case(name: "NotAction does not allow what it lists", identity: [#"{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}"#],
             action: "iam:CreateUser", expected: .none),
        Case(name: "Deny with NotAction denies the rest", identity: [allowAll, #"{"Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"], "Resource": "*"}"#],
             action: "s3:DeleteObject", expected: .none),
        Case(name: "Deny with NotAction spares what it lists", identity: [allowAll, #"{"Effect": "Deny", "NotAction": ["s3:Get*", "s3:List*"], "Resource": "*"}"#],
             action: "s3:GetObject", expected: .all),
        // NotResource: everything except.
        Case(name: "Allow with NotResource is everything but", identity: [#"{"Effect": "Allow", "Action": "s3:DeleteObject", "NotResource": "arn:aws:s3:::audit-logs/*"}"#],
             action: "s3:DeleteObject", expected: .everything(except: ["arn:aws:s3:::audit-logs/*"])),
        Case(name: "Deny with NotResource leaves only what it lists", identity: [allowAll, #"{"Effect": "Deny", "Action": "s3:DeleteObject", "NotResource": ["arn:aws:s3:::scratch/*"]}"#],
             action: "s3:DeleteObject", expected: .only(["arn:aws:s3:::scratch/*"])),
        Case(name: "Deny of one bucket is an exception to everything", identity: [allowAll, #"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::audit-logs/*"}"#],
             action: "s3:DeleteObject", expected: .everything(except: ["arn:aws:s3:::audit-logs/*"])),
        // Wildcards.
        Case(name: "iam:Create* covers CreateUser", identity: [#"{"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"}"#],
             action: "iam:CreateUser", expected: .all),
        Case(name: "iam:Create* does not cover DeleteUser", identity: [#"{"Effect": "Allow", "Action": "iam:Create*", "Resource": "*"}"#],
             action: "iam:DeleteUser", expected: .none),
        Case(name: "ec2:* covers every EC2 action", identity: [#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#],
             action: "ec2:DeregisterImage", expected: .all),
        Case(name: "ec2:* does not cover RDS", identity: [#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#],
             action: "rds:DeleteDBSnapshot", expected: .none),
        Case(name: "? is one character", identity: [#"{"Effect": "Allow", "Action": "ec2:Delete?olume", "Resource": "*"}"#],
             action: "ec2:DeleteVolume", expected: .all),
        Case(name: "? is not two characters", identity: [#"{"Effect": "Allow", "Action": "ec2:Delete?olume", "Resource": "*"}"#],
             action: "ec2:DeleteXXVolume", expected: .none),
        Case(name: "actions are case-insensitive, service prefix and name", identity: [#"{"Effect": "Allow", "Action": "IAM:createUSER", "Resource": "*"}"#],
             action: "iam:CreateUser", expected: .all),
        Case(name: "a case-insensitive Deny still wins", identity: [allowAll, #"{"Effect": "Deny", "Action": "CLOUDTRAIL:stop*", "Resource": "*"}"#],
             action: "cloudtrail:StopLogging", expected: .none),
        // Permissions boundaries.
        Case(name: "boundary narrows an administrator", identity: [allowAll], boundary: #"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#,
             action: "iam:CreateUser", expected: .none),
        Case(name: "boundary keeps what both allow", identity: [allowAll], boundary: #"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#,
             action: "ec2:TerminateInstances", expected: .all),
        Case(name: "boundary without an Allow for it blocks", identity: [#"{"Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*"}"#],
             boundary: #"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#, action: "ec2:TerminateInstances", expected: .none),
        Case(name: "boundary grants nothing by itself", identity: [#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#],
             boundary: allowAll, action: "ec2:TerminateInstances", expected: .none),
        Case(name: "a Deny in the boundary denies", identity: [allowAll], boundary: allowAll + #", {"Effect": "Deny", "Action": "backup:Delete*", "Resource": "*"}"#,
             action: "backup:DeleteRecoveryPoint", expected: .none),
        Case(name: "boundary scoped to a bucket scopes the answer", identity: [allowAll],
             boundary: #"{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::scratch/*"}"#,
             action: "s3:DeleteObject", expected: .only(["arn:aws:s3:::scratch/*"])),
        // MFA: the leaked long-term key sends no aws:MultiFactorAuthPresent at all.
        Case(name: "Bool true on Allow: not for the key alone", identity: [#"{"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#],
             action: "iam:CreateUser", expected: .none),
        Case(name: "Bool true on Allow: with MFA", identity: [#"{"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}"#],
             action: "iam:CreateUser", context: .withMFA, expected: .all),
        Case(name: "BoolIfExists false on Deny denies the key alone", identity: [allowAll, #"{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#],
             action: "ec2:TerminateInstances", expected: .none),
        Case(name: "BoolIfExists false on Deny spares MFA sessions", identity: [allowAll, #"{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}"#],
             action: "ec2:TerminateInstances", context: .withMFA, expected: .all),
        Case(name: "Bool false on Deny does not deny the key alone (absent is not false)", identity: [allowAll, #"{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": false}}}"#],
             action: "ec2:TerminateInstances", expected: .all),
        Case(name: "BoolIfExists true on Allow passes for the key alone", identity: [#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}}}"#],
             action: "ec2:TerminateInstances", expected: .all),
        Case(name: "Null true on Deny denies the key alone", identity: [allowAll, #"{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}}}"#],
             action: "ec2:TerminateInstances", expected: .none),
        Case(name: "a condition key is case-insensitive", identity: [#"{"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"AWS:multifactorauthpresent": ["true"]}}}"#],
             action: "iam:CreateUser", expected: .none),
        // Resources: scoped is not everything; ARNs are case-sensitive.
        Case(name: "bucket-scoped DeleteObject is scoped", identity: [#"{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::build/*"}"#],
             action: "s3:DeleteObject", expected: .only(["arn:aws:s3:::build/*"])),
        Case(name: "a Deny covering the scoped bucket removes it", identity: [#"{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": ["arn:aws:s3:::build/*", "arn:aws:s3:::logs/*"]}"#,
                                                                              #"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::logs*"}"#],
             action: "s3:DeleteObject", expected: .only(["arn:aws:s3:::build/*"])),
        Case(name: "a Deny naming another case of the ARN does not cover it", identity: [#"{"Effect": "Allow", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::build/*"}"#,
                                                                                          #"{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::BUILD/*"}"#],
             action: "s3:DeleteObject", expected: .only(["arn:aws:s3:::build/*"])),
    ]

    @Test(arguments: cases)
    func evaluates(_ c: Case) throws {
        #expect(try Self.scope(c.identity, boundary: c.boundary, c.action, c.context) == c.expected)
    }

    @Test func resourceWildcardsAreCaseSensitiveAndActionsAreNot() {
        #expect(IAMWildcard.matches("arn:aws:s3:::build/*", "arn:aws:s3:::build/x", caseInsensitive: false))
        #expect(!IAMWildcard.matches("arn:aws:s3:::Build/*", "arn:aws:s3:::build/x", caseInsensitive: false))
        #expect(IAMWildcard.matches("EC2:Terminate*", "ec2:TerminateInstances", caseInsensitive: true))
        #expect(IAMWildcard.matches("*", "", caseInsensitive: true))
        #expect(!IAMWildcard.matches("a?", "a", caseInsensitive: true))
        #expect(IAMWildcard.matches("*a*b*c*", "xxaxxbxxc", caseInsensitive: false))
        // Many stars against a long near-miss stay fast (no exponential backtracking).
        let text = String(repeating: "a", count: 20_000)
        let start = ContinuousClock.now
        #expect(!IAMWildcard.matches(String(repeating: "*a", count: 30) + "b", text, caseInsensitive: false))
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test func resourceScopesCombineByCoverage() {
        let bucket = "arn:aws:s3:::b/*", logs = "arn:aws:s3:::b/logs/*", other = "arn:aws:s3:::c/*"
        #expect(ResourceScope.only([logs]).union(.only([bucket])) == .only([logs, bucket]))
        #expect(ResourceScope.everything(except: [logs]).union(.only([bucket])) == .all)
        #expect(ResourceScope.everything(except: [logs, other]).union(.everything(except: [bucket])) == .everything(except: [logs]))
        #expect(ResourceScope.only([bucket, other]).intersection(.only([logs])) == .only([logs]))
        #expect(ResourceScope.everything(except: [bucket]).intersection(.only([logs, other])) == .only([other]))
        #expect(ResourceScope.all.subtracting(.only([bucket])) == .everything(except: [bucket]))
        #expect(ResourceScope.only([logs, other]).subtracting(.only([bucket])) == .only([other]))
        #expect(ResourceScope.all.subtracting(.everything(except: [other])) == .only([other]))
        // Partly overlapping: a Deny of b/* does not cover an Allow of arn:aws:s3:::*, which is
        // kept whole (wide), not dropped (narrow).
        #expect(ResourceScope.only(["arn:aws:s3:::*"]).subtracting(.only([bucket])) == .only(["arn:aws:s3:::*"]))
        #expect(ResourceScope(.listed(["arn:aws:s3:::a", "*"])) == .all)
        #expect(ResourceScope(.allBut(["*"])) == .none)
    }

    @Test func denyNamesTheStatementThatDenied() throws {
        let evaluator = try Self.evaluator([Self.allowAll, #"{"Sid": "NoNewUsers", "Effect": "Deny", "Action": "iam:CreateUser", "Resource": "*"}"#])
        let decision = evaluator.decide(.action("iam:CreateUser"), in: .leakedKey)
        #expect(decision.scope == .none)
        #expect(decision.deniedBy.map(\.statement) == ["NoNewUsers"])
        #expect(decision.deniedBy.first?.source.name == "p1")
        #expect(decision.allowedBy.isEmpty)
        let allowed = evaluator.decide(.action("ec2:TerminateInstances"), in: .leakedKey)
        #expect(allowed.allowedBy.map(\.statement) == ["#0"])
    }

    @Test func adminNeedsEveryActionOnEverythingAndNoDeny() throws {
        #expect(try Self.evaluator([Self.allowAll]).decide(.all, in: .leakedKey).scope == .all)
        #expect(try Self.evaluator([#"{"Effect": "Allow", "Action": "*:*", "Resource": "*"}"#]).decide(.all, in: .leakedKey).scope == .all)
        // PowerUserAccess-like: everything but IAM is not administration.
        #expect(try Self.evaluator([#"{"Effect": "Allow", "NotAction": ["iam:*"], "Resource": "*"}"#]).decide(.all, in: .leakedKey).scope == .none)
        #expect(try Self.evaluator([#"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#]).decide(.all, in: .leakedKey).scope == .none)
        #expect(try Self.evaluator([#"{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}"#]).decide(.all, in: .leakedKey).scope.isNone == false)
        #expect(try Self.evaluator([#"{"Effect": "Allow", "Action": "*", "Resource": "arn:aws:s3:::b/*"}"#]).decide(.all, in: .leakedKey).scope != .all)
        // Any Deny, even of one action on one bucket, takes away full administration.
        #expect(try Self.evaluator([Self.allowAll, #"{"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::audit"}"#]).decide(.all, in: .leakedKey).scope == .none)
        #expect(try Self.evaluator([Self.allowAll], boundary: #"{"Effect": "Allow", "Action": "ec2:*", "Resource": "*"}"#).decide(.all, in: .leakedKey).scope == .none)
    }

    @Test func unknownConditionKeysAreConditionalNotGuessed() throws {
        let allow = try Self.evaluator([#"{"Sid": "FromOffice", "Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["203.0.113.0/24"]}}}"#])
        let decision = allow.decide(.action("ec2:TerminateInstances"), in: .leakedKey)
        #expect(decision.scope == .all, "an Allow that may apply counts: the key may well be used from there")
        #expect(decision.conditional.count == 1)
        #expect(decision.conditional.first?.contains("IpAddress aws:SourceIp 203.0.113.0/24") == true)
        #expect(decision.conditional.first?.contains("FromOffice") == true)

        let deny = try Self.evaluator([Self.allowAll, #"{"Sid": "OnlyOffice", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}"#])
        let denied = deny.decide(.action("ec2:TerminateInstances"), in: .leakedKey)
        #expect(denied.scope == .all, "a Deny that may apply is not relied on")
        #expect(denied.conditional.first?.contains("may deny") == true)
        #expect(denied.conditional.first?.contains("OnlyOffice") == true)

        // An MFA condition that fails settles it, whatever the unknown one would say.
        let both = try Self.evaluator([#"{"Effect": "Allow", "Action": "iam:*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}, "StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#])
        #expect(both.decide(.action("iam:CreateUser"), in: .leakedKey).scope == .none)
        #expect(both.decide(.action("iam:CreateUser"), in: .leakedKey).conditional.isEmpty)
        #expect(both.decide(.action("iam:CreateUser"), in: .withMFA).conditional.count == 1)
    }

    // MARK: parsing

    @Test func parsesTheGrammarsShapes() throws {
        let policy = try IAMPolicy(json: """
            {"Version": "2012-10-17", "Statement": {"Sid": "One", "Effect": "Deny", "NotAction": "s3:Get*",
              "NotResource": ["arn:aws:s3:::a", "arn:aws:s3:::b/*"],
              "Condition": {"Bool": {"aws:MultiFactorAuthPresent": false}, "NumericLessThan": {"s3:max-keys": 10}}}}
            """)
        #expect(policy.version == "2012-10-17")
        #expect(policy.statements.count == 1)
        let s = policy.statements[0]
        #expect(s.label == "One")
        #expect(s.effect == .deny)
        #expect(s.actions == .allBut(["s3:Get*"]))
        #expect(s.resources == .allBut(["arn:aws:s3:::a", "arn:aws:s3:::b/*"]))
        #expect(s.conditions == [.init(op: "Bool", key: "aws:MultiFactorAuthPresent", values: ["false"]),
                                 .init(op: "NumericLessThan", key: "s3:max-keys", values: ["10"])])
        let two = try Self.policy(Self.allowAll + ", " + Self.allowAll)
        #expect(two.statements.map(\.label) == ["#0", "#1"])
    }

    @Test func decodesURLEncodedDocuments() throws {
        let encoded = "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3ADelete%2A%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%2B%20c%2F%2A%22%7D%5D%7D"
        let policy = try IAMPolicy(urlEncoded: encoded)
        #expect(policy.statements.first?.actions == .listed(["s3:Delete*"]))
        #expect(policy.statements.first?.resources == .listed(["arn:aws:s3:::b+ c/*"]), "RFC 3986: %2B is +, %20 a space, and a + stays a +")
        #expect(try IAMPolicy(anyForm: .string(encoded)) == policy)
        #expect(try IAMPolicy(anyForm: .string(#"{"Statement": {"Effect": "Allow", "Action": "s3:Delete*", "Resource": "arn:aws:s3:::b+ c/*"}}"#)).statements == policy.statements)
    }

    static let malformed: [(String, String)] = [
        ("", "not valid JSON"),
        ("[]", "not a JSON object"),
        ("{}", "no Statement"),
        (#"{"Statement": "x"}"#, "neither an object nor an array"),
        (#"{"Statement": [1]}"#, "not a JSON object"),
        (#"{"Statement": {"Effect": "allow", "Action": "*", "Resource": "*"}}"#, "Effect"),
        (#"{"Statement": {"Action": "*", "Resource": "*"}}"#, "Effect"),
        (#"{"Statement": {"Effect": "Allow", "Resource": "*"}}"#, "neither Action nor NotAction"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "s3:*", "Resource": "*"}}"#, "both Action and NotAction"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*"}}"#, "neither Resource nor NotResource"),
        (#"{"Statement": {"Effect": "Allow", "Action": 5, "Resource": "*"}}"#, "neither a string nor an array"),
        (#"{"Statement": {"Effect": "Allow", "Action": ["s3:*", null], "Resource": "*"}}"#, "other than strings"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": []}}"#, "Condition is not a JSON object"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": "x"}}}"#, "Condition Bool is not"),
        (#"{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"Bool": {"k": {"a": 1}}}}}"#, "other than strings, numbers or booleans"),
        (#"{"Statement": {"Sid": 3, "Effect": "Allow", "Action": "*", "Resource": "*"}}"#, "Sid is not a string"),
        (#"{"Version": 2012, "Statement": []}"#, "Version"),
        (#"{"Statement": {"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}}"#, "Principal"),
        (#"{"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}"#, "not valid JSON"),
        (String(repeating: "[", count: 100_000), "nests deeper than 16"),
        (#"{"Statement": []"# + String(repeating: " ", count: 300_000) + "}", "more than the 262144"),
    ]

    @Test(arguments: malformed)
    func malformedDocumentsAreErrors(_ text: String, _ said: String) {
        do {
            _ = try IAMPolicy(json: text)
            Issue.record("parsed: \(text.prefix(80))")
        } catch {
            #expect(error.description.contains(said), "\(error.description)")
        }
    }

    @Test func malformedURLEncodingIsAnError() {
        #expect(throws: IAMDocumentError.self) { try IAMPolicy(urlEncoded: "%7B%zz") }
        #expect(throws: IAMDocumentError.self) { try IAMPolicy(urlEncoded: String(repeating: "%7B", count: 300_000)) }
        #expect(throws: IAMDocumentError.self) { try IAMPolicy(anyForm: .number(1)) }
    }

    @Test func nestingInsideStringsIsNotNesting() throws {
        let deep = String(repeating: "[{", count: 100)
        let policy = try Self.policy(#"{"Sid": "\#(deep)\"", "Effect": "Allow", "Action": "*", "Resource": "*"}"#)
        #expect(policy.statements.first?.sid == deep + "\"")
    }
}

// MARK: - blast radius of an account's users

extension IAMPolicyEvaluatorTests {
    static func fixture() throws -> AuthorizationDetails {
        try AuthorizationDetails(json: Data(AuthorizationDetailsFixture.json.utf8))
    }

    static func radius(_ name: String, in details: AuthorizationDetails? = nil, adding: [IAMEvaluator.SourcedPolicy] = []) throws -> BlastRadius {
        let details = try details ?? fixture()
        let user = try #require(details.user(named: name))
        return BlastRadiusAnalysis(details: details).blastRadius(of: user, adding: adding)
    }

    static let everything = BlastCapability.allCases
    static let destruction: [BlastCapability] = [.terminateInstances, .deleteVolumes, .deleteSnapshots, .deregisterImages,
                                                 .deleteDBSnapshots, .deleteBackups, .deleteS3Data, .stopLogging]

    @Test func readsTheFixtureEndToEnd() throws {
        let details = try Self.fixture()
        #expect(details.users.map(\.name) == ["alice", "bob", "carol", "dave", "erin"])
        let alice = try #require(details.user(named: "alice"))
        #expect(alice.arn == "arn:aws:iam::123456789012:user/alice")
        #expect(alice.createDate == "2019-03-14T09:21:07Z")
        #expect(alice.groups == ["Admins"])
        #expect(alice.attachedARNs == ["arn:aws:iam::aws:policy/ReadOnlyAccess"])
        #expect(details.user(named: "dave")?.boundaryARN == "arn:aws:iam::123456789012:policy/DevBoundary")
        // URL-encoded inline documents, of a user and of a group.
        #expect(details.user(named: "bob")?.inline.first?.document.statements.first?.sid == "CleanArtifacts")
        #expect(details.groups["Ops"]?.inline.first?.document.statements.map(\.label) == ["RunFleet", "NoSnapshotDeletion"])
        // The default version (v2, URL-encoded) is the document, not v1.
        let mfa = try #require(details.policies["arn:aws:iam::123456789012:policy/IdentitiesWithMFA"])
        #expect(mfa.document.statements.map(\.label) == ["IdentitiesWithMFA"])
        #expect(details.policies.count == 4)
    }

    @Test func pagesReadAsOne() throws {
        let first = #"{"UserDetailList": [{"UserName": "gus", "Arn": "arn:aws:iam::123456789012:user/gus", "GroupList": ["Admins"]}], "IsTruncated": true, "Marker": "m1"}"#
        let second = #"{"GroupDetailList": [{"GroupName": "Admins", "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]}], "IsTruncated": true, "Marker": "m2"}"#
        let third = #"{"Policies": [{"PolicyName": "AdministratorAccess", "Arn": "arn:aws:iam::aws:policy/AdministratorAccess", "PolicyVersionList": [{"Document": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D", "VersionId": "v1", "IsDefaultVersion": true}]}], "IsTruncated": false}"#
        let details = try AuthorizationDetails(pages: [first, second, third].map { Data($0.utf8) })
        let gus = try Self.radius("gus", in: details)
        #expect(gus.admin)
        #expect(gus.unknown.isEmpty)
        // One page alone does not know the group.
        let alone = try Self.radius("gus", in: AuthorizationDetails(pages: [Data(first.utf8)]))
        #expect(!alone.admin)
        #expect(alone.unknown == ["group Admins is not in the authorization details: its policies are not evaluated"])
    }

    /// The discriminating case: ReadOnlyAccess attached directly, AdministratorAccess through a
    /// group. A heuristic on the user's own managed-policy names calls alice read-only.
    @Test func adminThroughAGroupWithReadOnlyAttachedDirectlyIsAdmin() throws {
        let alice = try Self.radius("alice")
        #expect(alice.admin)
        #expect(alice.capabilities == Self.everything)
        #expect(alice.mfaOnly.isEmpty)
        let evidence = alice.answer(.admin).evidence
        #expect(evidence.map(\.description) == ["Allow #0 in group managed arn:aws:iam::aws:policy/AdministratorAccess (group Admins)"])
        #expect(alice.answer(.deleteBackups).allowedActions == ["backup:DeleteRecoveryPoint", "backup:DeleteBackupVault"])
        #expect(!alice.quarantined)
        #expect(alice.unknown.isEmpty)
    }

    @Test func aBucketScopedDeleteIsNotDeleteS3DataOnEverything() throws {
        let bob = try Self.radius("bob")
        #expect(!bob.admin)
        #expect(bob.capabilities.isEmpty)
        #expect(bob.scoped.map(\.0) == [.deleteS3Data])
        #expect(bob.scoped.first?.1 == ["arn:aws:s3:::build-artifacts-123456789012/*"])
        #expect(bob.answer(.deleteS3Data).allowedActions == ["s3:DeleteObject"])
        #expect(bob.answer(.deleteS3Data).evidence.map(\.description) == ["Allow CleanArtifacts in user inline CleanArtifacts"])
    }

    @Test func groupPoliciesDenyAndMFAOnlyCapabilities() throws {
        let carol = try Self.radius("carol")
        #expect(carol.capabilities == [.terminateInstances, .deleteVolumes, .deregisterImages])
        #expect(carol.mfaOnly == [.createUsers, .createAccessKeys])
        #expect(carol.answer(.createUsers).withMFA == .everything(except: []))
        #expect(carol.answer(.createUsers).evidence.map(\.statement) == ["IdentitiesWithMFA"])
        // The Ops group's own Deny, in its URL-encoded inline policy.
        #expect(carol.answer(.deleteSnapshots).withoutMFA == .none)
        #expect(carol.answer(.deleteSnapshots).deniedBy.map(\.description) == ["Deny NoSnapshotDeletion in group inline OpsFleet (group Ops)"])
        // v1 of IdentitiesWithMFA (iam:* without condition) is not the default: no escalation.
        #expect(carol.answer(.escalatePrivileges).withMFA == .none)
    }

    @Test func boundaryNarrowsAnAdministrator() throws {
        let dave = try Self.radius("dave")
        #expect(!dave.admin)
        #expect(dave.capabilities == [.terminateInstances, .deleteVolumes, .deleteSnapshots, .deregisterImages, .deleteS3Data])
        #expect(dave.answer(.terminateInstances).evidence.map(\.source.kind) == [.userManaged, .boundary])
    }

    @Test func quarantineLeavesDestructionOpen() throws {
        let erin = try Self.radius("erin")
        #expect(erin.quarantined)
        #expect(erin.quarantinePolicies == [QuarantinePolicies.v3])
        #expect(!erin.admin)
        for capability in [BlastCapability.createUsers, .createAccessKeys] {
            #expect(!erin.answer(capability).isAllowed)
            #expect(erin.answer(capability).deniedBy.first?.source.arn == QuarantinePolicies.v3)
        }
        // What the transcription does not name stays open, and the answer says through which action.
        #expect(erin.answer(.deleteS3Data).allowedActions == ["s3:PutLifecycleConfiguration"])
        #expect(erin.answer(.escalatePrivileges).allowedActions == ["iam:PassRole", "iam:AddUserToGroup"])
        #expect(erin.answer(.createLoginProfiles).allowedActions == ["iam:UpdateLoginProfile"])
        for capability in [BlastCapability.terminateInstances, .deleteVolumes, .deleteSnapshots, .deregisterImages, .deleteDBSnapshots, .deleteBackups, .stopLogging] {
            #expect(erin.capabilities.contains(capability), "\(capability)")
        }
        #expect(erin.leftOpenByQuarantine == erin.capabilities)
        // The same what-if for alice, who has no quarantine policy: what AWS's would leave open.
        let alice = try Self.radius("alice")
        #expect(alice.leftOpenByQuarantine == erin.capabilities)
    }

    @Test func theContainmentPolicyParsesAndClosesEverythingForAnyAdministrator() throws {
        let policy = try IAMPolicy(json: ContainmentPolicy.document())
        #expect(policy.statements.allSatisfy { $0.effect == .deny && $0.resources == .listed(["*"]) && $0.conditions.isEmpty })
        #expect(policy.statements.flatMap { statement -> [String] in
            if case .listed(let actions) = statement.actions { return actions } else { return [] }
        } == ContainmentPolicy.actions)
        #expect(Set(policy.statements.map(\.label)).count == policy.statements.count)
        let containment = IAMEvaluator.SourcedPolicy(source: .init(kind: .added, name: ContainmentPolicy.name), policy: policy)
        for name in ["alice", "dave", "erin"] {
            let before = try Self.radius(name)
            #expect(!before.capabilities.isEmpty)
            let contained = try Self.radius(name, adding: [containment])
            #expect(contained.capabilities.isEmpty, "\(name): \(contained.capabilities)")
            #expect(contained.mfaOnly.isEmpty)
            #expect(contained.scoped.isEmpty)
            #expect(contained.answers.allSatisfy { $0.withMFA == .none })
            #expect(contained.leftOpenByQuarantine == [])
        }
    }

    static func details(_ users: String, groups: String = "[]", policies: String = "[]") throws -> AuthorizationDetails {
        try AuthorizationDetails(json: Data(#"{"UserDetailList": \#(users), "GroupDetailList": \#(groups), "Policies": \#(policies)}"#.utf8))
    }

    @Test func whatIsMissingOrConditionalIsSaid() throws {
        let details = try Self.details(#"""
            [{"UserName": "frank", "Arn": "arn:aws:iam::123456789012:user/frank", "GroupList": ["Gone"],
              "AttachedManagedPolicies": [{"PolicyName": "Elsewhere", "PolicyArn": "arn:aws:iam::123456789012:policy/Elsewhere"}],
              "PermissionsBoundary": {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": "arn:aws:iam::123456789012:policy/Bound"},
              "UserPolicyList": [{"PolicyName": "Office", "PolicyDocument": {"Version": "2012-10-17", "Statement":
                 {"Sid": "FromOffice", "Effect": "Allow", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}}}]}]
            """#)
        let frank = try Self.radius("frank", in: details)
        #expect(frank.capabilities == [.terminateInstances])
        #expect(frank.unknown.contains { $0.contains("group Gone") })
        #expect(frank.unknown.contains { $0.contains("policy/Elsewhere") })
        #expect(frank.unknown.contains { $0.contains("policy/Bound") })
        #expect(frank.unknown.contains { $0.hasPrefix("terminate-instances:") && $0.contains("aws:SourceIp") })
    }

    /// Every cut of the fixture is an error, and so is every one-character damage to its
    /// structure: no crash, no half-read account.
    @Test func damagedFixturesAreErrors() throws {
        let bytes = Array(AuthorizationDetailsFixture.json.utf8)
        for end in stride(from: 0, to: bytes.count - 1, by: 37) {
            #expect(throws: IAMDocumentError.self) { try AuthorizationDetails(json: Data(bytes[..<end])) }
        }
        var damaged = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
            var copy = bytes
            copy[index] = UInt8(ascii: "\"")
            #expect(throws: IAMDocumentError.self) { try AuthorizationDetails(json: Data(copy)) }
            damaged += 1
        }
        #expect(damaged > 50)
    }

    static let malformedDetails: [(String, String)] = [
        (#"{"UserDetailList": {}}"#, "UserDetailList is not an array"),
        (#"{"UserDetailList": [{"Arn": "x"}]}"#, "no UserName"),
        (#"{"UserDetailList": [{"UserName": "u", "Arn": "x", "GroupList": [1]}]}"#, "GroupList"),
        (#"{"UserDetailList": [{"UserName": "u", "Arn": "x", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": "%7Bnot"}]}]}"#, "user u: inline policy p"),
        (#"{"Policies": [{"PolicyName": "p", "Arn": "arn:p", "PolicyVersionList": [{"Document": {"Statement": []}, "IsDefaultVersion": true}, {"Document": {"Statement": []}, "IsDefaultVersion": true}]}]}"#, "2 default versions"),
        (#"{"Policies": [{"PolicyName": "p", "Arn": "arn:p", "PolicyVersionList": [{"Document": {"Statement": []}, "IsDefaultVersion": false}]}]}"#, "0 default versions"),
        (#"{"Policies": [{"PolicyName": "p", "Arn": "arn:p", "PolicyVersionList": [{"Document": 7, "IsDefaultVersion": true}]}]}"#, "arn:p"),
        (String(repeating: "[", count: 1_000), "nests deeper than 64"),
        ("{", "not valid JSON"),
    ]

    @Test(arguments: malformedDetails)
    func malformedDetailsAreErrors(_ text: String, _ said: String) {
        do {
            _ = try AuthorizationDetails(json: Data(text.utf8))
            Issue.record("read: \(text.prefix(80))")
        } catch {
            #expect(error.description.contains(said), "\(error.description)")
        }
    }
}

// MARK: - the documentation says what the code does

extension IAMPolicyEvaluatorTests {
    /// docs/blast-radius.md's vocabulary table lists exactly each capability's actions.
    @Test func theVocabularyTableOfTheDocsIsTheCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let docs = try String(contentsOf: root.appendingPathComponent("docs/blast-radius.md"), encoding: .utf8)
        var table: [String: [String]] = [:]
        for line in docs.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 2, let name = cells[0].split(separator: "`").first else { continue }
            table[String(name)] = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        }
        for capability in BlastCapability.allCases {
            let documented = try #require(table[capability.rawValue], "\(capability.rawValue) is not in docs/blast-radius.md")
            #expect(documented == (capability == .admin ? ["*", "*"] : capability.actions), "\(capability.rawValue)")
        }
        #expect(Set(table.keys) == Set(BlastCapability.allCases.map(\.rawValue)))
    }
}
