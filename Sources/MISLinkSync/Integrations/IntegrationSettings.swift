import Foundation
import MISLinkKit

/// What an integration shares and how (seed rules: lawful basis, field selection, new records,
/// the nightly schedule, the mass-leaver guard).
public struct IntegrationSettings: Sendable, Codable, Equatable {
    /// "legitimate interest" shares every record; "consent" only records whose consent flag is set.
    public enum LawfulBasis: String, Sendable, Codable, CaseIterable {
        case legitimateInterest = "legitimate-interest"
        case consent
    }

    /// Which names go to the target.
    public enum NameChoice: String, Sendable, Codable, CaseIterable {
        case preferred, legal
    }

    /// What to do with an MIS record that matches nobody in the target.
    public enum NewRecordPolicy: String, Sendable, Codable, CaseIterable {
        /// Put it in intake for an admin to match or transfer (the vendor default).
        case intake
        /// Create it in the target.
        case create
    }

    /// Optional groups of fields an integration may share.
    public enum Field: String, Sendable, Codable, CaseIterable, Comparable {
        case address, phones, photo, email, guardians, staff

        public static func < (lhs: Field, rhs: Field) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Which year groups are valid: primary schools must use R and 1–6.
    public enum Phase: String, Sendable, Codable, CaseIterable {
        case primary, secondary
    }

    public var lawfulBasis: LawfulBasis = .legitimateInterest
    public var names: NameChoice = .preferred
    public var fields: Set<Field> = Set(Field.allCases)
    public var newRecords: NewRecordPolicy = .intake
    /// Local time of the nightly import, HH:MM.
    public var nightlyAt: String = "02:00"
    public var timeZone: String = "Europe/London"
    /// An import that would make more than this share of current records leavers at once stops.
    public var massLeaverThreshold: Double = 0.10
    public var phase: Phase = .primary
    /// Every Nth nightly import reads the whole MIS instead of a delta (Wonde recommends periodic full
    /// syncs); nil means the default. Optional so settings stored before it still read.
    public var fullImportEvery: Int?
    public static let defaultFullImportEvery = 7

    /// 1 makes every import a full one.
    public var fullImportInterval: Int { fullImportEvery ?? Self.defaultFullImportEvery }

    /// Days a leaver waits before their move to the target's recycle bin runs; back in the MIS
    /// meanwhile, the move is called off. Nil (0, the move runs at once) in settings stored before it.
    public var leaverGraceDays: Int?

    public var leaverGrace: Int { leaverGraceDays ?? 0 }

    /// Days the person history is kept ('history prune' deletes older rows); nil: the default, 400
    /// (a school year and more), also in settings stored before it.
    public var historyKeepDays: Int?
    public static let defaultHistoryKeepDays = 400

    public var historyKeep: Int { historyKeepDays ?? Self.defaultHistoryKeepDays }

    /// Dates in `timeZone` when no nightly import is scheduled; nil (none) in settings stored before it.
    public var quiet: [QuietPeriod]?

    public var quietPeriods: [QuietPeriod] { quiet ?? [] }

    /// Whether the local date `date` is in a quiet period.
    public func isQuiet(on date: CalendarDate) -> Bool { quietPeriods.contains { $0.contains(date) } }

    public init() {}

    /// Keys `integration set` accepts, with what each takes.
    public static let keys: [(name: String, takes: String)] = [
        ("lawful-basis", LawfulBasis.allCases.map(\.rawValue).joined(separator: "|")),
        ("names", NameChoice.allCases.map(\.rawValue).joined(separator: "|")),
        ("fields", "comma list of " + Field.allCases.map(\.rawValue).joined(separator: ",") + " (or none)"),
        ("new-records", NewRecordPolicy.allCases.map(\.rawValue).joined(separator: "|")),
        ("nightly-at", "HH:MM"),
        ("time-zone", "a zone such as Europe/London"),
        ("mass-leaver-threshold", "a fraction from 0 to 1, e.g. 0.1"),
        ("phase", Phase.allCases.map(\.rawValue).joined(separator: "|")),
        ("full-import-every", "a number of nightly imports N (every Nth reads the whole MIS; default 7, 1 = always)"),
        ("leaver-grace", "days a leaver waits before the move to the recycle bin, e.g. 14d (0d: at once, the\ndefault); back in the MIS meanwhile, the move is called off"),
        ("history-keep", "days the person history is kept, e.g. 400d (the default; 1d to 3650d)"),
        ("quiet", "dates or ranges in the time zone with no scheduled import, e.g.\n2027-07-22..2027-09-01,2027-12-25 (or none)"),
    ]

    /// Applies `key=value`; the error names the key and what it takes.
    public mutating func set(_ key: String, _ value: String) throws(SyncError) {
        func bad() -> SyncError {
            let takes = Self.keys.first { $0.name == key }?.takes ?? ""
            return SyncError(.invalidInput, "setting '\(key)' must be \(takes), not '\(value)'")
        }
        switch key {
        case "lawful-basis":
            guard let parsed = LawfulBasis(rawValue: value) else { throw bad() }
            lawfulBasis = parsed
        case "names":
            guard let parsed = NameChoice(rawValue: value) else { throw bad() }
            names = parsed
        case "new-records":
            guard let parsed = NewRecordPolicy(rawValue: value) else { throw bad() }
            newRecords = parsed
        case "phase":
            guard let parsed = Phase(rawValue: value) else { throw bad() }
            phase = parsed
        case "fields":
            if value == "none" {
                fields = []
            } else {
                var chosen: Set<Field> = []
                for name in value.split(separator: ",") {
                    guard let field = Field(rawValue: name.trimmingCharacters(in: .whitespaces)) else { throw bad() }
                    chosen.insert(field)
                }
                fields = chosen
            }
        case "nightly-at":
            let parts = value.split(separator: ":")
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let h = Int(parts[0]), let m = Int(parts[1]),
                (0...23).contains(h), (0...59).contains(m)
            else { throw bad() }
            nightlyAt = value
        case "time-zone":
            guard TimeZone(identifier: value) != nil else { throw bad() }
            timeZone = value
        case "mass-leaver-threshold":
            guard let fraction = Double(value), (0...1).contains(fraction) else { throw bad() }
            massLeaverThreshold = fraction
        case "full-import-every":
            guard let every = Int(value), (1...366).contains(every) else { throw bad() }
            fullImportEvery = every
        case "leaver-grace":
            let digits = value.hasSuffix("d") ? String(value.dropLast()) : value
            guard let days = Int(digits), (0...365).contains(days) else { throw bad() }
            leaverGraceDays = days == 0 ? nil : days
        case "history-keep":
            let digits = value.hasSuffix("d") ? String(value.dropLast()) : value
            guard let days = Int(digits), (1...3650).contains(days) else { throw bad() }
            historyKeepDays = days == Self.defaultHistoryKeepDays ? nil : days
        case "quiet":
            if value == "none" || value.isEmpty {
                quiet = nil
            } else {
                guard let periods = QuietPeriod.list(value) else { throw bad() }
                quiet = periods
            }
        default:
            throw SyncError(
                .invalidInput,
                "unknown setting '\(key)' (settings: \(Self.keys.map(\.name).joined(separator: ", ")))")
        }
    }
}
