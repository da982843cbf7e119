import Foundation
import KeySweepRuleFile

/// What the fuzz targets (`Fuzz/`, run by `scripts/fuzz.sh`) feed their input to, and what the
/// test suite replays their corpora through. `package`: visible to the fuzz executables of this
/// package, not part of the library's API. Not thread-safe: one input at a time per target, as
/// libFuzzer runs them.
package enum FuzzTargets {
    /// The default rules' content scanner: matcher, detector, decodings and pairing.
    nonisolated(unsafe) private static let scanner: ContentScanner = {
        guard let rules = try? RuleSet.builtIn() else { fatalError("the built-in rules do not load") }
        return ContentScanner(rules: rules, options: ScanOptions())
    }()

    nonisolated(unsafe) private static let policy = ContentPolicy(options: ScanOptions())

    /// Scans `bytes` as the content of a blob or file, through the policy a scan applies
    /// (archives, PDF streams, binary strings); content it skips goes to the scanner as is, as
    /// with `--include-binary`. Returns how many secrets were found.
    @discardableResult
    package static func scanContent(_ bytes: UnsafeRawBufferPointer) -> Int {
        defer { _ = scanner.takeExtraction(); _ = scanner.takeStrings() }
        switch policy.scan(bytes, with: scanner) {
        case .scanned(let matches): return matches.count
        case .skippedBinary, .skippedLarge: return scanner.detect(in: bytes).count
        }
    }

    /// A bare repository in a temporary directory whose only pack is rewritten for each input;
    /// removed when the process exits.
    private static let repository: String = {
        let path = repositoryPath
        atexit { try? FileManager.default.removeItem(atPath: FuzzTargets.repositoryPath) }
        for directory in ["objects/pack", "objects/info", "refs/heads", "refs/tags"] {
            try? FileManager.default.createDirectory(atPath: path + "/" + directory, withIntermediateDirectories: true)
        }
        FileManager.default.createFile(atPath: path + "/HEAD", contents: Data("ref: refs/heads/main\n".utf8))
        FileManager.default.createFile(atPath: path + "/config", contents: Data("[core]\n\trepositoryformatversion = 0\n\tbare = true\n".utf8))
        return path
    }()
    private static let repositoryPath = NSTemporaryDirectory() + "keysweep-fuzz-\(getpid())"
    nonisolated(unsafe) private static var inputs = 0

    /// Splits a pack-index fuzz input: the first two bytes (little-endian) are the length of the
    /// `.pack` that ends the input; the bytes between are the `.idx`.
    package static func splitPackInput(_ bytes: UnsafeRawBufferPointer) -> (index: Data, pack: Data) {
        guard bytes.count >= 2 else { return (Data(bytes), Data()) }
        let packLength = min(Int(bytes[0]) | Int(bytes[1]) << 8, bytes.count - 2)
        return (Data(bytes[2..<(bytes.count - packLength)]), Data(bytes[(bytes.count - packLength)...]))
    }

    /// The inverse of `splitPackInput`, for making seeds from real packs.
    package static func packInput(index: Data, pack: Data) -> Data {
        precondition(pack.count <= 0xFFFF)
        return Data([UInt8(pack.count & 0xFF), UInt8(pack.count >> 8)]) + index + pack
    }

    /// Writes the input as a pack index and its pack into a bare repository, then does with it
    /// what a scan does: checks the index, opens the repository, lists the pack's blobs in pack
    /// order, and lists and reads its objects. Returns how many objects were read.
    @discardableResult
    package static func openPackIndex(_ bytes: UnsafeRawBufferPointer) -> Int {
        let (index, pack) = splitPackInput(bytes)
        inputs += 1
        let name = repository + "/objects/pack/pack-" + String(format: "%040x", inputs)
        FileManager.default.createFile(atPath: name + ".idx", contents: index)
        FileManager.default.createFile(atPath: name + ".pack", contents: pack)
        defer {
            unlink(name + ".idx")
            unlink(name + ".pack")
        }
        _ = PackIndex.damage(at: name + ".idx")
        guard let repo = try? Repository.openIfRepository(repository) else { return 0 }
        _ = PackedBlobs.inPackOrder(objectsDirectory: repo.objectsDirectory)
        var read = 0
        for id in ((try? repo.allObjectIDs()) ?? []).prefix(64) {
            _ = try? repo.header(of: id)
            if (try? repo.withObject(id, { _, bytes in bytes.count })) != nil { read += 1 }
        }
        return read
    }
}

/// The files keysweep reads besides content: ignore files, gitleaks configurations, rule files
/// (all TOML, through `TOMLReading`) and JSON reports (`merge`, `remediate`, `--baseline`).
extension FuzzTargets {
    /// An ignore file (`.keysweepignore`); returns its number of entries (-1: refused).
    @discardableResult
    package static func readIgnoreFile(_ bytes: UnsafeRawBufferPointer) -> Int {
        (try? IgnoreFile(text: String(decoding: bytes, as: UTF8.self), source: "fuzz"))?.entries.count ?? -1
    }

    /// A gitleaks configuration (`--config`), its rules translated; returns their number (-1: refused).
    @discardableResult
    package static func readGitleaksConfig(_ bytes: UnsafeRawBufferPointer) -> Int {
        (try? GitleaksConfig(text: String(decoding: bytes, as: UTF8.self), file: "fuzz"))?.rules.count ?? -1
    }

    /// A rule file (`--patterns`); returns its number of rules (-1: refused).
    @discardableResult
    package static func readRuleFile(_ bytes: UnsafeRawBufferPointer) -> Int {
        (try? RuleFileReader.read(String(decoding: bytes, as: UTF8.self), file: "fuzz"))?.count ?? -1
    }

    nonisolated(unsafe) private static let mergeRules: RuleSet = {
        guard let rules = try? RuleSet.builtIn() else { fatalError("the built-in rules do not load") }
        return rules
    }()

    /// A JSON report as `merge` reads it, admitted and folded twice (as two copies of it would
    /// be: the sums and the shard checks see it twice); returns the merged findings (-1: refused).
    @discardableResult
    package static func mergeReport(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard let report = try? ScanResult(jsonReport: Data(bytes), name: "fuzz") else { return -1 }
        var options = ReportMerge.Options()
        options.allowMixed = true
        options.allowPartial = true
        var checks = MergeChecks(ruleSet: mergeRules.fingerprint, options: options)
        var fold = MergeFold(rules: mergeRules, limits: options.limits)
        for copy in ["a", "b"] {
            guard (try? checks.admit(report, path: copy)) != nil, (try? fold.add(report, path: copy)) != nil else { return -1 }
        }
        guard (try? checks.finish()) != nil, let merged = try? fold.result(targets: checks.targets()) else { return -1 }
        return merged.findings.count
    }
}

extension FuzzTargets {
    /// Runs every file named in `paths` (a directory: every file in it) through `body` once:
    /// what a fuzz executable does when it is built without libFuzzer. Returns the exit status.
    package static func replay(_ paths: [String], through body: (UnsafeRawBufferPointer) -> Void) -> Int32 {
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("usage: \(CommandLine.arguments[0]) FILE|DIRECTORY ...  (built without libFuzzer: runs each input once; scripts/fuzz.sh fuzzes)\n".utf8))
            return 2
        }
        var status: Int32 = 0
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("\(path): no such file or directory\n".utf8))
                status = 2
                continue
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { path + "/" + $0 }
                : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                data.withUnsafeBytes { body($0) }
            }
            print("\(path): \(files.count) input\(files.count == 1 ? "" : "s") run")
        }
        return status
    }
}

#if FUZZING
/// libFuzzer's driver (`libclang_rt.fuzzer_no_main`, linked by scripts/fuzz.sh).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                                 _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

extension FuzzTargets {
    /// Runs libFuzzer on `callback` with the command line's flags and corpus directories. The
    /// fuzz executables' entry point calls it: SwiftPM links every executable with its own
    /// `main` (`--defsym main=<module>_main`), so libFuzzer's `main` cannot be used.
    package static func runLibFuzzer(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                                     _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        var argc = argc, argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, callback)
    }
}
#endif
