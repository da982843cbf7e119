import ArgumentParser
import Foundation
import KeySweep

struct InstallHookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-hook",
        abstract: "Install a git pre-commit hook that runs `keysweep scan --staged`.",
        discussion: """
        The hook refuses a commit whose staged changes add a secret, saying so in one line with \
        each finding's id and the commands that allow it or bypass the check once; a clean commit \
        prints nothing. It goes where git looks for hooks (core.hooksPath, else .git/hooks). A \
        pre-commit hook keysweep did not write (the pre-commit framework's too) is left alone \
        unless --force is given: it is then kept as pre-commit.before-keysweep and chained (run \
        first; its failure refuses the commit). keysweep's own hook, recognised by its marker line, \
        is simply updated.
        """
    )

    @Argument(help: "The repository (default: the current directory).")
    var repository: String = "."

    @Flag(help: "Chain a pre-commit hook keysweep did not write: kept as pre-commit.before-keysweep, it runs first.")
    var force = false

    func run() throws {
        let installed = try HookInstaller.install(repositoryPath: repository, binary: Self.currentBinary(), force: force)
        var message = "keysweep: \(installed.updated ? "updated" : "installed") \(installed.path)"
        if let chained = installed.chained {
            let whose = installed.chainsPreCommitFramework ? "the pre-commit framework's hook" : "the previous hook"
            message += " (\(whose) runs first, from \(chained))"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// The absolute path of the running keysweep binary, so the hook runs this build.
    static func currentBinary() -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        let argument = CommandLine.arguments[0]
        if argument.contains("/") {
            return URL(fileURLWithPath: argument).standardizedFileURL.resolvingSymlinksInPath().path
        }
        return "keysweep"
    }
}
