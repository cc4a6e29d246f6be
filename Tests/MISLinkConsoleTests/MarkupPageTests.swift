import Foundation
import MISLinkConsole
import MISLinkHTTP
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// What every page shares: the CSP holds (no inline script or style), landmarks, labels, `th
/// scope`, the nav, HEAD like GET, 404 and 405.
struct MarkupPageTests {
    static let pages = ["/", "/jobs", "/jobs?state=failed", "/queues", "/integrations", "/integrations/oak", "/intake"]

    static func seeded() async throws -> (ConsoleFixture, Int64) {
        let fixture = try ConsoleFixture()
        try fixture.addIntegration()
        let id = try await fixture.runToEnd(kind: "noop", payload: #"{"fail": "permanent"}"#)
        try fixture.store.sendToIntake(integration: "oak", role: .pupil, misID: "M1", name: "Ada", record: "{}", reason: "no match", now: 1)
        return (fixture, id)
    }

    @Test("every page: no inline script or style, the stylesheet, a skip link, labelled inputs, scoped headers")
    func cleanMarkup() async throws {
        let (fixture, id) = try await Self.seeded()
        let session = try await PageSession(fixture)
        for path in Self.pages + ["/jobs/\(id)"] {
            let components = URLComponents(string: path)!
            var query: [String: [String]] = [:]
            for item in components.queryItems ?? [] { query[item.name] = [item.value ?? ""] }
            let page = await session.get(components.path, query: query)
            #expect(page.status == 200, "\(path)")
            expectCleanPage(page, "\(path)")
            let html = page.text
            #expect(html.contains(##"<a class="skip" href="#main">"##), "\(path)")
            #expect(html.contains(#"<link rel="stylesheet" href="/assets/console-\#(MISLinkVersion.current).css">"#), "\(path)")
            #expect(html.contains("<header>") && html.contains("<nav aria-label=\"Console\">"), "\(path)")
            #expect(!html.contains("<th>"), "every header cell has a scope: \(path)")
            #expect(html.components(separatedBy: "aria-current=\"page\"").count > 1, "\(path)")
            for form in html.components(separatedBy: "<form ").dropFirst() where form.contains("method=\"post\"") {
                let body = form.components(separatedBy: "</form>")[0]
                #expect(body.contains(#"<input type="hidden" name="csrf" value="\#(session.csrf)">"#), "\(path): \(body.prefix(80))")
            }
            for id in Self.controlIDs(html) { #expect(html.contains("for=\"\(id)\""), "\(path): control \(id) has a label") }
        }
    }

    /// The ids of text inputs and selects: each needs a `<label for>`. Hidden fields need none;
    /// checkboxes and radios sit inside their label.
    static func controlIDs(_ html: String) -> [String] {
        var ids: [String] = []
        for part in html.components(separatedBy: "<").dropFirst() where part.hasPrefix("input ") || part.hasPrefix("select ") {
            let tag = String(part.prefix { $0 != ">" })
            if tag.contains("type=\"hidden\"") || tag.contains("type=\"checkbox\"") || tag.contains("type=\"radio\"") { continue }
            guard let start = tag.range(of: "id=\"")?.upperBound else {
                ids.append("(no id in \(tag))")
                continue
            }
            ids.append(String(tag[start...].prefix { $0 != "\"" }))
        }
        return ids
    }

    @Test("the changes report is its own page, asking the target")
    func changesPage() async throws {
        let (fixture, _) = try await Self.seeded()
        let session = try await PageSession(fixture)
        let page = await session.get("/integrations/oak/changes")
        expectCleanPage(page)
        #expect(page.status == 200, "\(page.text)")
        #expect(page.text.contains("the target holds no edits the MIS does not have."))
        #expect(await session.get("/integrations/ghost/changes").status == 404)
    }

    @Test("HEAD answers like GET: the same status and headers (the server sends no body)")
    func head() async throws {
        let (fixture, _) = try await Self.seeded()
        let session = try await PageSession(fixture)
        for path in ["/", "/jobs", "/queues", "/integrations/oak", "/intake", "/nothing"] {
            let get = await session.get(path)
            let head = await fixture.send("HEAD", path, headers: [("Cookie", session.cookie)])
            #expect(head.status == get.status, "\(path)")
            #expect(head.headers["Content-Type"] == get.headers["Content-Type"], "\(path)")
        }
        #expect(await fixture.send("HEAD", "/login").status == 200)
        #expect(await fixture.send("HEAD", "/healthz").status == 200)
    }

    @Test("an unknown page is a 404 page in the shell; a wrong method is 405 with Allow")
    func notFoundAndMethods() async throws {
        let (fixture, id) = try await Self.seeded()
        let session = try await PageSession(fixture)
        let missing = await session.get("/nowhere/<b>")
        #expect(missing.status == 404)
        expectCleanPage(missing)
        #expect(missing.text.contains("There is no page at /nowhere/&lt;b&gt;."))
        let postPage = await session.post("/jobs")
        #expect(postPage.status == 405)
        #expect(postPage.headers["Allow"] == "GET, HEAD")
        let getAction = await session.get("/jobs/\(id)/retry")
        #expect(getAction.status == 405)
        #expect(getAction.headers["Allow"] == "POST")
        #expect(try fixture.job(id)?.state == .failed)
    }

    @Test("the stylesheet is served to anyone, versioned and cached, with light and dark themes and visible focus")
    func stylesheet() async throws {
        let fixture = try ConsoleFixture()
        let css = await fixture.send("GET", "/assets/console-\(MISLinkVersion.current).css")
        #expect(css.status == 200)
        #expect(css.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(css.headers["Cache-Control"] == "public, max-age=31536000, immutable")
        #expect(css.headers["Content-Security-Policy"] == "default-src 'self'; frame-ancestors 'none'")
        #expect(css.text.contains("@media (prefers-color-scheme: dark)"))
        #expect(css.text.contains(":focus-visible"))
        #expect(await fixture.send("GET", "/assets/console-0.0.0.css").status == 303, "another version is no asset")
        let login = await fixture.send("GET", "/login")
        expectCleanPage(login)
    }
}
