import Foundation
import MISLinkKit
import Testing

/// Kit 1.4: a connector that implements only the batch reads answers the array forms with every
/// batch, in order.
@Suite struct StreamingConnectorTests {
    struct ThreeBatches: StreamingConnector {
        static func pupil(_ id: String) -> Pupil { Pupil(details: PersonDetails(misID: id, name: PersonName(legalForename: "A", legalSurname: id))) }

        func readPupils(changedSince: Date?, context: PluginContext, each: (_ batch: [Pupil]) throws -> Void) async throws {
            try each([Self.pupil("P1"), Self.pupil("P2")])
            try each([])
            try each([Self.pupil("P3")])
        }

        func readStaff(changedSince: Date?, context: PluginContext, each: (_ batch: [StaffMember]) throws -> Void)
            async throws
        {}

        func readPreAdmissions(
            changedSince: Date?, context: PluginContext, each: (_ batch: [PreAdmission]) throws -> Void
        ) async throws {}

        func readContacts(changedSince: Date?, context: PluginContext, each: (_ batch: [Contact]) throws -> Void)
            async throws
        {
            try each([Contact(misID: "C1", studentMisID: "P1", forename: "B", surname: "P1")])
            try each([Contact(misID: "C2", studentMisID: "P3", forename: "B", surname: "P3")])
        }
    }

    @Test("the array forms of a streaming connector's reads collect its batches in order")
    func arrayFormsCollectTheBatches() async throws {
        let connector: any Connector = ThreeBatches()
        #expect(try await connector.readPupils(changedSince: nil, context: .silent).map(\.details.misID) == ["P1", "P2", "P3"])
        #expect(try await connector.readContacts(changedSince: nil, context: .silent).map(\.misID) == ["C1", "C2"])
        #expect(try await connector.readStaff(changedSince: nil, context: .silent).isEmpty)
    }
}
