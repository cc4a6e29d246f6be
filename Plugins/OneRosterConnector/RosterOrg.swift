import Foundation

/// A OneRoster `org` (a school, a district, …): used to pick one school out of a bundle that holds several.
struct RosterOrg: Sendable, Equatable {
    var sourcedId: String
    var name: String
    var type: String
    var identifier: String?
}

extension RosterOrg {
    init(row: RosterRow) throws {
        sourcedId = try row.required("sourcedId")
        name = row.value("name") ?? ""
        type = (row.value("type") ?? "").lowercased()
        identifier = row.value("identifier")
    }
}
