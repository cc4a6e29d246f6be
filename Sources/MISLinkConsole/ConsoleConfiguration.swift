import Foundation

/// How the console guards access. Every field has a default.
public struct ConsoleConfiguration: Sendable {
    /// Failed sign-ins (wrong token by form or bearer) an address may make per window before 429.
    public var maxFailedSignIns: Int
    public var signInWindowMilliseconds: Int64
    /// How long a browser session lasts from sign-in.
    public var sessionLifetimeMilliseconds: Int64
    public var maxSessions: Int
    /// Marks the session cookie `Secure`: for a console behind a TLS reverse proxy. Off by default,
    /// since the console itself speaks plain HTTP on loopback and a browser would drop the cookie.
    public var secureCookies: Bool
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the real client. Without one, every
    /// browser behind the proxy shares its address, and one mistyped token would lock them all out.
    public var trustedProxies: Set<String> = []
    /// Milliseconds since 1970; tests inject their own.
    public var clock: @Sendable () -> Int64

    public init(
        maxFailedSignIns: Int = 5, signInWindowMilliseconds: Int64 = 60_000,
        sessionLifetimeMilliseconds: Int64 = 12 * 3_600_000, maxSessions: Int = 1_000, secureCookies: Bool = false,
        clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.maxFailedSignIns = maxFailedSignIns
        self.signInWindowMilliseconds = signInWindowMilliseconds
        self.sessionLifetimeMilliseconds = sessionLifetimeMilliseconds
        self.maxSessions = maxSessions
        self.secureCookies = secureCookies
        self.clock = clock
    }
}
