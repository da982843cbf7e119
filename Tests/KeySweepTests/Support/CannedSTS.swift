import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP server on 127.0.0.1 that answers STS calls with canned responses chosen by the
/// key id in the Authorization header, for what moto cannot do (expired tokens, throttling,
/// clock skew, 5xx, a hanging server). It records every request it got.
final class CannedSTS: @unchecked Sendable {
    enum Answer: Sendable {
        case respond(status: Int, body: String)
        /// Read the request, never answer (until the server stops).
        case hang
    }

    struct Request: Sendable { var keyID: String?; var head: String; var body: String }

    let port: Int
    var url: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let lock = NSLock()
    private var _requests: [Request] = []
    private var stopped = false
    private var openClients: [Int32] = []
    private let answer: @Sendable (String?) -> Answer

    var requests: [Request] { lock.withLock { _requests } }
    func requests(for keyID: String) -> [Request] { requests.filter { $0.keyID == keyID } }

    init(_ answer: @escaping @Sendable (_ keyID: String?) -> Answer) throws {
        self.answer = answer
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { close(fd); throw TestFailure("bind/listen failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Idempotent: `deinit` calls it again after the test's own `stop()`, and closing the
    /// listener twice would close whatever descriptor now has its number (a pipe of a process
    /// another test is starting: "Bad file descriptor").
    func stop() {
        let first: Bool = lock.withLock {
            guard !stopped else { return false }
            stopped = true
            // Under the lock: a client is closed (and its number freed) only under it too.
            for client in openClients { shutdown(client, 2) }
            return true
        }
        guard first else { return }
        shutdown(listener, 2)
        close(listener)
    }

    private func acceptLoop() {
        while !lock.withLock({ stopped }) {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            lock.withLock { openClients.append(client) }
            Thread { [self] in serve(client) }.start()
        }
    }

    private func serve(_ client: Int32) {
        defer {
            lock.withLock {
                openClients.removeAll { $0 == client }
                close(client)
            }
        }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 8192)
        while true {
            // Read one request: head, then Content-Length bytes of body.
            var headEnd: Int?
            var contentLength = 0
            while true {
                if headEnd == nil, let range = findHeadEnd(data) {
                    headEnd = range
                    let head = String(decoding: data[..<range], as: UTF8.self)
                    for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
                        contentLength = Int(line.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
                if let headEnd, data.count >= headEnd + 4 + contentLength { break }
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { return }
                data.append(contentsOf: buffer[0..<n])
            }
            let head = String(decoding: data[..<headEnd!], as: UTF8.self)
            let body = String(decoding: data[(headEnd! + 4)..<(headEnd! + 4 + contentLength)], as: UTF8.self)
            data.removeFirst(headEnd! + 4 + contentLength)
            let keyID = Self.keyID(in: head)
            lock.withLock { _requests.append(Request(keyID: keyID, head: head, body: body)) }
            switch answer(keyID) {
            case .hang:
                while read(client, &buffer, buffer.count) > 0 {}
                return
            case .respond(let status, let text):
                let bytes = Array(text.utf8)
                let response = "HTTP/1.1 \(status) Canned\r\nContent-Type: text/xml\r\nContent-Length: \(bytes.count)\r\n\r\n"
                let out = Array(response.utf8) + bytes
                let total = out.count
                var sent = 0
                while sent < total {
                    let offset = sent
                    let n = out.withUnsafeBytes { write(client, $0.baseAddress! + offset, total - offset) }
                    if n <= 0 { return }
                    sent += n
                }
            }
        }
    }

    private func findHeadEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 { return i }
        return nil
    }

    static func keyID(in head: String) -> String? {
        guard let range = head.range(of: "Credential=") else { return nil }
        return String(head[range.upperBound...].prefix { $0 != "/" })
    }

    // MARK: canned bodies

    static func ok(arn: String, account: String, userID: String) -> Answer {
        .respond(status: 200, body: """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult><Arn>\(arn)</Arn><UserId>\(userID)</UserId><Account>\(account)</Account></GetCallerIdentityResult>
          <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """)
    }

    /// An error wrapped as real STS does (`<ErrorResponse><Error><Code>`).
    static func error(_ status: Int, code: String, message: String) -> Answer {
        .respond(status: status, body: """
        <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error>
          <RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>
        </ErrorResponse>
        """)
    }
}
