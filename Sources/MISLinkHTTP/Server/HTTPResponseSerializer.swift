import Foundation
import Glibc

/// Turns a handler's response into bytes on the wire, adding the headers the server owns.
enum HTTPResponseSerializer {
    /// Headers only the server may set: a handler's own copies are dropped, so the framing is always ours.
    /// `Server` is never sent: a version number only helps an attacker.
    private static let serverOwned: Set<String> = ["content-length", "date", "connection", "transfer-encoding", "server"]

    static func serialize(_ response: HTTPResponse, headOnly: Bool, keepAlive: Bool, now: time_t = time(nil)) -> [UInt8] {
        let status = (100...999).contains(response.status) ? response.status : 500
        // 1xx, 204 and 304 never carry a body or its length (RFC 9110 §8.6).
        let bodyless = status < 200 || status == 204 || status == 304
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(status))\r\n"
        for field in response.headers where !serverOwned.contains(field.name.lowercased()) {
            guard field.name.utf8.allSatisfy(\.isTokenCharacter), !field.name.isEmpty else { continue }
            // A CR or LF in a value would let data from a handler split the response: blank them.
            let value = String(field.value.unicodeScalars.map { $0.value < 0x20 && $0 != "\t" ? " " : Character($0) })
            head += "\(field.name): \(value)\r\n"
        }
        head += "Date: \(httpDate(now))\r\n"
        if !bodyless { head += "Content-Length: \(response.body.count)\r\n" }
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        var bytes = Array(head.utf8)
        if !headOnly && !bodyless { bytes.append(contentsOf: response.body) }
        return bytes
    }

    /// The IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`), made by hand: DateFormatter is neither
    /// cheap nor Sendable.
    static func httpDate(_ seconds: time_t) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
