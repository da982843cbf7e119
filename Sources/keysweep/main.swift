import ArgumentParser
import Foundation
import KeySweep

/// keysweep's exit statuses: 0 nothing found, 1 findings, 2 usage or input error.
enum Status {
    static let clean: Int32 = 0
    static let findings: Int32 = 1
    static let error: Int32 = 2
}

do {
    var command = try KeySweepCommand.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    // Help and version requests exit 0 through the parser; every other failure is one line, status 2.
    if KeySweepCommand.exitCode(for: error) == .success { KeySweepCommand.exit(withError: error) }
    let message = KeySweepCommand.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
    FileHandle.standardError.write(Data("keysweep: \(TerminalText.escape(message))\n".utf8))
    exit(Status.error)
}
