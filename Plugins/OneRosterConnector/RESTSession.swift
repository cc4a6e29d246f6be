import Foundation
import MISLinkHTTPClient
import MISLinkKit

/// Signs in to the REST binding with OAuth2 client credentials and hands out a client that carries
/// the access token, fetching a new token shortly before the old one expires.
actor RESTSession {
    private let settings: RESTSettings
    private var current: (client: HTTPClient, renewAt: Date)?

    init(settings: RESTSettings) { self.settings = settings }

    /// What a token endpoint answers (RFC 6749 section 5.1).
    private struct TokenAnswer: Decodable {
        let access_token: String
        let expires_in: Double?
    }

    /// A client for the roster's base URL with a valid bearer token.
    func client(context: PluginContext) async throws -> HTTPClient {
        if let current, current.renewAt > Date() { return current.client }
        let token = try await fetchToken(context: context)
        let client = HTTPClient(
            service: "OneRoster", baseURL: settings.baseURL, headers: ["Authorization": "Bearer \(token.access_token)"],
            secrets: [settings.clientSecret, token.access_token])
        // A minute's margin, so a token never runs out in the middle of a page.
        current = (client, Date().addingTimeInterval(max(0, (token.expires_in ?? 3600) - 60)))
        return client
    }

    private func fetchToken(context: PluginContext) async throws -> TokenAnswer {
        let endpoint = HTTPClient(service: "the OneRoster token endpoint", baseURL: settings.tokenURL, secrets: [settings.clientSecret])
        var fields = [("grant_type", "client_credentials")]
        if let scope = settings.scope { fields.append(("scope", scope)) }
        var headers: [String: String] = [:]
        switch settings.clientAuth {
        case .basic:
            // RFC 6749 2.3.1: both parts form-encoded before they are joined.
            headers["Authorization"] = HTTPClient.basicAuthorization(
                user: Self.formEncoded(settings.clientID), password: Self.formEncoded(settings.clientSecret))
        case .form:
            fields += [("client_id", settings.clientID), ("client_secret", settings.clientSecret)]
        }
        var request = HTTPRequest.form(settings.tokenURL.absoluteString, fields, headers: headers)
        // OAuth2 servers refuse bad client credentials with 400 invalid_client as often as with 401.
        request.accept = [400]
        let response = try await endpoint.send(request, context: context)
        if response.status == 400 {
            let reason = (try? response.decode([String: JSONValue].self))?["error"]?.text ?? "bad request"
            throw PluginError.permanent(
                "credentials refused by the OneRoster token endpoint (400 \(reason) on POST \(settings.tokenURL.path)); check client-id, client-secret and client-auth")
        }
        return try response.decode(TokenAnswer.self)
    }

    private static func formEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
