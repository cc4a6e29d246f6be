import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkQueue
import Testing

struct AccessTests {
    static let form = ("Content-Type", "application/x-www-form-urlencoded")

    @Test("the API without a token answers 401 JSON; a page redirects to /login")
    func authRequired() async throws {
        let fixture = try ConsoleFixture()
        let api = await fixture.send("GET", "/api/jobs")
        #expect(api.status == 401)
        #expect(api.object["error"] as? String == "unauthorized")
        #expect(api.headers["WWW-Authenticate"] == "Bearer")
        let page = await fixture.send("GET", "/")
        #expect(page.status == 303)
        #expect(page.headers["Location"] == "/login")
    }

    @Test("a wrong bearer token, or another scheme, is refused")
    func wrongToken() async throws {
        let fixture = try ConsoleFixture()
        for value in ["Bearer " + String(repeating: "0", count: 64), "Bearer", "Basic \(ConsoleFixture.token)",
                      "Bearer \(ConsoleFixture.token)x"] {
            let response = await fixture.send("GET", "/api/jobs", headers: [("Authorization", value)], from: "10.0.0.\(value.count)")
            #expect(response.status == 401, "\(value)")
        }
        #expect(await fixture.api("GET", "/api/jobs").status == 200)
    }

    @Test("/healthz needs no token and says ok when the database opens")
    func health() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.send("GET", "/healthz")
        #expect(response.status == 200)
        #expect(response.text == "ok")
        try FileManager.default.removeItem(atPath: fixture.databasePath)
        #expect(await fixture.send("GET", "/healthz").status == 503)
    }

    @Test("/favicon.ico answers 204 with no token, so a browser's first request logs no error")
    func favicon() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.send("GET", "/favicon.ico")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        #expect(await fixture.send("POST", "/favicon.ico").status == 405)
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict session cookie that opens pages and the API")
    func loginAndLogout() async throws {
        let fixture = try ConsoleFixture()
        let loginPage = await fixture.send("GET", "/login")
        #expect(loginPage.status == 200)
        #expect(loginPage.text.contains(#"<form method="post" action="/login">"#))

        let response = await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=\(ConsoleFixture.token)".utf8))
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/")
        let setCookie = try #require(response.headers["Set-Cookie"])
        #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
        let cookie = String(try #require(setCookie.split(separator: ";").first))
        #expect(!cookie.contains(ConsoleFixture.token))

        #expect(await fixture.send("GET", "/", headers: [("Cookie", cookie)]).status == 200)
        #expect(await fixture.send("GET", "/api/jobs", headers: [("Cookie", cookie)]).status == 200)

        let csrf = try await fixture.csrfToken(cookie: cookie)
        let logout = await fixture.send("POST", "/logout", headers: [("Cookie", cookie), Self.form], body: Data("csrf=\(csrf)".utf8))
        #expect(logout.status == 303)
        #expect(logout.headers["Location"] == "/login")
        #expect(logout.headers["Set-Cookie"]?.contains("Max-Age=0") == true)
        #expect(await fixture.send("GET", "/api/jobs", headers: [("Cookie", cookie)]).status == 401)
        #expect(await fixture.send("GET", "/", headers: [("Cookie", cookie)]).status == 303)
    }

    @Test("a wrong token on the form shows the form again and sets no cookie")
    func wrongSignIn() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=nope".utf8))
        #expect(response.status == 401)
        #expect(response.headers["Set-Cookie"] == nil)
        #expect(response.text.contains("not the console token"))
    }

    @Test("a session ends when its lifetime is over")
    func sessionExpires() async throws {
        let fixture = try ConsoleFixture()
        let cookie = try await fixture.signIn()
        fixture.advance(milliseconds: 12 * 3_600_000 + 1)
        #expect(await fixture.send("GET", "/api/jobs", headers: [("Cookie", cookie)]).status == 401)
    }

    @Test("behind a trusted proxy, failed sign-ins count against the forwarded client, so others behind it can still sign in; an untrusted peer's X-Forwarded-For is ignored")
    func trustedProxy() async throws {
        let fixture = try ConsoleFixture(maxFailedSignIns: 2, trustedProxies: ["10.0.0.1"])
        let wrong = Data("token=nope".utf8), right = Data("token=\(ConsoleFixture.token)".utf8)
        func signIn(_ body: Data, from peer: String, forwarded: String) async -> Int {
            await fixture.send(
                "POST", "/login", headers: [Self.form, ("X-Forwarded-For", forwarded)], body: body, from: peer).status
        }
        // The client writes the first entry, the proxy appends the real address last.
        #expect(await signIn(wrong, from: "10.0.0.1", forwarded: "1.1.1.1, 203.0.113.5") == 401)
        #expect(await signIn(wrong, from: "10.0.0.1", forwarded: "2.2.2.2, 203.0.113.5") == 401)
        #expect(await signIn(right, from: "10.0.0.1", forwarded: "203.0.113.5") == 429)
        #expect(await signIn(right, from: "10.0.0.1", forwarded: "203.0.113.9") == 303)
        // A peer that is not a trusted proxy is counted as itself, whatever it forwards.
        #expect(await signIn(wrong, from: "10.9.9.9", forwarded: "198.51.100.1") == 401)
        #expect(await signIn(wrong, from: "10.9.9.9", forwarded: "198.51.100.2") == 401)
        #expect(await signIn(right, from: "10.9.9.9", forwarded: "198.51.100.3") == 429)
    }

    @Test("five failed sign-ins from one address get 429 (even with the right token), others are unaffected, and it lifts after a minute")
    func rateLimit() async throws {
        let fixture = try ConsoleFixture()
        for attempt in 1...5 {
            let response = await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=guess\(attempt)".utf8), from: "10.1.1.1")
            #expect(response.status == 401)
        }
        let right = Data("token=\(ConsoleFixture.token)".utf8)
        #expect(await fixture.send("POST", "/login", headers: [Self.form], body: right, from: "10.1.1.1").status == 429)
        let bearer = await fixture.send("GET", "/api/jobs", headers: [("Authorization", "Bearer \(ConsoleFixture.token)")], from: "10.1.1.1")
        #expect(bearer.status == 429)
        #expect(bearer.object["error"] as? String == "too-many-attempts")
        #expect(await fixture.send("POST", "/login", headers: [Self.form], body: right, from: "10.2.2.2").status == 303)
        fixture.advance(milliseconds: 60_001)
        #expect(await fixture.send("POST", "/login", headers: [Self.form], body: right, from: "10.1.1.1").status == 303)
    }

    @Test("wrong bearer tokens count as failed sign-ins")
    func bearerFailuresAreLimited() async throws {
        let fixture = try ConsoleFixture(maxFailedSignIns: 2)
        for _ in 1...2 {
            #expect(await fixture.send("GET", "/api/jobs", headers: [("Authorization", "Bearer wrong")], from: "10.3.3.3").status == 401)
        }
        #expect(await fixture.send("GET", "/api/jobs", headers: [("Authorization", "Bearer wrong")], from: "10.3.3.3").status == 429)
    }

    @Test("a cookie POST without a valid CSRF token gets 403 and changes nothing")
    func csrfRefused() async throws {
        let fixture = try ConsoleFixture()
        let cookie = try await fixture.signIn()
        let job = ["kind": "noop"]
        for headers in [[("Cookie", cookie)], [("Cookie", cookie), ("X-CSRF-Token", "0123")],
                        [("Cookie", cookie), ("X-CSRF-Token", String(repeating: "a", count: 64))]] {
            let response = await fixture.send(
                "POST", "/api/jobs", headers: headers + [("Content-Type", "application/json")],
                body: try JSONSerialization.data(withJSONObject: job))
            #expect(response.status == 403)
            #expect(response.object["error"] as? String == "csrf")
        }
        #expect(try JobStore(path: fixture.databasePath).jobs(matching: JobFilter()).isEmpty)
        #expect(await fixture.send("DELETE", "/api/jobs", headers: [("Cookie", cookie)]).status == 403)
        // A logout without one leaves the session open.
        #expect(await fixture.send("POST", "/logout", headers: [("Cookie", cookie)]).status == 403)
        #expect(await fixture.send("GET", "/api/jobs", headers: [("Cookie", cookie)]).status == 200)
    }

    @Test("a cookie POST with its session's CSRF token, by header or form field, is accepted")
    func csrfAccepted() async throws {
        let fixture = try ConsoleFixture()
        let cookie = try await fixture.signIn()
        let csrf = try await fixture.csrfToken(cookie: cookie)
        let response = await fixture.send(
            "POST", "/api/jobs", headers: [("Cookie", cookie), ("X-CSRF-Token", csrf), ("Content-Type", "application/json")],
            body: Data(#"{"kind": "noop"}"#.utf8))
        #expect(response.status == 201)
        // Another session's token does not do.
        let other = try await fixture.signIn()
        let otherCSRF = try await fixture.csrfToken(cookie: other)
        #expect(otherCSRF != csrf)
        let crossed = await fixture.send(
            "POST", "/api/jobs", headers: [("Cookie", cookie), ("X-CSRF-Token", otherCSRF)], body: Data(#"{"kind": "noop"}"#.utf8))
        #expect(crossed.status == 403)
        let logout = await fixture.send("POST", "/logout", headers: [("Cookie", cookie), Self.form], body: Data("csrf=\(csrf)".utf8))
        #expect(logout.status == 303)
    }

    @Test("a bearer POST needs no CSRF token")
    func bearerPostWithoutCSRF() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("POST", "/api/jobs", json: ["kind": "noop"])
        #expect(response.status == 201)
        #expect(try JobStore(path: fixture.databasePath).jobs(matching: JobFilter()).count == 1)
    }

    @Test("every answer carries the security headers, signed in or not")
    func securityHeaders() async throws {
        let fixture = try ConsoleFixture()
        let responses = [
            await fixture.send("GET", "/healthz"), await fixture.send("GET", "/login"), await fixture.send("GET", "/api/jobs"),
            await fixture.api("GET", "/api/jobs"), await fixture.api("GET", "/api/nothing"), await fixture.send("GET", "/"),
        ]
        for response in responses {
            #expect(response.headers["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'")
            #expect(response.headers["X-Content-Type-Options"] == "nosniff")
            #expect(response.headers["Referrer-Policy"] == "no-referrer")
            #expect(response.headers["Cache-Control"] == "no-store")
        }
    }

    @Test("no answer's body or headers holds the token")
    func tokenNeverShown() async throws {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let cookie = try await fixture.signIn()
        var responses: [HTTPResponse] = []
        for path in ["/", "/login", "/healthz", "/api/jobs", "/api/integrations", "/api/integrations/oak", "/api/intake", "/nothing"] {
            responses.append(await fixture.api("GET", path))
            responses.append(await fixture.send("GET", path, headers: [("Cookie", cookie)]))
            responses.append(await fixture.send("GET", path))
        }
        responses.append(await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=\(ConsoleFixture.token)".utf8)))
        responses.append(await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=\(ConsoleFixture.token)0".utf8)))
        for response in responses {
            #expect(!response.text.contains(ConsoleFixture.token))
            for field in response.headers { #expect(!field.value.contains(ConsoleFixture.token)) }
        }
    }

    @Test("a page that shows a value from the request escapes it")
    func pageEscapes() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("GET", "/<img src=x onerror=alert(1)>")
        #expect(response.status == 404)
        #expect(!response.text.contains("<img"))
        #expect(response.text.contains("&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test("behind a TLS proxy the session cookie can be marked Secure")
    func secureCookie() async throws {
        let fixture = try ConsoleFixture(secureCookies: true)
        let response = await fixture.send("POST", "/login", headers: [Self.form], body: Data("token=\(ConsoleFixture.token)".utf8))
        #expect(response.headers["Set-Cookie"]?.hasSuffix("; Secure") == true)
    }

    @Test("fifty requests at once, reads and writes, are all answered")
    func concurrentRequests() async throws {
        let fixture = try ConsoleFixture()
        let statuses = await withTaskGroup(of: Int.self) { group in
            for index in 0..<50 {
                group.addTask {
                    index.isMultiple(of: 2)
                        ? await fixture.api("POST", "/api/jobs", json: ["kind": "noop"]).status
                        : await fixture.api("GET", "/api/jobs").status
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 201 }.count == 25)
        #expect(statuses.filter { $0 == 200 }.count == 25)
        #expect(try JobStore(path: fixture.databasePath).jobs(matching: JobFilter(limit: 100)).count == 25)
    }

    @Test("a bearer caller's page has no sign-out form, since it has no session")
    func bearerPageHasNoForm() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("GET", "/")
        #expect(response.status == 200)
        #expect(!response.text.contains("/logout"))
    }

    @Test("a path answers only its methods, with Allow")
    func methodNotAllowed() async throws {
        let fixture = try ConsoleFixture()
        let response = await fixture.api("DELETE", "/api/jobs")
        #expect(response.status == 405)
        #expect(response.headers["Allow"] == "GET, POST")
        #expect(response.object["error"] as? String == "method-not-allowed")
        #expect(await fixture.api("GET", "/api/jobs/1/retry").status == 405)
        #expect(await fixture.send("GET", "/logout", headers: [("Authorization", "Bearer \(ConsoleFixture.token)")]).status == 405)
    }
}
