import Foundation

/// The `Retry-After` header (RFC 9110 §10.2.3): delta-seconds, or an HTTP-date in any of its three
/// forms. Parsed by hand with a fixed English calendar, so no locale can misread a month name.
public enum RetryAfter {
    public static func date(from value: String, now: Date = Date()) -> Date? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let seconds = Double(text) {
            return now.addingTimeInterval(seconds)
        }
        return httpDate(text)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT`,
    /// asctime `Sun Nov  6 08:49:37 1994`.
    static func httpDate(_ text: String) -> Date? {
        let words = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        var day: Int?, month: Int?, year: Int?, clock: [Int]?
        for word in words {
            if word.contains(":") {
                let parts = word.split(separator: ":").compactMap { Int($0) }
                if parts.count == 3 { clock = parts }
            } else if word.contains("-") {
                // RFC 850's 06-Nov-94
                let parts = word.split(separator: "-").map(String.init)
                guard parts.count == 3, let d = Int(parts[0]), let m = monthNumber(parts[1]), let y = Int(parts[2]) else {
                    return nil
                }
                (day, month, year) = (d, m, y < 100 ? (y < 70 ? 2000 + y : 1900 + y) : y)
            } else if let m = monthNumber(word) {
                month = m
            } else if let number = Int(word) {
                if number > 31 { year = number } else { day = number }
            }
        }
        guard let day, let month, let year, let clock, (1...31).contains(day), clock[0] < 24, clock[1] < 60, clock[2] < 61
        else { return nil }
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (clock[0], clock[1], clock[2])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "GMT")!
        return calendar.date(from: components)
    }

    private static func monthNumber(_ word: String) -> Int? {
        guard word.count == 3 else { return nil }
        return months.firstIndex(of: word.lowercased()).map { $0 + 1 }
    }
}
