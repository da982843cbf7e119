import Foundation

/// The file `keysweep aws-snapshot -o FILE` writes and `--iam-snapshot FILE` reads: one JSON
/// object, `"keysweep_aws_snapshot": 1`, the authorization details' pages as AWS gave them
/// (`authorization_details`, a list of `GetAccountAuthorizationDetails` answers), then access
/// keys, MFA devices and login profiles. It holds no secret: policies, names, ids and dates.
package enum AWSSnapshotFile {
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    private struct Rest: Codable {
        var keysweep_aws_snapshot: Int
        var account: String?
        var taken: String
        var endpoint: String?
        var access_keys: [AWSAccountSnapshot.AccessKey]
        var mfa_devices: [AWSAccountSnapshot.MFADevice]
        var login_profiles: [AWSAccountSnapshot.LoginProfile]
        var unknown: [String]
    }

    package static func encode(_ snapshot: AWSAccountSnapshot) throws -> Data {
        let rest = Rest(keysweep_aws_snapshot: AWSAccountSnapshot.version, account: snapshot.account, taken: snapshot.taken,
                        endpoint: snapshot.endpoint, access_keys: snapshot.accessKeys, mfa_devices: snapshot.mfaDevices,
                        login_profiles: snapshot.loginProfiles, unknown: snapshot.unknown)
        guard var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(rest)) as? [String: Any] else {
            throw Failure(description: "cannot encode the snapshot")
        }
        object["authorization_details"] = try snapshot.authorizationPages.map { try JSONSerialization.jsonObject(with: $0) }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) + Data("\n".utf8)
    }

    /// Writes it whole or not at all (`OutputFile`).
    package static func write(_ snapshot: AWSAccountSnapshot, to path: String) throws(Failure) {
        do {
            try OutputFile.write(String(decoding: try encode(snapshot), as: UTF8.self), to: path)
        } catch let error as OutputFile.WriteError {
            throw Failure(description: error.description)
        } catch {
            throw Failure(description: "\(path): cannot encode the snapshot")
        }
    }

    /// Reads a snapshot file; every failure is one line naming the file and the problem.
    package static func read(_ path: String) throws(Failure) -> AWSAccountSnapshot {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Failure(description: "\(path): no such file or directory")
        }
        guard !isDirectory.boolValue else { throw Failure(description: "\(path): is a directory, not an AWS snapshot") }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= AuthorizationDetails.limits.bytes else {
            throw Failure(description: "\(path): \(size) bytes, more than the \(AuthorizationDetails.limits.bytes) keysweep reads as a snapshot")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot read the file") }
        return try decode(data, name: path)
    }

    package static func decode(_ data: Data, name: String) throws(Failure) -> AWSAccountSnapshot {
        // Bounded first (size, nesting), so nothing below meets a hostile shape.
        do { _ = try IAMJSON.parse(data, limits: AuthorizationDetails.limits, what: name) }
        catch { throw Failure(description: "\(name): \(error)") }
        let rest: Rest
        do { rest = try JSONDecoder().decode(Rest.self, from: data) }
        catch { throw Failure(description: "\(name): not a keysweep AWS snapshot (written by `keysweep aws-snapshot -o FILE`)") }
        guard rest.keysweep_aws_snapshot == AWSAccountSnapshot.version else {
            throw Failure(description: "\(name): snapshot version \(rest.keysweep_aws_snapshot) is not supported (this keysweep reads version \(AWSAccountSnapshot.version))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let pages = object["authorization_details"] as? [[String: Any]] else {
            throw Failure(description: "\(name): authorization_details is not a list of GetAccountAuthorizationDetails answers")
        }
        var pageData: [Data] = []
        for page in pages {
            guard let bytes = try? JSONSerialization.data(withJSONObject: page) else {
                throw Failure(description: "\(name): an authorization_details page cannot be read")
            }
            pageData.append(bytes)
        }
        do { _ = try AuthorizationDetails(pages: pageData) }
        catch { throw Failure(description: "\(name): \(error)") }
        return AWSAccountSnapshot(account: rest.account, taken: rest.taken, endpoint: rest.endpoint, authorizationPages: pageData,
                                  accessKeys: rest.access_keys, mfaDevices: rest.mfa_devices, loginProfiles: rest.login_profiles,
                                  unknown: rest.unknown)
    }
}
