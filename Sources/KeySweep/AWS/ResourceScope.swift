/// The resources an answer covers, kept as patterns because keysweep asks about `*` and never
/// lists an account's resources: everything (but some patterns), or only some patterns.
///
/// Patterns are combined by coverage: `q` covers `p` when `q`, as a wildcard, matches `p` read
/// literally (`arn:aws:s3:::b/*` covers `arn:aws:s3:::b/logs/*`). That is exact for the usual
/// nested ARNs. Partly overlapping wildcards (neither covers the other) make a union or a Deny
/// err on the wide side (an exception is dropped); only the intersection of an identity policy's
/// patterns with a boundary's takes them as disjoint.
enum ResourceScope: Sendable, Equatable {
    case everything(except: [String])
    case only([String])

    static let none = ResourceScope.only([])
    static let all = ResourceScope.everything(except: [])

    var isNone: Bool { self == .none }

    /// What a statement's `Resource` or `NotResource` covers.
    init(_ patterns: IAMPolicy.Patterns) {
        switch patterns {
        case .listed(let list): self = list.contains(where: IAMWildcard.isAll) ? .all : .only(Self.unique(list))
        case .allBut(let list): self = list.contains(where: IAMWildcard.isAll) ? .none : .everything(except: Self.unique(list))
        }
    }

    func union(_ other: ResourceScope) -> ResourceScope {
        switch (self, other) {
        case (.everything(let a), .everything(let b)):
            return .everything(except: Self.unique(a.filter { Self.covered($0, by: b) } + b.filter { Self.covered($0, by: a) }))
        case (.everything(let e), .only(let p)), (.only(let p), .everything(let e)):
            return .everything(except: e.filter { !Self.covered($0, by: p) })
        case (.only(let a), .only(let b)):
            return .only(Self.unique(a + b))
        }
    }

    func intersection(_ other: ResourceScope) -> ResourceScope {
        switch (self, other) {
        case (.everything(let a), .everything(let b)):
            return .everything(except: Self.unique(a + b))
        case (.everything(let e), .only(let p)), (.only(let p), .everything(let e)):
            return .only(p.filter { !Self.covered($0, by: e) })
        case (.only(let a), .only(let b)):
            return .only(Self.unique(a.filter { Self.covered($0, by: b) } + b.filter { Self.covered($0, by: a) }))
        }
    }

    /// What is left once a Deny covering `denied` is applied.
    func subtracting(_ denied: ResourceScope) -> ResourceScope {
        switch denied {
        case .everything(let kept): return intersection(.only(kept))
        case .only(let patterns):
            switch self {
            case .everything(let e): return .everything(except: Self.unique(e + patterns))
            case .only(let p): return .only(p.filter { !Self.covered($0, by: patterns) })
            }
        }
    }

    private static func covered(_ pattern: String, by others: [String]) -> Bool {
        others.contains { IAMWildcard.matches($0, pattern, caseInsensitive: false) }
    }

    private static func unique(_ list: [String]) -> [String] {
        var seen: Set<String> = []
        return list.filter { seen.insert($0).inserted }
    }
}
