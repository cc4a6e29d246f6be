import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import OneRosterConnector

/// The REST binding against the fixture serving the same bundles: the same people come out both ways.
struct RESTReadTests {
    private func read(_ config: PluginConfig, changedSince: Date? = nil) async throws -> (pupils: [Pupil], staff: [StaffMember], contacts: [Contact]) {
        let connector = try OneRosterConnectorPlugin().makeConnector(config: config)
        return (
            try await connector.readPupils(changedSince: changedSince, context: .silent),
            try await connector.readStaff(changedSince: changedSince, context: .silent),
            try await connector.readContacts(changedSince: nil, context: .silent)
        )
    }

    private func bundle(_ directory: URL) async throws -> (pupils: [Pupil], staff: [StaffMember], contacts: [Contact]) {
        try await read(PluginConfig(values: ["dir": directory.path]))
    }

    @Test(arguments: [PublicBundles.mockroster, PublicBundles.onerosterImport])
    func thePublicBundlesGiveTheSamePeopleOverREST(_ directory: URL) async throws {
        let expected = try await bundle(directory)
        try await RosterServer.with(bundle: directory) { server in
            // A page size of 7 makes mockroster's 180 users 26 pages.
            let got = try await read(server.config(["limit": "7"]))
            #expect(got.pupils == expected.pupils)
            #expect(got.staff == expected.staff)
            #expect(got.contacts == expected.contacts)
            #expect(try server.requests().filter { $0.path.hasSuffix("/users") }.count > (directory == PublicBundles.mockroster ? 20 : 0))
        }
        #expect(!expected.pupils.isEmpty)
    }

    @Test func aServerThatCapsItsPagesBelowTheLimitIsStillReadToItsTotal() async throws {
        let expected = try await bundle(PublicBundles.mockroster)
        try await RosterServer.with(bundle: PublicBundles.mockroster, knobs: ["--max-limit", "5"]) { server in
            let got = try await read(server.config(["limit": "20"]))
            #expect(got.pupils == expected.pupils)
            #expect(got.staff == expected.staff)
        }
    }

    @Test func aServerThatIgnoresTheFilterGivesEveryoneWhichTheEngineTakesAsIs() async throws {
        try await RosterServer.with(bundle: PublicBundles.mockroster, knobs: ["--ignore-filter"]) { server in
            let got = try await read(server.config(), changedSince: Date())
            #expect(got.pupils.count == 140)
            #expect(got.staff.count == 40)
        }
    }

    @Test func aWrittenBundleGivesTheSamePeopleOverRESTWithFormCredentialsAndNoTotal() async throws {
        try await withTemporaryDirectory { path in
            let directory = URL(fileURLWithPath: path)
            try BundleWriter(path).oakBulk()
            let expected = try await bundle(directory)
            try await RosterServer.with(bundle: directory, knobs: ["--client-auth", "form", "--no-total", "--token-path", "/auth/token"]) { server in
                let got = try await read(
                    server.config(["limit": "2", "client-auth": "form", "token-url": "http://127.0.0.1:\(server.port)/auth/token"]))
                #expect(got.pupils == expected.pupils)
                #expect(got.staff == expected.staff)
                #expect(got.contacts == expected.contacts)
                #expect(got.pupils.first?.regGroup == "Reception Robins")
            }
        }
    }

    @Test(arguments: [["--fail-page", "3"], ["--truncate-page", "2"], ["--fail-page", "2", "--fail-entity", "enrollments"]])
    func anIncompletePageWalkFailsTheRead(knobs: [String]) async throws {
        try await RosterServer.with(bundle: PublicBundles.mockroster, knobs: knobs) { server in
            let connector = try OneRosterConnectorPlugin().makeConnector(config: server.config(["limit": "20"]))
            let error = try await #require(throws: PluginError.self) { try await connector.readPupils(changedSince: nil, context: .silent) }
            #expect(error.disposition == .retryable)
            #expect(error.message.contains("page"))
            #expect(!error.message.contains(server.secret))
        }
    }

    @Test(arguments: [("401", "(401 on POST"), ("400", "(400 invalid_client on POST")])
    func aWrongSecretIsRefusedPermanentlyWithoutShowingIt(status: String, expected: String) async throws {
        try await RosterServer.with(bundle: PublicBundles.onerosterImport, knobs: ["--refusal-status", status]) { server in
            let wrong = "wrong-\(UUID().uuidString)"
            let config = PluginConfig(values: ["url": server.url, "client-id": RosterServer.clientID], secrets: ["client-secret": wrong])
            let connector = try OneRosterConnectorPlugin().makeConnector(config: config)
            let error = try await #require(throws: PluginError.self) { try await connector.checkConnection(context: .silent) }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("credentials refused by the OneRoster token endpoint \(expected)"), "\(error.message)")
            #expect(!error.message.contains(wrong))
        }
    }

    @Test func a401OnDataIsPermanent() async throws {
        try await RosterServer.with(bundle: PublicBundles.onerosterImport, knobs: ["--unauthorized"]) { server in
            let connector = try OneRosterConnectorPlugin().makeConnector(config: server.config())
            let error = try await #require(throws: PluginError.self) { try await connector.readPupils(changedSince: nil, context: .silent) }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains("credentials refused by OneRoster (401"))
        }
    }

    @Test func aDeltaUsesTheFilterAndAddsUsersWhoseEnrollmentChanged() async throws {
        try await withTemporaryDirectory { path in
            // Alan's enrollment moved on the 25th; Grace was marked tobedeleted on the 26th.
            let writer = try BundleWriter.oak(path, users: [BundleWriter.ada, BundleWriter.alan, BundleWriter.graceLeaving])
            try writer.write(
                "enrollments.csv",
                [BundleWriter.enrollmentsHeader, "e-p1,active,,hr-r,oak,p1,student,,,", "e-p2,active,2026-11-25T12:00:00Z,hr-r,oak,p2,student,,,"])
            let since = try #require(RosterDate.instant(BundleWriter.lastImport))
            try await RosterServer.with(bundle: URL(fileURLWithPath: path)) { server in
                let pupils = try await read(server.config(), changedSince: since).pupils
                #expect(pupils.map(\.details.misID) == ["p3", "p2"])
                #expect(pupils[0].details.status == .inactive)
                #expect(pupils[1].regGroup == "Reception Robins")
                let filters = try server.requests().compactMap { $0.query["filter"] }
                #expect(filters.contains("dateLastModified>'2026-11-24T00:00:00Z'"))
                #expect(try server.requests().contains { $0.path.hasSuffix("/users/p2") })
            }
        }
    }

    @Test(arguments: [(["--refuse-filter"], [String: String]()), ([], ["delta": "full"])])
    func aRefusedFilterOrDeltaFullFallsBackToAFullPullComparedHere(knobs: [String], extra: [String: String]) async throws {
        try await withTemporaryDirectory { path in
            try BundleWriter.oak(path, users: [BundleWriter.ada, BundleWriter.graceLeaving, "p4,,,true,oak,student,kat,,Katherine,Johnson,,S004,,,,,02,"])
            let since = try #require(RosterDate.instant(BundleWriter.lastImport))
            try await RosterServer.with(bundle: URL(fileURLWithPath: path), knobs: knobs) { server in
                let pupils = try await read(server.config(extra), changedSince: since).pupils
                // p4 carries no dateLastModified, so it cannot be ruled out: it is kept.
                #expect(pupils.map(\.details.misID) == ["p3", "p4"])
                #expect(pupils[0].details.status == .inactive)
            }
        }
    }
}
