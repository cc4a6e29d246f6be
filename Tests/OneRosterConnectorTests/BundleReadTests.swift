import Foundation
import MISLinkKit
import MISLinkTestSupport
import Synchronization
import Testing

@testable import OneRosterConnector

/// The CSV bundle binding on the two real public bundles and on small written ones.
struct BundleReadTests {
    private func connector(_ values: [String: String]) throws -> any Connector {
        try OneRosterConnectorPlugin().makeConnector(config: PluginConfig(values: values))
    }

    @Test func mockrosterGivesEveryStudentAsAPupilAndEveryTeacherAsStaff() async throws {
        let connector = try connector(["dir": PublicBundles.mockroster.path])
        let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
        let staff = try await connector.readStaff(changedSince: nil, context: .silent)
        #expect(pupils.count == 140)
        #expect(staff.count == 40)
        let billy = try #require(pupils.first { $0.details.misID == "18125" })
        #expect(billy.details.name.legalForename == "BILLY")
        #expect(billy.details.name.legalSurname == "FLORES")
        #expect(billy.details.email == "billy.flores@classlink.k12.nj.us")
        #expect(billy.yearGroup == "11")
        #expect(billy.details.status == .active)
        // Its userIds are {FED:…}, no UPN; its demographics file is a header alone; no class is a homeroom.
        #expect(pupils.allSatisfy { $0.upn == nil && $0.details.dateOfBirth == nil && $0.regGroup == nil })
        #expect(pupils.filter { $0.yearGroup == "R" }.count == 6)
        #expect(Set(pupils.map(\.details.misID)).count == 140)
    }

    @Test func mockrosterReadsOneSchoolByItsSourcedIdOrItsIdentifier() async throws {
        let bySourcedID = try await connector(["dir": PublicBundles.mockroster.path, "school": "2"])
            .readPupils(changedSince: nil, context: .silent)
        let byIdentifier = try await connector(["dir": PublicBundles.mockroster.path, "school": "123456789123"])
            .readPupils(changedSince: nil, context: .silent)
        #expect(!bySourcedID.isEmpty)
        #expect(bySourcedID.count < 140)
        #expect(bySourcedID == byIdentifier)
        #expect(bySourcedID.contains { $0.details.misID == "18125" })
    }

    @Test func anUnknownSchoolIsAnErrorNamingTheSchoolsThereAre() async throws {
        let connector = try connector(["dir": PublicBundles.mockroster.path, "school": "9"])
        let error = try await #require(throws: PluginError.self) { try await connector.readPupils(changedSince: nil, context: .silent) }
        #expect(error.message.contains("school"))
        #expect(error.message.contains("ClassLink HS"))
    }

    @Test func onerosterImportReadsItsOneZeroStyleColumns() async throws {
        let connector = try connector(["dir": PublicBundles.onerosterImport.path])
        let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
        #expect(pupils.map(\.details.misID).sorted() == ["user1", "user2"])
        let user1 = try #require(pupils.first { $0.details.misID == "user1" })
        #expect(user1.details.name == PersonName(legalForename: "ionut", legalSurname: "padurariu"))
        #expect(try await connector.readStaff(changedSince: nil, context: .silent).isEmpty)
        #expect(try await connector.readContacts(changedSince: nil, context: .silent).isEmpty)
    }

    @Test func aWrittenBundleMapsHomeroomsDemographicsGradesUPNsAndContacts() async throws {
        try await withTemporaryDirectory { path in
            try BundleWriter(path).oakBulk()
            let connector = try connector(["dir": path, "school": "3301234"])
            let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
            #expect(pupils.map(\.details.misID) == ["p1", "p2", "p3"])
            let ada = pupils[0], alan = pupils[1], grace = pupils[2]
            #expect(ada.upn == "A801200005001")
            #expect(ada.regGroup == "Reception Robins")
            #expect(ada.yearGroup == "R")
            #expect(ada.details.dateOfBirth == CalendarDate(year: 2021, month: 12, day: 10))
            #expect(ada.details.gender == "female")
            #expect(ada.details.mobile == "07700900001")
            // The scheduled maths class is not a registration group.
            #expect(alan.regGroup == "1 Owls")
            #expect(alan.yearGroup == "1")
            #expect(alan.upn == nil)
            #expect(grace.upn == "B801200005002")
            #expect(grace.yearGroup == "3")
            #expect(grace.regGroup == nil)
            let staff = try await connector.readStaff(changedSince: nil, context: .silent)
            #expect(staff.map(\.details.misID) == ["t1"])
            #expect(staff[0].details.dateOfBirth == CalendarDate(year: 1955, month: 6, day: 8))
            let contacts = try await connector.readContacts(changedSince: nil, context: .silent)
            #expect(contacts == [
                Contact(
                    misID: "g1", studentMisID: "p1", relationship: "parent", forename: "Gus", surname: "Lovelace",
                    email: "gus@home.example", mobile: "07700900009", priority: 1)
            ])
        }
    }

    @Test func theUSAgeGradeMapAndOverridesApply() async throws {
        try await withTemporaryDirectory { path in
            try BundleWriter(path).oakBulk()
            let pupils = try await connector(["dir": path, "school": "oak", "grade-map": "us-age,03=Y4"])
                .readPupils(changedSince: nil, context: .silent)
            #expect(pupils.map(\.yearGroup) == ["1", "2", "Y4"])
        }
    }

    @Test func aGradeTheMapDoesNotKnowIsPassedOnAndWarnedAboutOnce() async throws {
        try await withTemporaryDirectory { path in
            try BundleWriter.oak(path, users: [
                "p1,,,true,oak,student,a,,Ada,Lovelace,,,,,,,UG,", "p2,,,true,oak,student,b,,Alan,Turing,,,,,,,UG,",
                "p3,,,true,oak,aide,c,,Grace,Hopper,,,,,,,,",
            ])
            let lines = Mutex<[String]>([])
            let context = PluginContext(log: { level, message in lines.withLock { $0.append("\(level): \(message)") } })
            let connector = try connector(["dir": path])
            #expect(try await connector.readPupils(changedSince: nil, context: context).map(\.yearGroup) == ["UG", "UG"])
            #expect(try await connector.readStaff(changedSince: nil, context: context).isEmpty)
            let logged = lines.withLock { $0 }
            #expect(logged.filter { $0.hasPrefix("warning: oneroster: grade UG is not in grade-map") }.count == 1, "\(logged)")
            #expect(logged.contains { $0.hasPrefix("info: oneroster: users with role aide are not read") }, "\(logged)")
        }
    }

    @Test func aDeltaBundleWithATobedeletedUserMakesALeaver() async throws {
        try await withTemporaryDirectory { path in
            let bundle = BundleWriter(path)
            try bundle.manifest(["users": "delta", "enrollments": "absent"])
            try bundle.write(
                "users.csv", [BundleWriter.usersHeader, "p2,tobedeleted,2026-11-20T10:00:00Z,,,,,,,,,,,,,,,", "t1,tobedeleted,2026-11-21,,,teacher,,,,,,,,,,,,"])
            let connector = try connector(["dir": path])
            // p2's row has its id alone: offered as both kinds, a leaver either way.
            let pupils = try await connector.readPupils(changedSince: Date(), context: .silent)
            #expect(pupils.map(\.details.misID) == ["p2"])
            #expect(pupils[0].details.status == .inactive)
            #expect(pupils[0].details.endDate == CalendarDate(year: 2026, month: 11, day: 20))
            let staff = try await connector.readStaff(changedSince: Date(), context: .silent)
            #expect(staff.map(\.details.misID) == ["p2", "t1"])
            #expect(staff.allSatisfy { $0.details.status == .inactive })
            #expect(staff[1].details.endDate == CalendarDate(year: 2026, month: 11, day: 21))
        }
    }
}
