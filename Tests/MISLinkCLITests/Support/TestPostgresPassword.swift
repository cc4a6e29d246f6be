import Foundation

/// The test server's URL always carries a password, so a test can grep for it: `.ci/with-postgres`
/// gives one; a passwordless URL (trust auth, where any password is ignored) gets a made-up one.
enum TestPostgresPassword {
    static func ensure(_ url: String) -> (url: String, password: String) {
        let scheme = url.range(of: "://")!
        let authority = url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            if let colon = userInfo.firstIndex(of: ":"), userInfo.index(after: colon) < userInfo.endIndex {
                return (url, String(userInfo[userInfo.index(after: colon)...]))
            }
            let made = "pw-unused-\(UInt32.random(in: 0...UInt32.max))"
            return (url.replacingCharacters(in: userInfo.endIndex..<userInfo.endIndex, with: ":" + made), made)
        }
        let made = "pw-unused-\(UInt32.random(in: 0...UInt32.max))"
        return (url.replacingCharacters(in: scheme.upperBound..<scheme.upperBound, with: "postgres:\(made)@"), made)
    }
}
