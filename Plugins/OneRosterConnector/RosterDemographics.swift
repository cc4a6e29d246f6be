import Foundation

import MISLinkKit

/// A OneRoster `demographics` record: one per user, under the user's sourcedId.
struct RosterDemographics: Sendable, Equatable {
    var sourcedId: String
    var status: RosterStatus
    var dateLastModified: Date?
    var birthDate: CalendarDate?
    var sex: String?
}

extension RosterDemographics {
    init(row: RosterRow) throws {
        status = try row.status()
        dateLastModified = row.value("dateLastModified").flatMap(RosterDate.instant)
        // 1.0 bundles key the row by `userSourcedId`.
        guard let id = row.value("sourcedId", "userSourcedId") else { throw row.error("sourcedId", "is empty") }
        sourcedId = id
        birthDate = try row.day("birthDate")
        sex = row.value("sex")
    }
}

extension RosterRow {
    /// A date column (`YYYY-MM-DD`); a value that is not one is an error, never a silent blank.
    func day(_ name: String) throws -> CalendarDate? {
        guard let text = value(name) else { return nil }
        guard let date = RosterDate.day(text) else { throw error(name, "'\(text)' is not a date (YYYY-MM-DD)") }
        return date
    }
}
