import Foundation
import KeySweep

/// Why the owner-side AWS client cannot start or a call cannot be made: one line, naming the
/// problem (no credentials, a refused profile, a bad endpoint URL).
public struct AWSClientError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// The owner's audit credentials for `--blast-radius`, `aws-snapshot` and `contain`, found the
/// way the AWS CLI finds them: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`,
/// else the profile `AWS_PROFILE` (default `default`) of the shared credentials and config files.
/// Only static keys are read: nothing a profile names is ever run (`credential_process`), and
/// profiles that need another call first (assume-role, SSO) are refused rather than half-done.
package struct AWSAuditCredentials: Sendable, Equatable, CustomStringConvertible {
    package var keyID: String
    package var secret: String
    package var sessionToken: String?
    package var region: String
    /// Where they came from, for messages ("environment", "profile ci").
    package var source: String

    /// A credentials or config file larger than this is refused (they are a few lines).
    static let maxFileBytes = 1 << 20

    package init(keyID: String, secret: String, sessionToken: String? = nil, region: String = "us-east-1", source: String = "given") {
        self.keyID = keyID; self.secret = secret; self.sessionToken = sessionToken; self.region = region; self.source = source
    }

    /// Never the secret, wherever the value is printed.
    package var description: String { "AWS credentials \(keyID) (\(source), \(region))" }

    package init(environment: [String: String]) throws(AWSClientError) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let home = value("HOME")
        func path(_ variable: String, _ relative: String) -> String? {
            if let explicit = value(variable) { return explicit.hasPrefix("~/") ? home.map { $0 + explicit.dropFirst() } : explicit }
            return home.map { $0 + "/" + relative }
        }
        let profileName = value("AWS_PROFILE") ?? "default"
        let credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
        let configPath = path("AWS_CONFIG_FILE", ".aws/config")
        let credentialsFile = try credentialsPath.map(Self.read) ?? [:]
        let configFile = try configPath.map(Self.read) ?? [:]
        // The credentials file names sections `[NAME]`; the config file `[profile NAME]`, or `[default]`.
        let fromCredentials = credentialsFile[profileName]
        let fromConfig = configFile["profile \(profileName)"] ?? (profileName == "default" ? configFile["default"] : nil)
        let profile = (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentials in credentials }

        let regionText = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? profile["region"] ?? "us-east-1"
        guard Self.isRegionName(regionText) else { throw AWSClientError("AWS region '\(regionText)' is not a region name (like us-east-1)") }
        region = regionText

        if let id = value("AWS_ACCESS_KEY_ID") {
            guard let secret = value("AWS_SECRET_ACCESS_KEY") else {
                throw AWSClientError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            (keyID, self.secret, sessionToken, source) = (id, secret, value("AWS_SESSION_TOKEN"), "environment")
            return
        }
        guard fromCredentials != nil || fromConfig != nil else {
            if value("AWS_PROFILE") != nil {
                throw AWSClientError("AWS profile '\(profileName)' is in neither \(credentialsPath ?? "the credentials file") nor \(configPath ?? "the config file")")
            }
            throw AWSClientError("no AWS credentials for --blast-radius: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE")
        }
        // The CLI's order within a profile: the credentials file's keys, then credential_process
        // (refused: keysweep runs no command a config names), then the config file's keys.
        func staticKeys(_ section: [String: String]?) -> (id: String, secret: String, token: String?)? {
            guard let section, let id = section["aws_access_key_id"], !id.isEmpty,
                  let secret = section["aws_secret_access_key"], !secret.isEmpty else { return nil }
            return (id, secret, section["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 })
        }
        if staticKeys(fromCredentials) == nil, profile["credential_process"] != nil {
            throw AWSClientError("AWS profile '\(profileName)' uses credential_process, which keysweep does not support (it runs no command a config names): give static keys or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY")
        }
        if let keys = staticKeys(fromCredentials) ?? staticKeys(fromConfig) {
            (keyID, secret, sessionToken, source) = (keys.id, keys.secret, keys.token, "profile \(profileName)")
            return
        }
        if profile["role_arn"] != nil || profile["sso_session"] != nil || profile["sso_start_url"] != nil || profile["web_identity_token_file"] != nil {
            throw AWSClientError("AWS profile '\(profileName)' needs assume-role or SSO, which keysweep does not support: export the temporary keys as AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN")
        }
        throw AWSClientError("AWS profile '\(profileName)' has no aws_access_key_id and aws_secret_access_key")
    }

    /// Lower-case letters, digits and dashes: a region goes into a host name.
    static func isRegionName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7a).contains($0) }
    }

    /// The sections of an INI file (`[name]`, `key = value`, `#`/`;` comments); absent is empty.
    /// Indented lines (nested settings such as `s3 =` blocks) are skipped.
    static func read(_ path: String) throws(AWSClientError) -> [String: [String: String]] {
        // attributesOfItem does not follow a symbolic link (dotfile managers make them).
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let type = try? FileManager.default.attributesOfItem(atPath: target)[.type] as? FileAttributeType else { return [:] }
        // Not a FIFO or a device: reading one could block or never end.
        guard type == .typeRegular else { throw AWSClientError("\(path) is not a regular file") }
        guard let handle = FileHandle(forReadingAtPath: target) else { throw AWSClientError("cannot read \(path)") }
        defer { try? handle.close() }
        let data: Data
        do { data = try handle.read(upToCount: maxFileBytes + 1) ?? Data() } catch {
            throw AWSClientError("cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count <= maxFileBytes else { throw AWSClientError("\(path) is larger than 1 MiB: not an AWS credentials or config file") }
        return parse(String(decoding: data, as: UTF8.self))
    }

    static func parse(_ text: String) -> [String: [String: String]] {
        var sections: [String: [String: String]] = [:]
        var current: String?
        for raw in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if raw.first == " " || raw.first == "\t" { continue }
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                let name = line.dropFirst().dropLast().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
                current = name
                sections[name, default: [:]] = sections[name] ?? [:]
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[current, default: [:]][key] = value
        }
        return sections
    }
}
