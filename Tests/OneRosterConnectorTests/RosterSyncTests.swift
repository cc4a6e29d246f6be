import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing

@testable import OneRosterConnector

/// End to end: a OneRoster school uploaded into the directory target by the real jobs, then a delta
/// with a tobedeleted user making a leaver, through the bundle and through the REST binding.
struct RosterSyncTests {
    /// Checks the initial upload of the Oak bundle: everyone created, with what OneRoster holds.
    private func expectUploaded(_ school: RosterSchool, _ job: Job) async throws {
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let report = try school.report(of: job)
        #expect(report.added == 4)  // p1–p3 and t1; Elm's pupil and the parent are not Oak's pupils or staff
        let ada = try #require(try await school.person("p1"))
        #expect(ada.upn == "A801200005001")
        #expect(ada.dateOfBirth == CalendarDate(year: 2021, month: 12, day: 10))
        #expect(ada.fields["reg_group"] == "Reception Robins")
        #expect(ada.fields["year_group"] == "R")
        #expect(try await school.person("t1")?.role == .staff)
        #expect(try await school.person("e1") == nil)
        #expect(try school.store.require("oak").status == .on)
    }

    @Test func aBundleUploadsAndItsDeltaWithATobedeletedUserMakesALeaver() async throws {
        let school = try RosterSchool()
        try school.writer.oakBulk()
        try school.addIntegration(config: ["dir": school.bundle.path, "school": "oak"])
        try await expectUploaded(school, try await school.run("initial-upload"))

        // The next night's bundle is a delta: Alan is to be deleted, nobody else changed.
        try school.writer.manifest(["users": "delta", "classes": "absent", "enrollments": "absent", "demographics": "absent", "orgs": "bulk"])
        try school.writer.write("users.csv", [BundleWriter.usersHeader, "p2,tobedeleted,2026-11-26T09:00:00Z,,oak,student,,,Alan,Turing,,,,,,,,"])
        let nightly = try await school.run("nightly-import")
        #expect(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
        let report = try school.report(of: nightly)
        #expect(report.leavers == 1)
        #expect(report.read == 1)
        #expect(try await school.person("p2")?.inRecycleBin == true)
        // A delta is not a roll call: those it does not list stay as they were.
        #expect(try await school.person("p1")?.inRecycleBin == false)
        #expect(try await school.person("p1")?.fields["reg_group"] == "Reception Robins")
    }

    @Test func theRESTBindingUploadsAndItsFilteredDeltaMakesALeaverKeepingTheSecretOutOfTheQueue() async throws {
        let variable = "ONEROSTER_SECRET_\(UUID().uuidString.prefix(8))"
        let bundle = FileManager.default.temporaryDirectory.appendingPathComponent("oneroster-rest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: bundle) }
        let writer = BundleWriter(bundle.path)
        try writer.oakBulk()
        try await RosterServer.with(bundle: bundle) { server in
            let school = try RosterSchool(environment: [variable: server.secret])
            try school.addIntegration(
                config: ["url": server.url, "client-id": RosterServer.clientID, "school": "3301234", "limit": "2"],
                secrets: ["client-secret": .environment(variable)])
            try await expectUploaded(school, try await school.run("initial-upload"))

            // Grace is marked tobedeleted now, after the upload: the nightly delta's filter finds her.
            let now = RosterDate.filterText(Date().addingTimeInterval(5))
            try writer.write(
                "users.csv",
                [
                    BundleWriter.usersHeader, BundleWriter.ada, BundleWriter.alan,
                    "p3,tobedeleted,\(now),true,oak,student,grace,,Grace,Hopper,,S003,,,,,03,",
                    "t1,active,2026-09-01T00:00:00Z,true,oak,teacher,tim,,Tim,Berners-Lee,,T001,tim@oak.example,,,,,",
                ])
            let nightly = try await school.run("nightly-import")
            #expect(nightly.state == .succeeded, "\(nightly.lastError ?? "")")
            #expect(try school.report(of: nightly).leavers == 1)
            #expect(try await school.person("p3")?.inRecycleBin == true)
            #expect(try await school.person("p1")?.inRecycleBin == false)
            #expect(try server.requests().contains { $0.query["filter"]?.hasPrefix("dateLastModified>'") == true })

            // The secret went to the token endpoint and nowhere else: not the queue's file, its WAL, or any job.
            for suffix in ["", "-wal"] {
                let data = (try? Data(contentsOf: URL(fileURLWithPath: school.databasePath + suffix))) ?? Data()
                #expect(data.range(of: Data(server.secret.utf8)) == nil, "secret found in queue.sqlite\(suffix)")
            }
            for job in try school.jobs.jobs(matching: JobFilter(limit: 1000)) {
                #expect(!(job.result ?? "").contains(server.secret))
                #expect(!(job.lastError ?? "").contains(server.secret))
                #expect(!job.payload.contains(server.secret))
            }
        }
    }
}
