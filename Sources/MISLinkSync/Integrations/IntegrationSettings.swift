import Foundation
import MISLinkKit
import MISLinkRunner

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

    /// Days a linked record may sit in the target's recycle bin before a full import deletes it for
    /// good (`Target.delete`); nil (the default, and settings stored before it): never.
    public var recyclePurgeAfterDays: Int?
    /// Days the person history is kept ('history prune' deletes older rows); nil: the default, 400
    /// (a school year and more), also in settings stored before it.
    public var historyKeepDays: Int?
    public static let defaultHistoryKeepDays = 400

    public var historyKeep: Int { historyKeepDays ?? Self.defaultHistoryKeepDays }

    /// Dates in `timeZone` when no nightly import is scheduled; nil (none) in settings stored before it.
    public var quiet: [QuietPeriod]?

    public var quietPeriods: [QuietPeriod] { quiet ?? [] }

    /// Guards an admin set, by rule name (`pupils.recycle`); nil (none) in settings stored before them.
    /// `all.recycle`, the mass-leaver guard, is `massLeaverThreshold` unless set here.
    public var guards: [String: GuardLimit]?

    /// Every guard in force: the mass-leaver guard (today's default 10%) and those set.
    public var guardLimits: [GuardRule: GuardLimit] {
        var limits: [GuardRule: GuardLimit] = [.massLeavers: GuardLimit(share: massLeaverThreshold)]
        for (name, limit) in guards ?? [:] {
            if let rule = GuardRule(name: name) { limits[rule] = limit }
        }
        return limits.filter { !$0.value.isOff }
    }

    /// How long a plan made for review (`--plan-only`, or held by a guard) may still be applied, in
    /// milliseconds; nil: the default, 7 days.
    public var planExpiryMilliseconds: Int64?
    public static let defaultPlanExpiry: Int64 = 7 * 86_400_000

    public var planExpiry: Int64 { planExpiryMilliseconds ?? Self.defaultPlanExpiry }

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
        ("recycle-purge-after", "days a linked record sits in the target's recycle bin before an import deletes it, e.g.\n270d (none or 0: never, the default)"),
        ("history-keep", "days the person history is kept, e.g. 400d (the default; 1d to 3650d)"),
        ("quiet", "dates or ranges in the time zone with no scheduled import, e.g.\n2027-07-22..2027-09-01,2027-12-25 (or none)"),
        ("guard.ENTITY.CHANGE", "a limit on one kind of change, beyond which an import is held as a plan for an\nadmin: ENTITY pupils|staff|contacts|all, CHANGE recycle|update|create|delete (contacts: update|create);\nthe limit a share (10%), a count (400), both (10%,400: either trips it) or none;\nguard.all.recycle is the mass-leaver guard (mass-leaver-threshold, default 10%)"),
        ("plan-expiry", "how long a plan for review may still be applied, e.g. 7d (the default) or 12h"),
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
            guards?[GuardRule.massLeavers.description] = nil
        case "full-import-every":
            guard let every = Int(value), (1...366).contains(every) else { throw bad() }
            fullImportEvery = every
        case "leaver-grace":
            guard let days = Self.days(value, upTo: 365) else { throw bad() }
            leaverGraceDays = days == 0 ? nil : days
        case "recycle-purge-after":
            guard let days = value == "none" ? 0 : Self.days(value, upTo: 3_650) else { throw bad() }
            recyclePurgeAfterDays = days == 0 ? nil : days
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
        case "plan-expiry":
            guard let ms = DurationText.milliseconds(value), ms >= 60_000, ms <= 366 * 86_400_000 else { throw bad() }
            planExpiryMilliseconds = ms == Self.defaultPlanExpiry ? nil : ms
        case _ where key.hasPrefix("guard."):
            guard let rule = GuardRule(name: String(key.dropFirst(6))) else {
                throw SyncError(
                    .invalidInput,
                    "unknown guard '\(key)' (guard.ENTITY.CHANGE: ENTITY pupils|staff|contacts|all, CHANGE recycle|update|create|delete; contacts take update|create)")
            }
            guard let limit = GuardLimit(text: value) else {
                throw SyncError(.invalidInput, "setting '\(key)' must be a share (10%), a count (400), both (10%,400) or none, not '\(value)'")
            }
            var set = guards ?? [:]
            set[rule.description] = limit
            guards = set
        default:
            throw SyncError(
                .invalidInput,
                "unknown setting '\(key)' (settings: \(Self.keys.map(\.name).joined(separator: ", ")))")
        }
    }

    /// A number of days written `14d` or `14`, from 0 to `most`; nil otherwise.
    private static func days(_ value: String, upTo most: Int) -> Int? {
        let digits = value.hasSuffix("d") ? String(value.dropLast()) : value
        guard let days = Int(digits), (0...most).contains(days) else { return nil }
        return days
    }
}
