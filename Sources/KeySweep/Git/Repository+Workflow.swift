import CLibGit2
import Foundation

/// What the everyday-workflow modes need from libgit2: revisions, ranges, the index, hooks.
extension Repository {
    /// The commit a revision names (`main`, `HEAD~3`, `v1.2`, an id), tags peeled; nil when
    /// the revision is unknown or names no commit.
    func resolveCommit(_ revision: String) -> ObjectID? {
        var object: OpaquePointer?
        guard git_revparse_single(&object, repo, revision) == 0 else { return nil }
        defer { git_object_free(object) }
        var peeled: OpaquePointer?
        guard git_object_peel(&peeled, object, GIT_OBJECT_COMMIT) == 0 else { return nil }
        defer { git_object_free(peeled) }
        return ObjectID(git_object_id(peeled).pointee)
    }

    /// Commits reachable from `tips` and from none of `hidden`, parents before children
    /// (every parent followed, so second-parent commits of merges are included). In a shallow
    /// clone the walk stops at the shallow boundary: what is present is listed.
    func commits(reachableFrom tips: [ObjectID], excluding hidden: [ObjectID]) throws -> [ObjectID] {
        if isShallow { return try presentCommits(reachableFrom: tips, excluding: hidden) }
        return try revisionWalk(from: tips, hiding: hidden)
    }

    /// Every commit reachable from any reference and from HEAD, parents first; in a shallow
    /// clone, those present.
    /// Whether HEAD or any reference names a commit (a repository just made with `git init` has none).
    func hasCommits() throws -> Bool {
        try headCommit() != nil || !references().isEmpty
    }

    func allCommits() throws -> [ObjectID] {
        guard isShallow else { return try commitsInTopologicalOrder() }
        return try presentCommits(reachableFrom: tips(), excluding: [])
    }

    /// The commits of every reference and of HEAD.
    func tips() throws -> [ObjectID] {
        var tips = try references().map(\.commit)
        if let head = try headCommit() { tips.append(head) }
        return tips
    }

    /// The walk of a shallow clone, whose boundary commits name parents that are absent (the
    /// libgit2 revision walk gives up on them): commits listed in `shallow` and commits whose
    /// object is missing end the walk. Parents before children; ties by commit time.
    ///
    /// Also the walk of a damaged repository, whose libgit2 revision walk stops at a commit it
    /// cannot read: `unreadable` is told of each such commit (outside a shallow boundary) and the
    /// walk goes on past it where another path leads.
    func presentCommits(reachableFrom tips: [ObjectID], excluding hidden: [ObjectID],
                        unreadable: ((ObjectID) -> Void)? = nil) throws -> [ObjectID] {
        var boundary: Set<ObjectID> = []
        if let text = try? String(contentsOfFile: gitDirectory + "shallow", encoding: .utf8) {
            for line in text.split(separator: "\n") { if let id = ObjectID(hex: line.trimmingCharacters(in: .whitespaces)) { boundary.insert(id) } }
        }
        var parentsCache: [ObjectID: (parents: [ObjectID], time: Int64)] = [:]
        var reported: Set<ObjectID> = []
        func info(_ id: ObjectID) -> (parents: [ObjectID], time: Int64)? {
            if let known = parentsCache[id] { return known }
            guard let parsed = try? withObject(id, { kind, raw -> ([ObjectID], Int64)? in
                guard kind == .commit, let commit = CommitObject(raw) else { return nil }
                return (Repository.parentIDs(raw), commit.authorTime)
            }) else {
                if !boundary.contains(id) && reported.insert(id).inserted { unreadable?(id) }
                return nil
            }
            let result = (parents: boundary.contains(id) ? [] : parsed.0, time: parsed.1)
            parentsCache[id] = result
            return result
        }
        var excluded: Set<ObjectID> = []
        var pending = hidden
        while let next = pending.popLast() {
            guard excluded.insert(next).inserted, let node = info(next) else { continue }
            pending += node.parents
        }
        // Depth-first, emitting a commit after all its parents.
        var order: [ObjectID] = []
        var done: Set<ObjectID> = excluded
        var stack: [(ObjectID, Bool)] = tips.sorted { (info($0)?.time ?? 0) > (info($1)?.time ?? 0) }.map { ($0, false) }
        while let (id, expanded) = stack.popLast() {
            if expanded { order.append(id); continue }
            guard !done.contains(id), let node = info(id) else { continue }
            done.insert(id)
            stack.append((id, true))
            for parent in node.parents.reversed() where !done.contains(parent) { stack.append((parent, false)) }
        }
        return order
    }

    /// The `parent` ids of a raw commit object.
    static func parentIDs(_ raw: UnsafeRawBufferPointer) -> [ObjectID] {
        let bytes = raw.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress else { return [] }
        var parents: [ObjectID] = []
        var position = 0
        let prefix = Array("parent ".utf8)
        while position < bytes.count {
            var end = position
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
            if end == position { break } // the message follows
            if end - position >= prefix.count + 40, bytes[position..<(position + prefix.count)].elementsEqual(prefix),
               let id = ObjectID(hexBytes: base + position + prefix.count) {
                parents.append(id)
            }
            position = end + 1
        }
        return parents
    }

    /// The blobs staged in the index (stage 0; submodules and conflicted entries left out).
    func indexEntries() throws -> [(path: String, blob: ObjectID)] {
        var index: OpaquePointer?
        try GitError.check(git_repository_index(&index, repo), "cannot read the index")
        defer { git_index_free(index) }
        var entries: [(String, ObjectID)] = []
        let count = git_index_entrycount(index)
        for position in 0..<count {
            guard let entry = git_index_get_byindex(index, position) else { continue }
            let mode = entry.pointee.mode
            let stage = (Int32(entry.pointee.flags) >> 12) & 0x3
            guard stage == 0, mode & 0o170000 == 0o100000 || mode & 0o170000 == 0o120000 else { continue }
            entries.append((String(cString: entry.pointee.path), ObjectID(entry.pointee.id)))
        }
        return entries
    }

    /// The work tree's files that differ from HEAD and are not ignored: untracked files (inside
    /// untracked directories too) and files modified or added, in the work tree or the index.
    /// Paths are relative to the work tree; deleted files and submodules are left out. libgit2
    /// runs no filter or fsmonitor command a repository's configuration names, and the index is
    /// not written.
    func uncommittedFiles() throws -> [String] {
        var options = git_status_options()
        try GitError.check(git_status_options_init(&options, UInt32(GIT_STATUS_OPTIONS_VERSION)), "cannot read the work tree's status")
        options.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR
        options.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED.rawValue | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS.rawValue
            | GIT_STATUS_OPT_EXCLUDE_SUBMODULES.rawValue
        var list: OpaquePointer?
        try GitError.check(git_status_list_new(&list, repo, &options), "cannot read the work tree's status")
        defer { git_status_list_free(list) }
        let wanted = GIT_STATUS_WT_NEW.rawValue | GIT_STATUS_WT_MODIFIED.rawValue | GIT_STATUS_WT_TYPECHANGE.rawValue
            | GIT_STATUS_WT_RENAMED.rawValue | GIT_STATUS_INDEX_NEW.rawValue | GIT_STATUS_INDEX_MODIFIED.rawValue
            | GIT_STATUS_INDEX_RENAMED.rawValue | GIT_STATUS_INDEX_TYPECHANGE.rawValue
        var paths: [String] = []
        for position in 0..<git_status_list_entrycount(list) {
            guard let entry = git_status_byindex(list, position) else { continue }
            let status = entry.pointee.status.rawValue
            guard status & wanted != 0, status & GIT_STATUS_WT_DELETED.rawValue == 0 else { continue }
            // The work tree's side names the file on disk; an index-only change has only the index's.
            let delta = entry.pointee.index_to_workdir ?? entry.pointee.head_to_index
            guard let file = delta?.pointee.new_file.path else { continue }
            paths.append(String(cString: file))
        }
        return Array(Set(paths)).sorted()
    }

    /// Where git runs hooks from: `core.hooksPath` when set, else `.git/hooks`.
    func hooksDirectory() -> String {
        var config: OpaquePointer?
        if git_repository_config_snapshot(&config, repo) == 0 {
            defer { git_config_free(config) }
            var buffer = git_buf()
            if git_config_get_path(&buffer, config, "core.hooksPath") == 0 {
                defer { git_buf_dispose(&buffer) }
                let path = String(cString: buffer.ptr)
                if path.hasPrefix("/") { return path }
                return (workdir ?? gitDirectory) + path
            }
        }
        return gitDirectory + "hooks"
    }

    /// The `.git` directory (with a trailing slash).
    var gitDirectory: String { String(cString: git_repository_path(repo)) }
}
