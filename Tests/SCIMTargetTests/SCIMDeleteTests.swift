import Foundation
import MISLinkKit
import MISLinkTestSupport
import SCIMTarget
import Testing

extension SCIMServerSuites {
    /// `Target.delete` (kit 1.5) against the real scim2-server: a purge of the recycle bin.
    @Suite struct SCIMDeleteTests {
        @Test func deleteRemovesTheUserAndItsGroupMembershipsAndAUserAlreadyGoneIsNoError() async throws {
            try await withSCIMServer { server in
                let target = try makeTarget(server, ["groups": "on"])
                #expect(target.canDelete)
                let amy = try await target.create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                let ben = try await target.create(People.pupil("P2", "Ben", "Jones"), context: .silent)
                try await target.moveToRecycleBin(targetID: amy, context: .silent)
                let admin = SCIMAdmin(server)
                #expect(try await admin.members(ofGroup: "mislink:reg:5A") == [amy, ben])

                let log = LogRecorder()
                try await makeTarget(server, ["groups": "on"]).delete(targetID: amy, context: log.context)
                #expect(log.requests("DELETE /v2/Users/\(amy) → 204").count == 1, "\(log.all)")
                #expect(try await admin.user(externalId: "P1") == nil)
                #expect(try await admin.users().count == 1)
                // Out of MISLink's groups too: the server would keep a deleted User as a dangling member.
                #expect(try await admin.members(ofGroup: "mislink:reg:5A") == [ben])
                #expect(try await admin.members(ofGroup: "mislink:year:5") == [ben])

                // A purge that runs again: the server answers 404, which counts as deleted.
                log.clear()
                try await makeTarget(server, ["groups": "on"]).delete(targetID: amy, context: log.context)
                #expect(log.requests("DELETE /v2/Users/\(amy) → 404").count == 1, "\(log.all)")
                #expect(try await makeTarget(server).listPeople(context: .silent).map(\.targetID) == [ben])
                #expect(!log.all.joined(separator: "\n").contains(server.token))
            }
        }
    }
}
