import Foundation

import MISLinkKit

/// A OneRoster `enrollment`: a user in a class, as student or teacher.
struct RosterEnrollment: Sendable, Equatable {
    var sourcedId: String
    var status: RosterStatus
    var dateLastModified: Date?
    var classSourcedId: String
    var userSourcedId: String
    var role: String
    var primary: Bool
    var beginDate: CalendarDate?
    var endDate: CalendarDate?
}

extension RosterEnrollment {
    init(row: RosterRow) throws {
        status = try row.status()
        dateLastModified = row.value("dateLastModified").flatMap(RosterDate.instant)
        sourcedId = try row.required("sourcedId")
        classSourcedId = try row.required("classSourcedId")
        userSourcedId = try row.required("userSourcedId")
        role = (row.value("role") ?? "").lowercased()
        primary = row.value("primary")?.lowercased() == "true"
        beginDate = try row.day("beginDate")
        endDate = try row.day("endDate")
    }
}
