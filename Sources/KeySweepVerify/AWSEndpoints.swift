import Foundation

/// Where the owner-side client sends each service's calls, per the SDKs' convention:
/// `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then AWS's own endpoint.
package struct AWSEndpoints: Sendable, Equatable {
    /// IAM is global: signed for us-east-1.
    package var iam: URL
    package var sts: URL
    /// nil: `https://cloudtrail.<region>.amazonaws.com`, per region asked.
    package var cloudTrailOverride: URL?

    package init(iam: URL, sts: URL, cloudTrail: URL?) { self.iam = iam; self.sts = sts; cloudTrailOverride = cloudTrail }

    package init(environment: [String: String]) throws(AWSClientError) {
        iam = try Self.resolve("IAM", environment, default: "https://iam.amazonaws.com")!
        sts = try Self.resolve("STS", environment, default: STSEndpoint.global)!
        cloudTrailOverride = try Self.resolve("CLOUDTRAIL", environment, default: nil)
    }

    package func cloudTrail(region: String) -> URL {
        cloudTrailOverride ?? URL(string: "https://cloudtrail.\(region).amazonaws.com")!
    }

    static func resolve(_ service: String, _ environment: [String: String], default fallback: String?) throws(AWSClientError) -> URL? {
        let specific = "AWS_ENDPOINT_URL_\(service)"
        let (text, source): (String, String)
        if let value = environment[specific], !value.isEmpty { (text, source) = (value, specific) }
        else if let value = environment["AWS_ENDPOINT_URL"], !value.isEmpty { (text, source) = (value, "AWS_ENDPOINT_URL") }
        else if let fallback { (text, source) = (fallback, "default") }
        else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let host = url.host, !host.isEmpty, url.query == nil, url.user == nil, url.path.isEmpty || url.path == "/"
        else { throw AWSClientError("\(source) '\(text)' is not an http(s) endpoint URL (scheme://host[:port])") }
        return url
    }
}
