import ArgumentParser
import Foundation
import KeySweep

/// The flags of a scan split over processes, and of target lists made elsewhere. Defined once here.
struct ShardFlags: ParsableArguments {
    // `.unconditional`: `--shard -1/2` is a value to reject, not a flag.
    @Option(parsing: .unconditional, help: ArgumentHelp("Scan only share I of N (0 ≤ I < N); 'auto/N' or 'auto' take I from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) and N from KEYSWEEP_SHARDS. Merge the shards' JSON reports with 'keysweep merge'.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("What --shard splits: targets (whole repositories, gists and paths, by a stable hash of their identity), blobs (every shard walks each history, and reads only its blobs, messages and files) or auto (blobs for a single target, else targets).", valueName: "KIND"))
    var shardBy: Shard.Split = .auto

    @Option(help: ArgumentHelp("Also scan the targets listed in FILE, one per line ('-': standard input; empty lines and lines starting with # are skipped).", valueName: "FILE"))
    var targetsFrom: String?

    func validate() throws {
        if let shard { _ = try parsed(shard) }
        if shard == nil && shardBy != .auto { throw ValidationError("--shard-by needs --shard") }
    }

    /// The shard asked for; nil without --shard.
    func resolve() throws -> Shard? {
        guard let shard else { return nil }
        var parsed = try parsed(shard)
        parsed.split = shardBy
        return parsed
    }

    private func parsed(_ text: String) throws -> Shard {
        do { return try Shard.parse(text) } catch let error as Shard.Invalid { throw ValidationError(error.description) }
    }

    /// The targets of --targets-from; empty without it.
    func listedTargets() throws -> [String] {
        guard let targetsFrom else { return [] }
        let data: Data
        if targetsFrom == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: targetsFrom, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let contents = FileManager.default.contents(atPath: targetsFrom) else {
                throw ValidationError("--targets-from \(targetsFrom): no such readable file")
            }
            data = contents
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("--targets-from \(targetsFrom): not UTF-8 text (one target per line)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

extension Shard.Split: ExpressibleByArgument {}
