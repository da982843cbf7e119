import Foundation

/// Scheme, host and port of a URL: what a browser calls an origin. The token is given, and an
/// API's clone URLs are followed, only within origins derived from `--github-api-url`, compared
/// whole (a host name alone would let `http://HOST:OTHERPORT` collect the token in clear).
package struct WebOrigin: Hashable, Sendable, CustomStringConvertible {
    package var scheme: String
    package var host: String
    package var port: Int

    /// Nil for a URL without a host or with a scheme other than http(s) (`file://`, scp-like).
    package init?(_ url: String) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              let host = components.host?.lowercased(), !host.isEmpty else { return nil }
        let defaults = ["https": 443, "http": 80]
        guard let standard = defaults[scheme] else { return nil }
        self.scheme = scheme
        self.host = host
        self.port = components.port ?? standard
    }

    package init(scheme: String, host: String, port: Int) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    package var description: String {
        let standard = (scheme == "https" && port == 443) || (scheme == "http" && port == 80)
        return "\(scheme)://\(host)" + (standard ? "" : ":\(port)")
    }

    /// The origins of GitHub behind the REST API at `apiURL`: the API's own origin (named by the
    /// user, so plain HTTP there is their choice), the web host `api.` stands before on the same
    /// scheme and port (`api.github.com` → `github.com`; GitHub Enterprise serves both from one
    /// host), and, for github.com's API only, `https://gist.github.com`.
    package static func github(apiURL: String) -> Set<WebOrigin> {
        guard let api = WebOrigin(apiURL) else { return [] }
        var origins: Set<WebOrigin> = [api]
        if api.host.hasPrefix("api."), api.host.count > 4 {
            origins.insert(WebOrigin(scheme: api.scheme, host: String(api.host.dropFirst(4)), port: api.port))
        }
        if api == WebOrigin(scheme: "https", host: "api.github.com", port: 443) {
            origins.insert(WebOrigin(scheme: "https", host: "gist.github.com", port: 443))
        }
        return origins
    }
}
