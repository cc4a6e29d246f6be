import MISLinkKit

/// How an export writes its dates (config `date-format`): ISO `yyyy-MM-dd` by default, or a pattern
/// of `dd`/`d` (day), `MM`/`M` (month) and `yyyy` (year) with any separators between, such as
/// `dd/MM/yyyy` from a UK MIS. Each of day, month and year appears once. Parsed by hand: a
/// `DateFormatter` would read by the machine's locale and accept `31/02/2015` as 3 March.
public struct DateFormat: Sendable, Equatable {
    public let pattern: String
    private let parts: [Part]

    private enum Part: Equatable {
        case day, month, year
        case literal(Character)
    }

    public static let iso = DateFormat(checked: "yyyy-MM-dd", parts: [.year, .literal("-"), .month, .literal("-"), .day])

    private init(checked pattern: String, parts: [Part]) {
        self.pattern = pattern
        self.parts = parts
    }

    public init(_ pattern: String) throws {
        var parts: [Part] = []
        var rest = Substring(pattern)
        while let first = rest.first {
            let run = rest.prefix { $0 == first }
            switch (first, run.count) {
            case ("d", 1...2): parts.append(.day)
            case ("M", 1...2): parts.append(.month)
            case ("y", 4): parts.append(.year)
            case _ where first.isLetter:
                throw PluginError.permanent(
                    "csv: date-format '\(pattern)' has '\(run)', which is not a date part (use dd, MM and yyyy, e.g. dd/MM/yyyy)")
            default: run.forEach { parts.append(.literal($0)) }
            }
            rest = rest.dropFirst(run.count)
        }
        for part in [Part.day, .month, .year] where parts.filter({ $0 == part }).count != 1 {
            throw PluginError.permanent("csv: date-format '\(pattern)' needs each of dd, MM and yyyy exactly once")
        }
        self.init(checked: pattern, parts: parts)
    }

    /// The day `text` names, or nil when it does not fit the pattern or is no real day.
    public func date(_ text: String) -> CalendarDate? {
        var rest = Substring(text)
        var day = 0, month = 0, year = 0
        for part in parts {
            switch part {
            case .literal(let character):
                guard rest.first == character else { return nil }
                rest = rest.dropFirst()
            case .day, .month, .year:
                let most = part == .year ? 4 : 2
                let digits = rest.prefix { $0.isASCII && $0.isNumber }.prefix(most)
                guard !digits.isEmpty, part != .year || digits.count == 4, let value = Int(digits) else { return nil }
                switch part {
                case .day: day = value
                case .month: month = value
                default: year = value
                }
                rest = rest.dropFirst(digits.count)
            }
        }
        guard rest.isEmpty else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }
}
