/// The shell every console page shares: landmarks (header, nav, main), a skip link, the nav with
/// `aria-current`, the Post-Redirect-Get notice, and the stylesheet. No script, no inline style.
enum Layout {
    enum Section: String, CaseIterable, Sendable {
        case overview, jobs, queues, integrations, intake, plans

        var path: String { self == .overview ? "/" : "/" + rawValue }
        var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
    }

    static func page(title: String, section: Section?, context: PageContext, body: String) -> String {
        var nav = "<nav aria-label=\"Console\"><ul>"
        for item in Section.allCases {
            nav += "<li>\(HTML.link(item.path, text: item.title, current: item == section))</li>"
        }
        nav += "</ul></nav>"
        let signOut =
            context.csrfToken.map {
                "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"csrf\" value=\"\(HTML.esc($0))\"><button type=\"submit\">Sign out</button></form>"
            } ?? "<p class=\"muted\">Viewing with the bearer token: sign in on <a href=\"/login\">/login</a> to use the forms.</p>"
        var notices = ""
        if let notice = context.notice {
            notices += "<p class=\"notice\" role=\"status\">✓ \(HTML.esc(notice))</p>\n"
        }
        if let error = context.error {
            notices += "<p class=\"notice error\" role=\"alert\">✗ \(HTML.esc(error))</p>\n"
        }
        return document(
            title: title + " · MISLink",
            body: """
                <a class="skip" href="#main">Skip to the content</a>
                <header><span class="brand">MISLink console</span>
                \(nav)
                \(signOut)
                </header>
                <main id="main">
                <h1>\(HTML.esc(title))</h1>
                \(notices)\(body)
                </main>
                """)
    }

    /// A page outside the signed-in shell (sign-in, not found): the same head, no nav.
    static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><title>\(HTML.esc(title))</title>
        <link rel="stylesheet" href="\(ConsoleStylesheet.path)"></head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
