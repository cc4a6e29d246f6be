import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import OneRosterConnector

/// A broken bundle fails the read with a message naming the file and line: never a partial school.
struct BrokenBundleTests {
    /// Writes the Oak bundle, lets `breakIt` spoil it, and returns the read's error message.
    private func readError(_ breakIt: (BundleWriter) throws -> Void) async throws -> String {
        try await withTemporaryDirectory { path in
            let bundle = BundleWriter(path)
            try bundle.oakBulk()
            try breakIt(bundle)
            // A broken manifest is found as the connector is made, the rest as it reads.
            let error = try await #require(throws: PluginError.self) {
                let connector = try OneRosterConnectorPlugin().makeConnector(config: PluginConfig(values: ["dir": path]))
                _ = try await connector.readPupils(changedSince: nil, context: .silent)
            }
            #expect(error.disposition == .permanent)
            return error.message
        }
    }

    @Test func aFileTheManifestListsButIsMissingFailsTheRead() async throws {
        let message = try await readError { try FileManager.default.removeItem(at: $0.directory.appendingPathComponent("enrollments.csv")) }
        #expect(message.contains("enrollments.csv is missing"))
    }

    @Test func anUnclosedQuoteNamesItsLine() async throws {
        let message = try await readError {
            try $0.write("users.csv", [BundleWriter.usersHeader, "p1,active,,true,oak,student,ada,,\"Ada,Lovelace,,,,,,,,"])
        }
        #expect(message.contains("users.csv line 2"))
        #expect(message.contains("not closed"))
    }

    @Test func twoRowsForOnePersonNameBothLines() async throws {
        let message = try await readError {
            try $0.write(
                "users.csv",
                [BundleWriter.usersHeader, "p1,,,true,oak,student,a,,Ada,Lovelace,,,,,,,01,", "p1,,,true,oak,student,a,,Ada,Byron,,,,,,,01,"])
        }
        #expect(message.contains("users.csv line 3, column sourcedId"))
        #expect(message.contains("also at users.csv line 2"))
    }

    @Test func aBirthDateThatIsNoDateNamesFileLineAndColumn() async throws {
        let message = try await readError { try $0.write("demographics.csv", [BundleWriter.demographicsHeader, "p1,active,,10/12/2021,female"]) }
        #expect(message.contains("demographics.csv line 2, column birthDate"))
        #expect(message.contains("10/12/2021"))
    }

    @Test func anUnknownStatusIsRefused() async throws {
        let message = try await readError {
            try $0.write("users.csv", [BundleWriter.usersHeader, "p1,gone,,true,oak,student,a,,Ada,Lovelace,,,,,,,01,"])
        }
        #expect(message.contains("column status"))
    }

    @Test func aRowWithMoreFieldsThanTheHeaderIsRefused() async throws {
        let message = try await readError {
            try $0.write("enrollments.csv", [BundleWriter.enrollmentsHeader, "e1,active,,hr-r,oak,p1,student,,2026-09-01,,extra"])
        }
        #expect(message.contains("enrollments.csv line 2"))
        #expect(message.contains("11 fields"))
    }

    @Test func aManifestWithoutUsersOrWithAnUnknownModeIsRefused() async throws {
        let absent = try await readError { try $0.manifest(["classes": "bulk"]) }
        #expect(absent.contains("manifest.csv says file.users is absent"))
        let unknown = try await readError { try $0.manifest(["users": "partial"]) }
        #expect(unknown.contains("manifest.csv line 4"))
        #expect(unknown.contains("'partial'"))
    }
}
