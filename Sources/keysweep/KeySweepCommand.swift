import ArgumentParser

struct KeySweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keysweep",
        abstract: "Find leaked credentials, AWS keys first, in the full history of git repositories, in directories and on standard input.",
        discussion: """
        Exit status: 0 nothing found, 1 findings, 2 usage or input error (with a one-line reason on standard error).
        """,
        version: KeySweepVersion.current,
        subcommands: [ScanCommand.self, MergeCommand.self, RulesCommand.self, RemediateCommand.self, ShowCommand.self, ContainCommand.self, AWSSnapshotCommand.self, IgnoreCommand.self, InstallHookCommand.self],
        defaultSubcommand: ScanCommand.self
    )
}

import KeySweep
