import CLibGit2
import Foundation

/// An open git repository. The only type that holds a `git_repository` or `git_odb` pointer.
///
/// Not thread-safe: each worker thread opens its own. libgit2 shares the mapped pack files and
/// their delta-base caches between instances of the same repository.
final class Repository {
    let repo: OpaquePointer
    private let odb: OpaquePointer
    let path: String

    /// The kinds of object a git object store holds.
    enum ObjectKind { case commit, tree, blob, tag, other }

    /// Opens the repository at exactly `path` (a work tree, its `.git`, or a bare repository);
    /// returns nil when `path` is not a repository. Never searches parent directories. Throws
    /// when a pack index is damaged (`checkPackIndexes`), before libgit2 reads any.
    static func openIfRepository(_ path: String) throws -> Repository? {
        _ = GitLibrary.initialized
        var repo: OpaquePointer?
        let flags = GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue
        let code = git_repository_open_ext(&repo, path, flags, nil)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(code, "cannot open git repository \(path)")
        let repository = try Repository(repo!, path: path)
        try repository.checkPackIndexes()
        return repository
    }

    /// The repository holding `directory`, searched upward as git does (`git_repository_open_ext`
    /// without `NO_SEARCH`; `GIT_CEILING_DIRECTORIES` honoured); nil when there is none.
    static func discover(from directory: String) throws -> Repository? {
        _ = GitLibrary.initialized
        var repo: OpaquePointer?
        let ceilings = ProcessInfo.processInfo.environment["GIT_CEILING_DIRECTORIES"]
        let code = git_repository_open_ext(&repo, directory, 0, ceilings)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(code, "cannot open the git repository holding \(directory)")
        let path = git_repository_workdir(repo!).map { String(cString: $0) } ?? String(cString: git_repository_path(repo!))
        let repository = try Repository(repo!, path: path)
        try repository.checkPackIndexes()
        return repository
    }

    /// Opens a repository already known to exist (as each worker does).
    convenience init(path: String) throws {
        _ = GitLibrary.initialized
        var repo: OpaquePointer?
        try GitError.check(git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil),
                           "cannot open git repository \(path)")
        try self.init(repo!, path: path)
    }

    private init(_ repo: OpaquePointer, path: String) throws {
        self.repo = repo
        self.path = path
        var odb: OpaquePointer?
        let code = git_repository_odb(&odb, repo)
        if code < 0 {
            git_repository_free(repo)
            throw GitError(code: code, context: "cannot open the object store of \(path)")
        }
        self.odb = odb!
    }

    deinit {
        git_odb_free(odb)
        git_repository_free(repo)
    }

    var isBare: Bool { git_repository_is_bare(repo) == 1 }
    var isShallow: Bool { git_repository_is_shallow(repo) == 1 }

    /// The object directory (`.git/objects`, or `objects` of a bare repository).
    var objectsDirectory: String { String(cString: git_repository_path(repo)) + "objects" }

    /// The directory of the work tree, if the repository has one.
    var workdir: String? { git_repository_workdir(repo).map { String(cString: $0) } }

    /// The commit HEAD points at, or nil when HEAD is unborn.
    func headCommit() throws -> ObjectID? {
        var oid = git_oid()
        let code = git_reference_name_to_id(&oid, repo, "HEAD")
        if code == GIT_ENOTFOUND.rawValue || code == GIT_EUNBORNBRANCH.rawValue { return nil }
        try GitError.check(code, "cannot resolve HEAD")
        return ObjectID(oid)
    }

    /// The reference HEAD names (`refs/heads/main`); nil for a detached HEAD.
    func symbolicHead() -> String? {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, repo, "HEAD") == 0, let ref else { return nil }
        defer { git_reference_free(ref) }
        return git_reference_symbolic_target(ref).map { String(cString: $0) }
    }

    /// A reference and the commit it finally points at (tags peeled).
    struct Reference: Sendable {
        let name: String
        let commit: ObjectID
    }

    /// Every reference whose target peels to a commit. Symbolic refs are followed.
    func references() throws -> [Reference] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_new(&iterator, repo), "cannot list references")
        defer { git_reference_iterator_free(iterator) }
        var result: [Reference] = []
        while true {
            var ref: OpaquePointer?
            let code = git_reference_next(&ref, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try GitError.check(code, "cannot read references")
            defer { git_reference_free(ref) }
            let name = String(cString: git_reference_name(ref))
            var peeled: OpaquePointer?
            guard git_reference_peel(&peeled, ref, GIT_OBJECT_COMMIT) == 0 else { continue }
            defer { git_object_free(peeled) }
            result.append(Reference(name: name, commit: ObjectID(git_object_id(peeled).pointee)))
        }
        return result
    }

    /// The annotated tag objects references point at directly (not peeled), each once.
    func referencedTagObjects() throws -> [ObjectID] {
        var iterator: OpaquePointer?
        try GitError.check(git_reference_iterator_new(&iterator, repo), "cannot list references")
        defer { git_reference_iterator_free(iterator) }
        var result: [ObjectID] = []
        var seen: Set<ObjectID> = []
        while true {
            var ref: OpaquePointer?
            let code = git_reference_next(&ref, iterator)
            if code == GIT_ITEROVER.rawValue { break }
            try GitError.check(code, "cannot read references")
            defer { git_reference_free(ref) }
            var resolved: OpaquePointer?
            guard git_reference_resolve(&resolved, ref) == 0 else { continue }
            defer { git_reference_free(resolved) }
            guard let target = git_reference_target(resolved) else { continue }
            let id = ObjectID(target.pointee)
            guard !seen.contains(id), (try? header(of: id).kind) == .tag else { continue }
            seen.insert(id)
            result.append(id)
        }
        return result
    }

    /// Every commit reachable from any reference and from HEAD, parents before children
    /// (topological order, ties by commit time).
    func commitsInTopologicalOrder() throws -> [ObjectID] {
        var tips = try references().map(\.commit)
        if let head = try headCommit() { tips.append(head) }
        return try revisionWalk(from: tips)
    }

    /// The commits reachable from `tips` and from none of `hidden`, parents before children
    /// (topological order, ties by commit time): libgit2's revision walk.
    func revisionWalk(from tips: [ObjectID], hiding hidden: [ObjectID] = []) throws -> [ObjectID] {
        var walk: OpaquePointer?
        try GitError.check(git_revwalk_new(&walk, repo), "cannot start the history walk")
        defer { git_revwalk_free(walk) }
        try GitError.check(git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue | GIT_SORT_REVERSE.rawValue),
                           "cannot sort the history walk")
        for tip in tips {
            var oid = tip.gitOID
            try GitError.check(git_revwalk_push(walk, &oid), "cannot walk from \(tip)")
        }
        for tip in hidden {
            var oid = tip.gitOID
            try GitError.check(git_revwalk_hide(walk, &oid), "cannot hide \(tip)")
        }
        var commits: [ObjectID] = []
        var oid = git_oid()
        while true {
            let code = git_revwalk_next(&oid, walk)
            if code == GIT_ITEROVER.rawValue { break }
            try GitError.check(code, "cannot walk the history")
            commits.append(ObjectID(oid))
        }
        return commits
    }

    /// Size and kind of an object, without inflating it when the store can avoid it.
    func header(of id: ObjectID) throws -> (size: Int, kind: ObjectKind) {
        var oid = id.gitOID
        var size = 0
        var type = GIT_OBJECT_INVALID
        try GitError.check(git_odb_read_header(&size, &type, odb, &oid), "cannot read object \(id)")
        return (size, Repository.kind(type))
    }

    /// Calls `body` with the raw bytes of an object. The bytes are valid only inside `body`.
    func withObject<R>(_ id: ObjectID, _ body: (ObjectKind, UnsafeRawBufferPointer) throws -> R) throws -> R {
        var oid = id.gitOID
        var object: OpaquePointer?
        try GitError.check(git_odb_read(&object, odb, &oid), "cannot read object \(id)")
        defer { git_odb_object_free(object) }
        let data = UnsafeRawBufferPointer(start: git_odb_object_data(object), count: git_odb_object_size(object))
        return try body(Repository.kind(git_odb_object_type(object)), data)
    }

    /// The id of the object at `path` (slash-separated) inside the tree `tree`, or nil when the
    /// path is absent. Used by the remediation plan to tell which ref tips still hold a blob.
    func entryID(atPath path: String, inTree tree: ObjectID) throws -> ObjectID? {
        var treeOID = tree.gitOID
        var treeObject: OpaquePointer?
        try GitError.check(git_tree_lookup(&treeObject, repo, &treeOID), "cannot read tree \(tree)")
        defer { git_tree_free(treeObject) }
        var entry: OpaquePointer?
        let code = git_tree_entry_bypath(&entry, treeObject, path)
        if code == GIT_ENOTFOUND.rawValue { return nil }
        try GitError.check(code, "cannot look up \(path) in tree \(tree)")
        defer { git_tree_entry_free(entry) }
        return ObjectID(git_tree_entry_id(entry).pointee)
    }

    /// Every object id in the object store (loose and packed, reachable or not), each once.
    func allObjectIDs() throws -> [ObjectID] {
        final class Box { var ids: Set<ObjectID> = [] }
        let box = Box()
        let code = git_odb_foreach(odb, { oid, payload in
            guard let oid, let payload else { return 0 }
            Unmanaged<Box>.fromOpaque(payload).takeUnretainedValue().ids.insert(ObjectID(oid.pointee))
            return 0
        }, Unmanaged.passUnretained(box).toOpaque())
        try GitError.check(code, "cannot list the objects of \(path)")
        return Array(box.ids)
    }

    private static func kind(_ type: git_object_t) -> ObjectKind {
        switch type {
        case GIT_OBJECT_COMMIT: return .commit
        case GIT_OBJECT_TREE: return .tree
        case GIT_OBJECT_BLOB: return .blob
        case GIT_OBJECT_TAG: return .tag
        default: return .other
        }
    }
}
