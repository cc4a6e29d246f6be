import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import WondeConnector

/// The connector's reads against the fixture school, page by page.
@Suite(.timeLimit(.minutes(5)))
struct WondeReadTests {
    @Test(
        "a full read walks every page along next links: students, leavers (inactive), staff, pre-admissions, contacts")
    func fullRead() async throws {
        try await withWondeFixture(students: 30) { wonde in
            let connector = try wonde.connector(["per-page": "7"])
            let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
            #expect(pupils.count == 32)  // 30 on roll + 2 leavers
            #expect(pupils.filter { $0.details.status == .inactive }.count == 2)
            #expect(
                pupils.filter { $0.details.status == .active }.allSatisfy {
                    $0.upn?.count == 13 && $0.yearGroup != nil && $0.regGroup != nil
                })
            #expect(Set(pupils.map(\.details.misID)).count == 32)
            #expect(try await wonde.requests("GET", pathEnding: "/students").count == 5)  // 30 / 7 per page
            let staff = try await connector.readStaff(changedSince: nil, context: .silent)
            #expect(staff.count == 5)
            #expect(staff.allSatisfy { $0.niNumber == nil && $0.post != nil })
            let pre = try await connector.readPreAdmissions(changedSince: nil, context: .silent)
            #expect(pre.count == 2)
            #expect(pre.allSatisfy { $0.expectedStartDate == CalendarDate(year: 2026, month: 9, day: 3) })
            // The contacts came with the pupils: no second walk of the students.
            let contacts = try await connector.readContacts(changedSince: nil, context: .silent)
            #expect(try await wonde.requests("GET", pathEnding: "/students").count == 5)
            #expect(contacts.count == 40)  // one each, a second for every third pupil
            #expect(contacts.allSatisfy { $0.priority != nil && $0.parentalResponsibility != nil })
            // Without a pupils' read before it, the contacts read walks the students itself.
            #expect(try await connector.readContacts(changedSince: nil, context: .silent) == contacts)
            #expect(try await wonde.requests("GET", pathEnding: "/students").count == 10)
        }
    }

    @Test("read as the engine reads (contacts first), the pupils come a page at a time and their walk leaves the contacts out")
    func contactsFirstThenPupilsByPage() async throws {
        try await withWondeFixture(students: 30) { wonde in
            let connector = try wonde.connector(["per-page": "7"])
            let contacts = try await connector.readContacts(changedSince: nil, context: .silent)
            #expect(contacts.count == 40)
            var batches: [[Pupil]] = []
            try await connector.readPupils(changedSince: nil, context: .silent) { batches.append($0) }
            // 5 pages of students, 1 of leavers, the deletions' (empty) batch.
            #expect(batches.map(\.count).reduce(0, +) == 32)
            #expect(batches.count >= 6)
            #expect(batches.allSatisfy { $0.count <= 7 })
            let includes = try await wonde.requests("GET", pathEnding: "/students").compactMap {
                ($0["query"] as? [String: String])?["include"]
            }
            #expect(includes.count == 10)  // five pages for the contacts, five for the pupils
            #expect(includes.filter { $0.contains("contacts.contact_details") }.count == 5)
            // The array form gives the same pupils, in the same order.
            let again = try await connector.readPupils(changedSince: nil, context: .silent)
            #expect(again == batches.flatMap { $0 })
        }
    }

    @Test(
        "cursor links, per_page as a number, plain dates, relationships without details and a slow server read the same"
    )
    func quirks() async throws {
        try await withWondeFixture(
            students: 12,
            knobs: [
                "cursor": true, "per_page_type": "int", "date_style": "mixed", "relationship_style": "absent",
                "latency_ms": 20,
            ]
        ) { wonde in
            let connector = try wonde.connector(["per-page": "5"])
            let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
            #expect(pupils.count == 14)
            #expect(pupils.allSatisfy { $0.details.dateOfBirth != nil })
            let contacts = try await connector.readContacts(changedSince: nil, context: .silent)
            #expect(contacts.allSatisfy { $0.priority == nil && $0.parentalResponsibility == nil })
            let cursors = try await wonde.requests("GET", pathEnding: "/students").compactMap {
                ($0["query"] as? [String: String])?["cursor"]
            }
            #expect(cursors.count >= 2)
        }
    }

    @Test("a delta sends updated_after and reads only what changed; deletions become inactive records, never removals")
    func delta() async throws {
        try await withWondeFixture(students: 20) { wonde in
            let connector = try wonde.connector(["per-page": "7"])
            let since = Date().addingTimeInterval(-60)
            try await wonde.apply([
                ["op": "rename", "mis_id": "5003", "forename": "Renamed"], ["op": "delete", "mis_id": "5004"],
                ["op": "delete", "mis_id": "5005"], ["op": "restore", "mis_id": "5005"],
                ["op": "leave", "mis_id": "5006"],
                ["op": "delete-employee", "mis_id": "S101"],
            ])
            let pupils = try await connector.readPupils(changedSince: since, context: .silent)
            let byID = Dictionary(uniqueKeysWithValues: pupils.map { ($0.details.misID, $0) })
            #expect(Set(byID.keys) == ["5003", "5004", "5005", "5006"])
            #expect(byID["5003"]?.details.name.legalForename == "Renamed")
            #expect(byID["5004"]?.details.status == .inactive)
            #expect(byID["5004"]?.details.endDate != nil)
            // Deleted and restored since: back on roll, not a leaver.
            #expect(byID["5005"]?.details.status == .active)
            #expect(byID["5006"]?.details.status == .inactive)
            #expect(byID["5006"]?.details.endDate == CalendarDate(year: 2026, month: 11, day: 20))
            let staff = try await connector.readStaff(changedSince: since, context: .silent)
            #expect(staff.map(\.details.misID) == ["S101"])
            // The pupils' read walked the deletions; the staff read used that walk.
            #expect(try await wonde.requests("GET", pathEnding: "/deletions").count == 1)
            #expect(staff.first?.details.status == .inactive)
            let asked = try await wonde.requests("GET", pathEnding: "/students")
            #expect(asked.allSatisfy { (($0["query"] as? [String: String])?["updated_after"] ?? "").count == 19 })
        }
    }

    @Test(
        "an incomplete page walk fails the read, whichever page breaks and however",
        arguments: [
            (#"{"fail_page": {"resource": "students", "page": 7, "status": 500}}"#, PluginError.Disposition.retryable),
            (#"{"truncate_page": {"resource": "students", "page": 7}}"#, .retryable),
            (#"{"missing_page": {"resource": "students", "page": 4}}"#, .permanent),
            (#"{"drop_next": {"resource": "students", "page": 2}}"#, .retryable),
            (#"{"fail_page": {"resource": "deletions", "page": 1, "status": 503}}"#, .retryable),
        ])
    func incompleteWalk(knobs: String, disposition: PluginError.Disposition) async throws {
        let knobs = try #require(try JSONSerialization.jsonObject(with: Data(knobs.utf8)) as? [String: Any])
        try await withWondeFixture(students: 60, knobs: knobs) { wonde in
            let connector = try wonde.connector(["per-page": "7"])
            await #expect {
                _ = try await connector.readPupils(changedSince: nil, context: .silent)
            } throws: { error in
                guard let error = error as? PluginError else { return false }
                return error.disposition == disposition
            }
        }
    }

    @Test("pre-admissions=auto reads a school without the endpoint as none; on makes that an error")
    func preAdmissionsAuto() async throws {
        try await withWondeFixture(students: 3) { wonde in
            try await wonde.set(["fail_page": ["resource": "students-pre-admission", "page": 1, "status": 404]])
            #expect(try await wonde.connector().readPreAdmissions(changedSince: nil, context: .silent).isEmpty)
            await #expect(throws: PluginError.self) {
                _ = try await wonde.connector(["pre-admissions": "on"]).readPreAdmissions(
                    changedSince: nil, context: .silent)
            }
            #expect(
                try await wonde.connector(["pre-admissions": "off"]).readPreAdmissions(
                    changedSince: nil, context: .silent
                ).isEmpty)
        }
    }

    @Test(
        "checkConnection reaches the school; a wrong region, another region's domain, a refused scope and a bad token are named"
    )
    func checkConnection() async throws {
        try await withWondeFixture(students: 3) { wonde in
            try await wonde.connector().checkConnection(context: .silent)
            try await wonde.connector(["auth": "basic"]).checkConnection(context: .silent)

            func message(_ connector: WondeConnector) async -> String {
                do {
                    try await connector.checkConnection(context: .silent)
                    return "no error"
                } catch {
                    return (error as? PluginError)?.message ?? "\(error)"
                }
            }
            try await wonde.set(["wrong_region": true])
            #expect(await message(try wonde.connector()).contains("another region"))
            try await wonde.set(["wrong_region": false, "region_domain": "api-ap-southeast-2.wonde.com"])
            #expect(await message(try wonde.connector()).contains("set --config domain=api-ap-southeast-2.wonde.com"))
            try await wonde.set(["region_domain": NSNull(), "refuse_includes": ["education_details"]])
            #expect(await message(try wonde.connector()).contains("has not granted education_details"))
            try await wonde.set(["refuse_includes": [String](), "fail_page": ["resource": "employees", "page": 1, "status": 403]])
            #expect(await message(try wonde.connector()).contains("refused the employees scope"))
            try await wonde.set(["fail_page": NSNull()])
            let refused = await message(try wonde.connector(token: "not-the-token"))
            #expect(refused.contains("credentials refused by Wonde"))
            #expect(!refused.contains("not-the-token"))
        }
    }
}
