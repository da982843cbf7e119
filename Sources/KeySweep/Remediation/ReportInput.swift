import Foundation

/// A keysweep JSON report (`--format json`, version 1) as the remediation plan reads it. The plan
/// is always made from this shape, whether the report comes from a scan just run or from a file,
/// so both paths give the same plan. Fields added after version 1 was first written (the `aws`
/// pairing fields) are optional.
public struct ReportInput: Decodable, Sendable {
    struct Tool: Decodable, Sendable { var name: String; var version: String }

    struct AWS: Decodable, Sendable {
        var key_type: String
        var account: String?
        var paired_secret: String?
        var paired_token: String?
        var expiration: String?
        var leaked: String?
        var canary: Bool?
    }

    struct First: Decodable, Sendable {
        var commit: String?
        var path: String
        var line: Int
        var author: String?
        var date: String?
    }

    struct Occurrence: Decodable, Sendable, Hashable {
        var commit: String?
        var path: String
        var line: Int
        var blob: String?
        var decoding: String?
    }

    struct Finding: Decodable, Sendable {
        var id: String
        public var rule: String
        var description: String?
        var secret: String
        var confidence: String?
        var placeholder: Bool?
        var aws: AWS?
        var first: First
        var occurrences: [Occurrence]
        var in_head: Bool

        var isPlaceholder: Bool { placeholder ?? false }
    }

    var version: Int
    var tool: Tool?
    var targets: [String]
    var findings: [Finding]

    static let supportedVersion = 1

    /// Why a file cannot be used; the message is one line naming the file.
    public struct InputError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads and checks a JSON report file.
    static func load(path: String) throws -> ReportInput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(description: "\(path): no such file or directory")
        }
        guard !isDirectory.boolValue else { throw InputError(description: "\(path): is a directory, not a JSON report") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(description: "\(path): cannot read the file")
        }
        return try parse(data, name: path)
    }

    /// Parses a JSON report; `name` is used in error messages.
    static func parse(_ data: Data, name: String) throws -> ReportInput {
        guard let object = try? JSONSerialization.jsonObject(with: data), let top = object as? [String: Any] else {
            throw InputError(description: "\(name): not a JSON object (expected a keysweep report from scan --format json)")
        }
        guard let version = top["version"] as? Int, top["findings"] != nil else {
            throw InputError(description: "\(name): not a keysweep JSON report (no version or findings; make one with scan --format json)")
        }
        guard version == supportedVersion else {
            throw InputError(description: "\(name): report version \(version) is not supported (this keysweep reads version \(supportedVersion))")
        }
        do {
            return try JSONDecoder().decode(ReportInput.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(description: "\(name): malformed report: \(Self.where(context))missing '\(key.stringValue)'")
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError(description: "\(name): malformed report: wrong type at \(Self.where(context, trailing: false))")
        } catch let DecodingError.valueNotFound(_, context) {
            throw InputError(description: "\(name): malformed report: null at \(Self.where(context, trailing: false))")
        } catch {
            throw InputError(description: "\(name): malformed report")
        }
    }

    private static func `where`(_ context: DecodingError.Context, trailing: Bool = true) -> String {
        let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        if path.isEmpty { return trailing ? "" : "the top level" }
        return trailing ? "\(path): " : path
    }

    /// The report of a scan just run, secrets in full (the plan redacts when it renders).
    init(_ result: ScanResult) throws {
        var options = ReportOptions()
        options.redact = false
        let data = try JSONEncoder().encode(JSONReport(options: options).document(result))
        self = try JSONDecoder().decode(ReportInput.self, from: data)
    }
}
