import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real moto server (`moto_server`, PyPI `moto[server]`) on 127.0.0.1 and a free port, stopped
/// when the value is released. It checks no signatures until `enableAuthentication()`.
final class MotoServer {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let process = Process()
    private let log: TempDirectory

    /// `environment`: more variables for moto itself (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`).
    init(environment: [String: String] = [:]) throws {
        port = try MotoServer.freePort()
        log = TempDirectory("keysweep-moto")
        // `python3 -m moto.server` works wherever pip put the package, even when its
        // `moto_server` script is in a directory not on PATH.
        guard let python = MotoServer.which("python3") else { throw TestFailure("python3 is not installed") }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-m", "moto.server", "-H", "127.0.0.1", "-p", "\(port)"]
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, extra in extra } }
        FileManager.default.createFile(atPath: log.file("moto.log"), contents: nil)
        let output = FileHandle(forWritingAtPath: log.file("moto.log"))!
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try? output.close()   // the child has its own copy (see Run.process on late closes)
        let deadline = Date().addingTimeInterval(60)
        while !MotoServer.accepts(port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw TestFailure("moto_server did not start: \((try? String(contentsOfFile: log.file("moto.log"), encoding: .utf8)) ?? "")")
            }
            usleep(100_000)
        }
    }

    deinit { stop() }

    /// SIGKILL, not SIGTERM: Foundation's Process starts children with the signal mask of the
    /// spawning (dispatch) thread, which blocks SIGTERM, so moto would never see it.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Runs a Python (boto3) script against the server with dummy credentials; returns its stdout.
    func python(_ script: String) throws -> String {
        var env = ProcessInfo.processInfo.environment
        env["AWS_ENDPOINT_URL"] = url
        env["AWS_ACCESS_KEY_ID"] = "AKIAIOSFODNN7EXAMPLE"
        env["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        env["AWS_DEFAULT_REGION"] = "us-east-1"
        let python = MotoServer.which("python3") ?? "/usr/bin/python3"
        let result = try Run.process(python, ["-c", script], environment: env)
        guard result.status == 0 else { throw TestFailure("python failed: \(result.stderr)") }
        return result.stdout
    }

    /// Switches signature checking on (POST /moto-api/reset-auth with 0 initial unauthenticated calls).
    func enableAuthentication() throws {
        _ = try python("""
        import urllib.request
        request = urllib.request.Request("\(url)/moto-api/reset-auth", data=b"0", method="POST", headers={"Content-Type": "text/plain"})
        urllib.request.urlopen(request).read()
        """)
    }

    static func which(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        for dir in paths + ["/root/.pyenv/shims", "/usr/local/bin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { throw TestFailure("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
