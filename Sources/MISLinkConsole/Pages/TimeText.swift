import Foundation
import MISLinkRunner

/// Times and ages as the pages show them: a time in a named zone (the school's, else UTC), an age
/// from now.
enum TimeText {
    static func local(_ milliseconds: Int64?, zone: TimeZone) -> String {
        guard let milliseconds else { return "—" }
        return formatter("yyyy-MM-dd HH:mm zzz", zone: zone).string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }

    /// A fixed-locale formatter in `zone`; UTC is written "UTC" (the zone's own abbreviation is "GMT",
    /// which a reader in London would take for local time).
    static func formatter(_ format: String, zone: TimeZone) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = ["UTC", "GMT", "Etc/UTC", "Etc/GMT"].contains(zone.identifier) ? format.replacingOccurrences(of: "zzz", with: "'UTC'") : format
        return formatter
    }

    static func utc(_ milliseconds: Int64?) -> String { local(milliseconds, zone: utcZone) }

    static func age(since milliseconds: Int64?, now: Int64) -> String {
        guard let milliseconds else { return "—" }
        return DurationText.format(milliseconds: max(0, now - milliseconds))
    }

    static let utcZone = TimeZone(identifier: "UTC")!

    static func zone(_ identifier: String) -> TimeZone { TimeZone(identifier: identifier) ?? utcZone }
}
