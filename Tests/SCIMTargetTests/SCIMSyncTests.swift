import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import MISLinkTestSupport
import Testing

extension SCIMServerSuites {
    /// Real sync jobs, csv connector → scim target → the real scim2-server.
    @Suite struct SCIMSyncTests {
        static let school = [
            studentRow("S1", "Amelia", "Smith", preferred: "Amy", email: "amy@pupils.oak.example"),
            studentRow("S2", "Ben", "Jones"),
            studentRow("S3", "Cara", "Smith", year: "6", reg: "6B"),
        ]

        @Test func theInitialUploadProvisionsEveryoneAndTheNightlyImportSendsOnlyTheChanges() async throws {
            try await withSCIMServer { server in
                let oak = try SCIMSyncFixture(server: server)
                try oak.writeExport(students: Self.school, staff: [staffRow("T1", "Jo", "Bloggs")])
                try oak.addIntegration()
                let upload = try await oak.run("initial-upload")
                #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
                #expect(try oak.report(of: upload).added == 4)
                #expect(try oak.integration().status == .on)
                let admin = SCIMAdmin(server)
                #expect(try await admin.users().count == 4)
                #expect(try await admin.user(externalId: "S1")?["userName"] as? String == "amy.smith@oak.example")
                #expect(try await admin.user(externalId: "T1")?["userType"] as? String == "Staff")
                let ben = try #require(try await admin.user(externalId: "S2"))
                let benVersion = (ben["meta"] as? [String: Any])?["version"] as? String
                #expect(try await admin.members(ofGroup: "mislink:reg:5A").count == 2)

                // The night: Ben is unchanged, Cara changes surname and moves form, a new pupil joins.
                try oak.writeExport(
                    students: [Self.school[0], Self.school[1], studentRow("S3", "Cara", "Smith-Patel", year: "6", reg: "6C"),
                               studentRow("S4", "Dev", "Smith")],
                    staff: [staffRow("T1", "Jo", "Bloggs")])
                let night = try await oak.run("nightly-import")
                #expect(night.state == .succeeded, "\(night.lastError ?? "")")
                #expect(try oak.report(of: night).added == 1)
                #expect(try await admin.users().count == 5)
                let cara = try #require(try await admin.user(externalId: "S3"))
                #expect((cara["name"] as? [String: Any])?["familyName"] as? String == "Smith-Patel")
                #expect(cara["userName"] as? String == "cara.smith@oak.example")
                let caraID = try #require(cara["id"] as? String)
                #expect(try await admin.members(ofGroup: "mislink:reg:6C") == [caraID])
                #expect(try await admin.members(ofGroup: "mislink:reg:6B").isEmpty)
                #expect(try await admin.user(externalId: "S4")?["userName"] as? String == "dev.smith@oak.example")
                // A SCIM user holds no date of birth, gender, UPN or legal name beside the preferred one:
                // compared as the target keeps them (`storedForm`), unchanged people are unchanged.
                let counts = try oak.report(of: night)
                #expect(counts.updated == 1)
                #expect(counts.targetEdits == 0)
                // Nothing of Ben's changed, so nothing was sent for him.
                #expect((try await admin.user(externalId: "S2")?["meta"] as? [String: Any])?["version"] as? String == benVersion)
            }
        }

        @Test func aLeaverIsSetInactiveAndRestoredNeverDeleted() async throws {
            try await withSCIMServer { server in
                let oak = try SCIMSyncFixture(server: server)
                try oak.writeExport(students: Self.school)
                try oak.addIntegration()
                #expect(try await oak.run("initial-upload").state == .succeeded)
                try oak.writeExport(students: [Self.school[0], Self.school[1], studentRow("S3", "Cara", "Smith", year: "6", reg: "6B", end: "2026-10-31", status: "inactive")])
                let night = try await oak.run("nightly-import")
                #expect(night.state == .succeeded, "\(night.lastError ?? "")")
                #expect(try oak.report(of: night).leavers == 1)
                let leaverJobs = try oak.jobs.jobs(matching: JobFilter(kind: "leaver-to-recycle-bin"))
                #expect(leaverJobs.map(\.state) == [.succeeded])
                let admin = SCIMAdmin(server)
                let cara = try #require(try await admin.user(externalId: "S3"))
                #expect(cara["active"] as? Bool == false)
                #expect(try await admin.users().count == 3)

                try await IntegrationService(environment: oak.environment).restore("oak", targetID: try #require(cara["id"] as? String))
                #expect(try await admin.user(externalId: "S3")?["active"] as? Bool == true)
                #expect(try await admin.users().count == 3)
            }
        }

        @Test func runningTheUploadAndTheWizardAgainMakesNoDuplicates() async throws {
            try await withSCIMServer { server in
                let oak = try SCIMSyncFixture(server: server)
                try oak.writeExport(students: Self.school, staff: [staffRow("T1", "Jo", "Bloggs")])
                try oak.addIntegration()
                #expect(try await oak.run("initial-upload").state == .succeeded)
                let again = try await oak.run("initial-upload")
                #expect(again.state == .succeeded, "\(again.lastError ?? "")")
                #expect(try oak.report(of: again).added == 0)
                let wizard = try await oak.run("rerun-wizard")
                #expect(wizard.state == .succeeded, "\(wizard.lastError ?? "")")
                #expect(try oak.report(of: wizard).matched == 4)
                #expect(try await oak.run("nightly-import").state == .succeeded)
                let users = try await SCIMAdmin(server).users()
                #expect(users.count == 4)
                #expect(Set(users.compactMap { $0["externalId"] as? String }) == ["S1", "S2", "S3", "T1"])
                #expect(try await SCIMAdmin(server).groups().count == 4)
            }
        }

        @Test func aWrongTokenFailsTheUploadForGoodAndPutsTheIntegrationInError() async throws {
            let wrong = "not-the-token-\(UUID().uuidString)"
            try await withSCIMServer { server in
                let oak = try SCIMSyncFixture(server: server, token: wrong)
                try oak.writeExport(students: Self.school)
                try oak.addIntegration()
                let upload = try await oak.run("initial-upload")
                #expect(upload.state == .failed)
                #expect(upload.attempt == 1)
                #expect(upload.lastError?.contains("credentials refused by SCIM server (401") == true)
                let integration = try oak.integration()
                #expect(integration.status == .error)
                #expect(integration.errorReason?.contains("credentials refused") == true)
                #expect(try await SCIMAdmin(server).users().isEmpty)
                // Neither token is anywhere MISLink keeps things.
                for secret in [wrong, server.token] {
                    for suffix in ["", "-wal"] {
                        let bytes = FileManager.default.contents(atPath: oak.databasePath + suffix) ?? Data()
                        #expect(bytes.range(of: Data(secret.utf8)) == nil, "the token is in queue.sqlite\(suffix)")
                    }
                    #expect(!(upload.lastError ?? "").contains(secret) && !(integration.errorReason ?? "").contains(secret))
                }
            }
        }
    }
}
