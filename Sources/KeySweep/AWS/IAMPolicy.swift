import Foundation

/// An IAM identity policy document (IAM JSON policy grammar): statements with an effect, the
/// actions and resources they name or exclude, and their conditions. Parsing refuses what IAM
/// would refuse rather than guessing, so the evaluator never reasons about half a document.
struct IAMPolicy: Sendable, Equatable {
    enum Effect: String, Sendable { case allow = "Allow", deny = "Deny" }

    /// `Action`/`Resource` name what a statement covers; `NotAction`/`NotResource` cover
    /// everything except what they name.
    enum Patterns: Sendable, Equatable {
        case listed([String])
        case allBut([String])
    }

    /// One `operator → key → values` entry of a `Condition` block; values are strings as IAM
    /// compares them (a JSON `true` is `"true"`).
    struct Condition: Sendable, Equatable {
        let op: String
        let key: String
        let values: [String]
    }

    struct Statement: Sendable, Equatable {
        let sid: String?
        /// Position in the document, from 0: names a statement without a Sid.
        let index: Int
        let effect: Effect
        let actions: Patterns
        let resources: Patterns
        let conditions: [Condition]

        /// The Sid, or `#index` for a statement without one.
        var label: String { sid.map { $0.isEmpty ? "#\(index)" : $0 } ?? "#\(index)" }
    }

    let version: String?
    let statements: [Statement]

    /// IAM's own quotas keep documents near 10 KB (a role's inline policy, the largest); this
    /// bound leaves room for raised quotas and whitespace, and refuses anything else.
    static let limits = IAMJSON.Limits(bytes: 256 * 1024, depth: 16)

    init(version: String?, statements: [Statement]) {
        self.version = version
        self.statements = statements
    }

    /// A document as JSON text.
    init(json: String) throws(IAMDocumentError) {
        try self.init(document: IAMJSON.parse(Data(json.utf8), limits: Self.limits, what: "the policy document"))
    }

    /// A document as IAM's API returns it: URL-encoded JSON (RFC 3986, `%7B%22Version%22…`).
    init(urlEncoded text: String) throws(IAMDocumentError) {
        guard text.utf8.count <= Self.limits.bytes * 3 else {
            throw IAMDocumentError("the URL-encoded policy document is \(text.utf8.count) bytes, more than keysweep reads")
        }
        guard let decoded = text.removingPercentEncoding else {
            throw IAMDocumentError("the policy document is not valid URL-encoding")
        }
        try self.init(json: decoded)
    }

    /// A document wherever authorization details put one: a JSON object (what the AWS CLI and
    /// boto3 print, having decoded it), or a string, URL-encoded (the API's own answer) or not.
    init(anyForm value: IAMJSON) throws(IAMDocumentError) {
        switch value {
        case .object: try self.init(document: value)
        case .string(let text):
            if text.drop(while: { $0.isWhitespace }).first == "{" { try self.init(json: text) } else { try self.init(urlEncoded: text) }
        default: throw IAMDocumentError("a policy document is neither a JSON object nor a string")
        }
    }

    init(document: IAMJSON) throws(IAMDocumentError) {
        guard let fields = document.object else { throw IAMDocumentError("the policy document is not a JSON object") }
        if let version = fields["Version"], version.string == nil { throw IAMDocumentError("Version is not a string") }
        if fields["Principal"] != nil || fields["NotPrincipal"] != nil {
            throw IAMDocumentError("the document names a Principal: a resource or trust policy, not an identity policy")
        }
        let raw: [IAMJSON]
        switch fields["Statement"] {
        case .array(let list)?: raw = list
        case .object?: raw = [fields["Statement"]!]
        case nil: throw IAMDocumentError("the policy document has no Statement")
        default: throw IAMDocumentError("Statement is neither an object nor an array")
        }
        var statements: [Statement] = []
        for (index, element) in raw.enumerated() {
            statements.append(try Self.statement(element, index: index))
        }
        self.init(version: fields["Version"]?.string, statements: statements)
    }

    private static func statement(_ value: IAMJSON, index: Int) throws(IAMDocumentError) -> Statement {
        let place = "statement #\(index)"
        guard let fields = value.object else { throw IAMDocumentError("\(place) is not a JSON object") }
        if fields["Principal"] != nil || fields["NotPrincipal"] != nil {
            throw IAMDocumentError("\(place) names a Principal: a resource or trust policy, not an identity policy")
        }
        var sid: String?
        if let value = fields["Sid"] {
            guard let text = value.string else { throw IAMDocumentError("\(place): Sid is not a string") }
            sid = text
        }
        guard let effectText = fields["Effect"]?.string, let effect = Effect(rawValue: effectText) else {
            throw IAMDocumentError("\(sid ?? place): Effect is not \"Allow\" or \"Deny\"")
        }
        let name = sid ?? place
        return Statement(
            sid: sid, index: index, effect: effect,
            actions: try patterns(fields, "Action", "NotAction", in: name),
            resources: try patterns(fields, "Resource", "NotResource", in: name),
            conditions: try conditions(fields["Condition"], in: name))
    }

    /// Exactly one of the two keys, holding a string or an array of strings.
    private static func patterns(_ fields: [String: IAMJSON], _ key: String, _ notKey: String, in place: String) throws(IAMDocumentError) -> Patterns {
        switch (fields[key], fields[notKey]) {
        case (let value?, nil): return .listed(try strings(value, "\(place): \(key)"))
        case (nil, let value?): return .allBut(try strings(value, "\(place): \(notKey)"))
        case (nil, nil): throw IAMDocumentError("\(place) has neither \(key) nor \(notKey)")
        default: throw IAMDocumentError("\(place) has both \(key) and \(notKey)")
        }
    }

    private static func strings(_ value: IAMJSON, _ place: String) throws(IAMDocumentError) -> [String] {
        switch value {
        case .string(let text): return [text]
        case .array(let list):
            var result: [String] = []
            for item in list {
                guard let text = item.string else { throw IAMDocumentError("\(place) holds something other than strings") }
                result.append(text)
            }
            return result
        default: throw IAMDocumentError("\(place) is neither a string nor an array of strings")
        }
    }

    private static func conditions(_ value: IAMJSON?, in place: String) throws(IAMDocumentError) -> [Condition] {
        guard let value else { return [] }
        guard let operators = value.object else { throw IAMDocumentError("\(place): Condition is not a JSON object") }
        var result: [Condition] = []
        for op in operators.keys.sorted() {
            guard let keys = operators[op]?.object else { throw IAMDocumentError("\(place): Condition \(op) is not a JSON object") }
            for key in keys.keys.sorted() {
                let raw: [IAMJSON]
                if case .array(let list) = keys[key]! { raw = list } else { raw = [keys[key]!] }
                var values: [String] = []
                for item in raw {
                    switch item {
                    case .string(let text): values.append(text)
                    case .bool(let flag): values.append(flag ? "true" : "false")
                    case .number(let number): values.append(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
                    default: throw IAMDocumentError("\(place): Condition \(op) \(key) holds something other than strings, numbers or booleans")
                    }
                }
                result.append(Condition(op: op, key: key, values: values))
            }
        }
        return result
    }
}
