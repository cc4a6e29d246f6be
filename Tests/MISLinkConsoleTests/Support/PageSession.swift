import Foundation
import MISLinkHTTP
import Testing

/// A signed-in browser over a `ConsoleFixture`: it sends its cookie, posts forms with its CSRF
/// token and follows a Post-Redirect-Get answer.
struct PageSession {
    let fixture: ConsoleFixture
    let cookie: String
    let csrf: String

    init(_ fixture: ConsoleFixture) async throws {
        self.fixture = fixture
        cookie = try await fixture.signIn()
        csrf = try await fixture.csrfToken(cookie: cookie)
    }

    func get(_ path: String, query: [String: [String]] = [:]) async -> HTTPResponse {
        await fixture.send("GET", path, query: query, headers: [("Cookie", cookie)])
    }

    /// Posts `fields` (with the session's CSRF token unless `csrf` is false).
    func post(_ path: String, _ fields: [(String, String)] = [], csrf withToken: Bool = true) async -> HTTPResponse {
        let all = (withToken ? [("csrf", csrf)] : []) + fields
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return await fixture.send(
            "POST", path, headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")], body: Data(body.utf8))
    }

    /// Posts, expects a redirect, and loads the page it names.
    func postAndFollow(_ path: String, _ fields: [(String, String)] = []) async throws -> HTTPResponse {
        let answer = await post(path, fields)
        #expect(answer.status == 303, "\(answer.text)")
        return await follow(try #require(answer.headers["Location"]))
    }

    /// Loads a `Location` as the server would parse it: path and percent-decoded query.
    func follow(_ location: String) async -> HTTPResponse {
        let components = URLComponents(string: location)
        var query: [String: [String]] = [:]
        for item in components?.queryItems ?? [] { query[item.name, default: []].append(item.value ?? "") }
        return await get(components?.path ?? location, query: query)
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The query parameter `name` of a redirect's `Location`.
    static func parameter(_ name: String, of response: HTTPResponse) -> String? {
        guard let location = response.headers["Location"] else { return nil }
        return URLComponents(string: location)?.queryItems?.first { $0.name == name }?.value
    }
}

/// What every console page must be: valid-looking HTML5 with no inline script or style (the CSP
/// forbids them), the stylesheet linked, and its landmarks.
func expectCleanPage(_ response: HTTPResponse, _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    let html = response.text
    #expect(response.headers["Content-Type"] == "text/html; charset=utf-8", comment, sourceLocation: sourceLocation)
    #expect(html.hasPrefix("<!doctype html>"), comment, sourceLocation: sourceLocation)
    #expect(!html.contains("<script"), comment, sourceLocation: sourceLocation)
    #expect(!html.contains("<style"), comment, sourceLocation: sourceLocation)
    #expect(!html.contains("style="), comment, sourceLocation: sourceLocation)
    #expect(html.contains("<main id=\"main\">"), comment, sourceLocation: sourceLocation)
}
