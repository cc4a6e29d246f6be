import Foundation
import MISLinkRunner

/// Times and ages as the pages show them: a time in a named zone (the school's, else UTC), an age
/// from now.
enum TimeText {
    static func local(_ milliseconds: Int64?, zone: TimeZone) -> String {
        guard let milliseconds else { return "—" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = "yyyy-MM-dd HH:mm zzz"
        return formatter.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    static func utc(_ milliseconds: Int64?) -> String { local(milliseconds, zone: utcZone) }

    static func age(since milliseconds: Int64?, now: Int64) -> String {
        guard let milliseconds else { return "—" }
        return DurationText.format(milliseconds: max(0, now - milliseconds))
    }

    static let utcZone = TimeZone(identifier: "UTC")!

    static func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier) ?? utcZone }
}
