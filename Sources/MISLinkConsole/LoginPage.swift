/// The sign-in form and the short notice page (no such page, a refused form): plain HTML, no
/// script, no inline style, so the strict Content-Security-Policy holds. Every value is escaped.
enum LoginPage {
    static func signIn(message: String? = nil) -> String {
        let notice = message.map { "<p class=\"notice error\" role=\"alert\">✗ \(HTMLEscape.text($0))</p>\n" } ?? ""
        return Layout.document(
            title: "Sign in · MISLink",
            body: """
                <main id="main">
                <h1>MISLink console</h1>
                \(notice)<form method="post" action="/login">
                <label for="token">Access token</label>
                <input id="token" name="token" type="password" autocomplete="current-password" required>
                <button type="submit">Sign in</button>
                </form>
                </main>
                """)
    }

    /// A short page that says what went wrong, with a way back.
    static func notice(title: String, message: String) -> String {
        Layout.document(
            title: title + " · MISLink",
            body: """
                <main id="main">
                <h1>\(HTMLEscape.text(title))</h1>
                <p>\(HTMLEscape.text(message))</p>
                <p><a href="/">Back to the console</a></p>
                </main>
                """)
    }
}
