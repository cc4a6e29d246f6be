import Foundation

/// A OneRoster `class`: what the connector needs of it is whether it is a homeroom, and its title.
struct RosterClass: Sendable, Equatable {
    var sourcedId: String
    var status: RosterStatus
    var title: String
    /// `homeroom` or `scheduled`.
    var classType: String
    var classCode: String?
    var schoolSourcedId: String?

    var isHomeroom: Bool { classType.lowercased() == "homeroom" }
}

extension RosterClass {
    init(row: RosterRow) throws {
        status = try row.status()
        sourcedId = try row.required("sourcedId")
        title = row.value("title") ?? ""
        classType = row.value("classType") ?? ""
        classCode = row.value("classCode")
        schoolSourcedId = row.value("schoolSourcedId")
    }
}
