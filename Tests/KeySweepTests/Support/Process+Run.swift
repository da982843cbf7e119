import Foundation

/// The outcome of a finished process.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutData: Data
}

enum Run {
    /// Runs `executable` with `arguments`, feeding `stdin`, and waits for it.
    @discardableResult
    static func process(_ executable: String, _ arguments: [String], cwd: String? = nil, stdin: Data? = nil,
                        environment: [String: String]? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Feed stdin and drain both outputs concurrently so no pipe fills up.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if let stdin { try? input.fileHandleForWriting.write(contentsOf: stdin) }
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        group.wait()
        // Closed here, not when the pipes are freed on some other thread: under parallel tests a
        // late close can hit a descriptor number another Process.run has just been given
        // ("Bad file descriptor" inside Foundation, swiftlang/swift#57827).
        try? out.fileHandleForReading.close()
        try? err.fileHandleForReading.close()
        return ProcessResult(status: process.terminationStatus,
                             stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self),
                             stdoutData: outData)
    }
}
