import Foundation
import MISLinkHTTP
import MISLinkRunner
import MISLinkSync

/// The admin console as a pure request handler: the HTTP server calls `handle` for each request.
/// It decides access (bearer token or session cookie, CSRF on cookie POSTs, rate-limited sign-ins),
/// adds the security headers to every answer and routes to the JSON API, which calls the service
/// layer: the console obeys the same rules as the command line.
public final class Console: Sendable {
    /// The session cookie's name.
    public static let sessionCookie = "mislink_session"

    let jobs: JobAdmin
    let integrations: IntegrationService
    private let token: String
    private let configuration: ConsoleConfiguration
    let sessions: SessionStore
    private let limiter: SignInLimiter

    /// `token` is the console token's value (`ConsoleToken.value`); it is never shown in an answer.
    /// `handlers` check enqueued payloads, as the workers' registry would (default: the sync kinds').
    public init(
        environment: SyncEnvironment, handlers: HandlerRegistry? = nil, token: String,
        configuration: ConsoleConfiguration = ConsoleConfiguration()
    ) {
        self.jobs = JobAdmin(environment: environment, handlers: handlers ?? SyncHandlers.registry(environment: environment))
        self.integrations = IntegrationService(environment: environment)
        self.token = token
        self.configuration = configuration
        self.sessions = SessionStore(
            lifetimeMilliseconds: configuration.sessionLifetimeMilliseconds, maxSessions: configuration.maxSessions)
        self.limiter = SignInLimiter(
            limit: configuration.maxFailedSignIns, windowMilliseconds: configuration.signInWindowMilliseconds)
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        var response = await route(request)
        Self.addSecurityHeaders(&response)
        return response
    }

    // MARK: - Access

    /// Who is asking, as far as the console can tell.
    enum Access {
        case bearer
        case session(id: String, csrfToken: String)
        case anonymous
        case wrongToken
        case limited
    }

    private func authenticate(_ request: HTTPRequest, now: Int64) -> Access {
        if let authorization = request.headers["Authorization"] {
            guard limiter.isLimited(client(of: request), now: now) == false else { return .limited }
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].caseInsensitiveCompare("Bearer") == .orderedSame,
                ConstantTime.equal(parts[1].trimmingCharacters(in: .whitespaces), token)
            {
                return .bearer
            }
            limiter.recordFailure(client(of: request), now: now)
            return .wrongToken
        }
        if let id = Cookies.value(Self.sessionCookie, in: request.headers["Cookie"]),
            let session = sessions.session(id, now: now)
        {
            return .session(id: id, csrfToken: session.csrfToken)
        }
        return .anonymous
    }

    /// Who failed sign-ins are counted against: the peer, or behind a trusted proxy the address it
    /// forwarded (the last in `X-Forwarded-For`, the one the proxy itself added; earlier ones the
    /// client could have written).
    private func client(of request: HTTPRequest) -> String {
        guard configuration.trustedProxies.contains(request.clientAddress),
            let forwarded = request.headers["X-Forwarded-For"]?.split(separator: ",").last?
                .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty
        else { return request.clientAddress }
        return forwarded
    }

    /// The CSRF token a cookie-authenticated change carries: the `X-CSRF-Token` header, or a form's
    /// `csrf` field.
    private static func csrfToken(of request: HTTPRequest) -> String? {
        if let header = request.headers["X-CSRF-Token"] { return header }
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        guard type.hasPrefix("application/x-www-form-urlencoded") else { return nil }
        return FormBody(request.body)["csrf"]
    }

    // MARK: - Routing

    private func route(_ request: HTTPRequest) async -> HTTPResponse {
        let now = configuration.clock()
        switch request.path {
        case "/healthz":
            guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: false) }
            return await health()
        case "/favicon.ico":
            // Browsers ask for it on every first page; a 404 would be a console error for each admin.
            guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: false) }
            var response = HTTPResponse(status: 204)
            response.headers.set("Cache-Control", "public, max-age=86400")
            return response
        case ConsoleStylesheet.path:
            // Before the token check: the sign-in page needs it too, and it holds nothing private.
            guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: false) }
            var response = HTTPResponse(
                status: 200, headers: HTTPHeaders([("Content-Type", "text/css; charset=utf-8")]), body: Data(ConsoleStylesheet.text.utf8))
            response.headers.set("Cache-Control", "public, max-age=31536000, immutable")
            return response
        case "/login":
            switch request.method {
            case "GET", "HEAD": return .html(200, LoginPage.signIn())
            case "POST": return signIn(request, now: now)
            default: return Self.notAllowed(["GET", "HEAD", "POST"], api: false)
            }
        default:
            break
        }
        // /metrics answers like the API (401, not a sign-in page): Prometheus sends the bearer token.
        let isAPI = request.path == "/api" || request.path.hasPrefix("/api/") || request.path == "/metrics"
        let access = authenticate(request, now: now)
        if let refusal = Self.refusal(access, request, isAPI: isAPI) { return refusal }
        if request.path == "/metrics" {
            guard request.isRead else { return Self.notAllowed(["GET", "HEAD"], api: true) }
            return await metrics()
        }
        return isAPI ? await api(request) : await page(request, access: access)
    }

    /// Why this caller may not have this, or nil when it may.
    private static func refusal(_ access: Access, _ request: HTTPRequest, isAPI: Bool) -> HTTPResponse? {
        switch access {
        case .limited:
            return isAPI
                ? APIError(429, "too-many-attempts", "too many failed sign-ins from this address; wait a minute").response
                : .html(429, LoginPage.signIn(message: "Too many failed sign-ins from this address; wait a minute."))
        case .anonymous, .wrongToken:
            guard isAPI else { return redirect("/login") }
            var response = APIError(401, "unauthorized", "this needs the console token: send 'Authorization: Bearer TOKEN'").response
            response.headers.set("WWW-Authenticate", "Bearer")
            return response
        // Anything but a read needs the token, so no method slips past it (only POST changes things).
        case .session(_, let expected) where !request.isRead:
            if let given = csrfToken(of: request), ConstantTime.equal(given, expected) { return nil }
            let message = "this form or request has no valid CSRF token; reload the page and try again"
            return isAPI ? APIError(403, "csrf", message).response : .html(403, LoginPage.notice(title: "Refused", message: message))
        case .bearer, .session:
            return nil
        }
    }

    /// `POST /login` with the form field `token`: a session cookie, or the form again.
    private func signIn(_ request: HTTPRequest, now: Int64) -> HTTPResponse {
        guard !limiter.isLimited(client(of: request), now: now) else {
            return .html(429, LoginPage.signIn(message: "Too many failed sign-ins from this address; wait a minute."))
        }
        guard let given = FormBody(request.body)["token"], ConstantTime.equal(given, token) else {
            limiter.recordFailure(client(of: request), now: now)
            return .html(401, LoginPage.signIn(message: "That is not the console token."))
        }
        let (id, _) = sessions.open(now: now)
        var response = Self.redirect("/")
        let secure = configuration.secureCookies ? "; Secure" : ""
        response.headers.add("Set-Cookie", "\(Self.sessionCookie)=\(id); HttpOnly; SameSite=Strict; Path=/\(secure)")
        return response
    }

    /// Prometheus text format 0.0.4, read from a handful of rows (counters, index seeks), never a
    /// scan of the jobs.
    private func metrics() async -> HTTPResponse {
        let jobs = self.jobs
        let page = await BlockingWork.run { () -> Result<String, SyncError> in
            do throws(SyncError) { return .success(try jobs.metrics()) } catch { return .failure(error) }
        }
        switch page {
        case .success(let text):
            return HTTPResponse(status: 200, headers: HTTPHeaders([("Content-Type", MetricsReport.contentType)]), body: Data(text.utf8))
        case .failure(let error):
            return APIError(500, "failed", error.message).response
        }
    }

    /// 200 `ok` when the database opens and its tables read; says nothing more to a caller without
    /// the token.
    private func health() async -> HTTPResponse {
        let integrations = self.integrations
        let healthy = await BlockingWork.run { (try? integrations.integrations()) != nil }
        return healthy ? .text(200, "ok") : .text(503, "unavailable: the queue's database cannot be read")
    }

    // MARK: - Answers

    static func redirect(_ location: String) -> HTTPResponse {
        var response = HTTPResponse(status: 303)
        response.headers.set("Location", location)
        return response
    }

    static func notAllowed(_ methods: [String], api: Bool) -> HTTPResponse {
        let message = "this path answers \(methods.joined(separator: ", ")) only"
        var response = api ? APIError(405, "method-not-allowed", message).response : .text(405, message)
        response.headers.set("Allow", methods.joined(separator: ", "))
        return response
    }

    /// On every answer, signed in or not.
    private static func addSecurityHeaders(_ response: inout HTTPResponse) {
        response.headers.set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "no-referrer")
        // The versioned stylesheet sets its own; everything else is live data.
        if response.headers["Cache-Control"] == nil { response.headers.set("Cache-Control", "no-store") }
    }
}

extension HTTPRequest {
    /// GET or HEAD: a read, which needs no CSRF token. The server sends a HEAD answer without its body.
    var isRead: Bool { method == "GET" || method == "HEAD" }
}
