import Foundation

/// `timestamptz` in text format, both ways, by calendar arithmetic (no formatter, no locale): the
/// connection asks for ISO dates in UTC, and any offset the server still sends is applied.
enum PostgresTimestamp {
    /// `2026-12-01 17:04:06.123456+00`, to the microsecond.
    static func format(_ date: Date) -> String {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        let (days, microsOfDay) = floorDivide(micros, 86_400_000_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = microsOfDay / 1_000_000
        return String(
            format: "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld+00", year, month, day, seconds / 3600, seconds / 60 % 60,
            seconds % 60, microsOfDay % 1_000_000)
    }

    /// Reads the server's text form; nil when it is not one.
    static func parse(_ text: String) -> Date? {
        if text == "infinity" { return .distantFuture }
        if text == "-infinity" { return .distantPast }
        var scanner = Substring(text)
        var beforeChrist = false
        if scanner.hasSuffix(" BC") {
            beforeChrist = true
            scanner = scanner.dropLast(3)
        }
        guard let year = number(&scanner), take("-", &scanner), let month = number(&scanner), take("-", &scanner),
            let day = number(&scanner), take(" ", &scanner), let hour = number(&scanner), take(":", &scanner),
            let minute = number(&scanner), take(":", &scanner), let second = number(&scanner)
        else { return nil }
        var micros: Int64 = 0
        if take(".", &scanner) {
            let digits = scanner.prefix { $0.isASCII && $0.isNumber }
            scanner = scanner.dropFirst(digits.count)
            let padded = String((digits + "000000").prefix(6))
            micros = Int64(padded) ?? 0
        }
        var offsetSeconds: Int64 = 0
        if let sign = scanner.first, sign == "+" || sign == "-" {
            scanner = scanner.dropFirst()
            guard let hours = number(&scanner) else { return nil }
            var offset = hours * 3600
            if take(":", &scanner), let minutes = number(&scanner) { offset += minutes * 60 }
            if take(":", &scanner), let seconds = number(&scanner) { offset += seconds }
            offsetSeconds = sign == "+" ? offset : -offset
        }
        guard scanner.isEmpty, (1...12).contains(month), (1...31).contains(day) else { return nil }
        let days = self.days(fromCivil: beforeChrist ? 1 - year : year, month, day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + Double(micros) / 1_000_000)
    }

    private static func number(_ scanner: inout Substring) -> Int64? {
        let digits = scanner.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, let value = Int64(digits) else { return nil }
        scanner = scanner.dropFirst(digits.count)
        return value
    }

    private static func take(_ character: Character, _ scanner: inout Substring) -> Bool {
        guard scanner.first == character else { return false }
        scanner = scanner.dropFirst()
        return true
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar, and back (Howard Hinnant's algorithms).
    private static func days(fromCivil year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
