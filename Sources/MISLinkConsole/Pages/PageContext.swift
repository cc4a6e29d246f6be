/// What every page needs to know about the request beyond its own data: the session's CSRF token
/// (nil for a bearer-token caller, who may look but not use forms), the one-shot notice of a
/// Post-Redirect-Get, and the clock.
struct PageContext: Sendable {
    var csrfToken: String?
    /// `?notice=` after an action that worked.
    var notice: String?
    /// `?error=` after an action that was refused or failed.
    var error: String?
    /// Milliseconds since 1970.
    var now: Int64

    var canAct: Bool { csrfToken != nil }
}
