/// IAM's wildcards: `*` any run of characters (none included), `?` any one character. Actions
/// compare case-insensitively (`IAM:createuser` is `iam:CreateUser`), resources (ARNs) exactly.
/// Greedy with one backtrack point: linear-times-linear at worst, never exponential.
enum IAMWildcard {
    static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool) -> Bool {
        let p = caseInsensitive ? Array(pattern.lowercased().unicodeScalars) : Array(pattern.unicodeScalars)
        let t = caseInsensitive ? Array(text.lowercased().unicodeScalars) : Array(text.unicodeScalars)
        var pi = 0, ti = 0
        var star: Int?, resume = 0
        while ti < t.count {
            if pi < p.count, p[pi] == "?" || p[pi] == t[ti] {
                pi += 1; ti += 1
            } else if pi < p.count, p[pi] == "*" {
                star = pi; resume = ti; pi += 1
            } else if let s = star {
                pi = s + 1; resume += 1; ti = resume
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == "*" { pi += 1 }
        return pi == p.count
    }

    /// A pattern of stars only: every action, or every resource.
    static func isAll(_ pattern: String) -> Bool {
        !pattern.isEmpty && pattern.allSatisfy { $0 == "*" }
    }
}
