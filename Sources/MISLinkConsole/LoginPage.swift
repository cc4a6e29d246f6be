/// The sign-in form and the small signed-in page: plain HTML, no script, no inline style, so the
/// strict Content-Security-Policy holds. Every value is escaped.
enum LoginPage {
    static func signIn(message: String? = nil) -> String {
        let notice = message.map { "<p role=\"alert\">\(HTMLEscape.text($0))</p>\n" } ?? ""
        return page(
            title: "Sign in",
            body: """
                <h1>MISLink console</h1>
                \(notice)<form method="post" action="/login">
                <label for="token">Access token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required>
                <button type="submit">Sign in</button>
                </form>
                """)
    }

    /// `csrfToken` is the session's; a bearer caller has no session, so no sign-out form.
    static func signedIn(csrfToken: String?) -> String {
        let signOut = csrfToken.map {
            """
            <form method="post" action="/logout">
            <input type="hidden" name="csrf" value="\(HTMLEscape.text($0))">
            <button type="submit">Sign out</button>
            </form>
            """
        }
        return page(title: "MISLink console", body: "<h1>MISLink console</h1>\n<p>You are signed in.</p>\n" + (signOut ?? ""))
    }

    /// A short page that says what went wrong (no such page, a refused form), with a way back.
    static func notice(title: String, message: String) -> String {
        page(
            title: title,
            body: "<h1>\(HTMLEscape.text(title))</h1>\n<p>\(HTMLEscape.text(message))</p>\n<p><a href=\"/\">Back to the console</a></p>\n")
    }

    private static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark"><title>\(HTMLEscape.text(title))</title></head>
        <body><main>
        \(body)
        </main></body>
        </html>

        """
    }
}
