import Foundation
import MISLinkKit
import MISLinkTestSupport
import SCIMTarget
import Testing

extension SCIMServerSuites {
    /// The target's calls against the real scim2-server 0.8.3.
    @Suite struct SCIMTargetServerTests {
        @Test func aNewPupilBecomesAUserWithTheMappedAttributesAndItsGroups() async throws {
            try await withSCIMServer { server in
                let target = try makeTarget(server, ["groups": "on"])
                let record = People.pupil("P1", "Amelia", "Smith", preferred: "Amy", email: "amy@pupils.example", mobile: "07700 900001")
                let id = try await target.create(record, context: .silent)
                let admin = SCIMAdmin(server)
                let user = try #require(try await admin.user(externalId: "P1"))
                #expect(user["id"] as? String == id)
                #expect(user["userName"] as? String == "amy.smith@school.example")
                #expect(user["displayName"] as? String == "Amy Smith")
                #expect(user["userType"] as? String == "Student")
                #expect(user["active"] as? Bool == true)
                let name = try #require(user["name"] as? [String: Any])
                #expect(name["givenName"] as? String == "Amy")
                #expect(name["familyName"] as? String == "Smith")
                #expect((user["emails"] as? [[String: Any]])?.first?["value"] as? String == "amy@pupils.example")
                #expect((user["phoneNumbers"] as? [[String: Any]])?.first?["value"] as? String == "07700 900001")
                let enterprise = try #require(user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: Any])
                #expect(enterprise["employeeNumber"] as? String == "P1")
                #expect(enterprise["department"] as? String == "5")
                // The UPN never leaves for the identity system.
                #expect(!String(describing: user).contains("A123456789012"))
                #expect(try await admin.members(ofGroup: "mislink:reg:5A") == [id])
                #expect(try await admin.members(ofGroup: "mislink:year:5") == [id])
                #expect(try await admin.group(externalId: "mislink:year:5")?["displayName"] as? String == "Year 5")

                let listed = try await makeTarget(server, ["groups": "on"]).listPeople(context: .silent)
                let person = try #require(listed.first)
                #expect(listed.count == 1)
                #expect(person.targetID == id && person.misID == "P1" && person.role == .pupil && !person.inRecycleBin)
                #expect(person.fields["year_group"] == "5" && person.fields["reg_group"] == "5A")
                #expect(person.email == "amy@pupils.example" && person.mobile == "07700 900001")
            }
        }

        @Test func staffAreStaffWithTheirPostAndTitle() async throws {
            try await withSCIMServer { server in
                let target = try makeTarget(server)
                _ = try await target.create(People.staff("T1", "Jo", "Bloggs"), context: .silent)
                let person = try #require(try await target.listPeople(context: .silent).first)
                #expect(person.role == .staff)
                #expect(person.fields["post"] == "Teacher" && person.fields["title"] == "Ms")
                let user = try #require(try await SCIMAdmin(server).user(externalId: "T1"))
                #expect(user["userType"] as? String == "Staff" && user["title"] as? String == "Teacher")
            }
        }

        @Test func aTakenUserNameGetsTheNextNumberComparedWithoutCase() async throws {
            try await withSCIMServer { server in
                let admin = SCIMAdmin(server)
                try await admin.createUser(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"AMY.Smith@school.example"}"#)
                try await admin.createUser(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"amy.smith2@school.example"}"#)
                let target = try makeTarget(server)
                _ = try await target.create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                #expect(try await admin.user(externalId: "P1")?["userName"] as? String == "amy.smith3@school.example")
            }
        }

        @Test func creatingThePersonAgainAfterALostAnswerMakesNoSecondUser() async throws {
            try await withSCIMServer { server in
                let target = try makeTarget(server, ["groups": "on"])
                let first = try await target.create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                let second = try await makeTarget(server, ["groups": "on"]).create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                #expect(first == second)
                #expect(try await SCIMAdmin(server).users().count == 1)
                #expect(try await SCIMAdmin(server).members(ofGroup: "mislink:reg:5A") == [first])
            }
        }

        @Test func aClashTheTemplateCannotCountPastIsAClearPermanentError() async throws {
            try await withSCIMServer { server in
                try await SCIMAdmin(server).createUser(
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"amy.smith@school.example"}"#)
                let target = try makeTarget(server, ["user-name": "{forename}.{surname}@school.example"])
                let error = try await #require(throws: PluginError.self) {
                    _ = try await target.create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                }
                #expect(error.disposition == .permanent)
                #expect(error.message.contains("cannot create pupil P1"))
                #expect(error.message.contains("amy.smith@school.example"))
                #expect(error.message.contains("has no {n}"))
            }
        }

        @Test func anUnchangedPersonCostsNoRequestAndAChangeIsOnePatchUnderIfMatch() async throws {
            try await withSCIMServer { server in
                let id = try await makeTarget(server).create(
                    People.pupil("P1", "Amy", "Smith", email: "amy@pupils.example"), context: .silent)
                let log = LogRecorder()
                let target = try makeTarget(server)
                _ = try await target.listPeople(context: log.context)
                log.clear()
                try await target.update(
                    targetID: id, with: People.pupil("P1", "Amy", "Smith", email: "amy@pupils.example"), keepContactDetails: false,
                    context: log.context)
                #expect(log.all.isEmpty)

                try await target.update(
                    targetID: id, with: People.pupil("P1", "Amy", "Smith-Jones", year: "6"), keepContactDetails: false, context: log.context)
                #expect(log.requests("PATCH /v2/Users/\(id)").count == 1)
                let user = try #require(try await SCIMAdmin(server).user(externalId: "P1"))
                #expect((user["name"] as? [String: Any])?["familyName"] as? String == "Smith-Jones")
                #expect(user["displayName"] as? String == "Amy Smith-Jones")
                #expect(user["emails"] == nil)
                #expect(user["userName"] as? String == "amy.smith@school.example")
                let enterprise = user["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: Any]
                #expect(enterprise?["department"] as? String == "6")
            }
        }

        @Test func aUserChangedSinceItWasReadIsReadAgainAndPatchedOnce() async throws {
            try await withSCIMServer { server in
                let id = try await makeTarget(server).create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                let log = LogRecorder()
                let target = try makeTarget(server)
                _ = try await target.listPeople(context: log.context)
                // An admin edits the user in the identity system: its ETag moves on.
                try await SCIMAdmin(server).patchUser(id, #"[{"op":"replace","path":"nickName","value":"Ames"}]"#)
                try await target.update(
                    targetID: id, with: People.pupil("P1", "Amy", "Smythe"), keepContactDetails: false, context: log.context)
                #expect(log.requests("PATCH /v2/Users/\(id) → 412").count == 1)
                #expect(log.requests("PATCH /v2/Users/\(id) → 204").count == 1)
                let user = try #require(try await SCIMAdmin(server).user(externalId: "P1"))
                #expect((user["name"] as? [String: Any])?["familyName"] as? String == "Smythe")
                #expect(user["nickName"] as? String == "Ames")
            }
        }

        @Test func theRecycleBinIsActiveFalseAndRestoreSetsItBackWithoutDeletingAnyone() async throws {
            try await withSCIMServer { server in
                let id = try await makeTarget(server).create(People.pupil("P1", "Amy", "Smith"), context: .silent)
                let admin = SCIMAdmin(server)
                try await makeTarget(server).moveToRecycleBin(targetID: id, context: .silent)
                #expect(try await admin.user(externalId: "P1")?["active"] as? Bool == false)
                #expect(try await makeTarget(server).listPeople(context: .silent).first?.inRecycleBin == true)
                try await makeTarget(server).restoreFromRecycleBin(targetID: id, context: .silent)
                #expect(try await admin.user(externalId: "P1")?["active"] as? Bool == true)
                #expect(try await makeTarget(server).listPeople(context: .silent).first?.inRecycleBin == false)
                #expect(try await admin.users().count == 1)
            }
        }

        @Test func listPeopleReadsEveryPageAndOnlyUsersWithAnMISID() async throws {
            try await withSCIMServer { server in
                let target = try makeTarget(server, ["page-size": "2"])
                for number in 1...5 { _ = try await target.create(People.pupil("P\(number)", "Pupil", "Number\(number)"), context: .silent) }
                try await SCIMAdmin(server).createUser(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"admin@school.example"}"#)
                let log = LogRecorder()
                let people = try await makeTarget(server, ["page-size": "2"]).listPeople(context: log.context)
                #expect(Set(people.compactMap(\.misID)) == ["P1", "P2", "P3", "P4", "P5"])
                #expect(log.requests("GET /v2/Users?").count == 3)
                #expect(log.requests("startIndex=5").count == 1)
                let everyone = try await makeTarget(server, ["users-filter": "none"]).listPeople(context: .silent)
                #expect(everyone.count == 6)
            }
        }

        @Test func movingToAnotherGroupLeavesTheOldOneAndBulkCarriesTheChanges() async throws {
            try await withSCIMServer { server in
                let log = LogRecorder()
                let target = try makeTarget(server, ["groups": "on"])
                let id = try await target.create(People.pupil("P1", "Amy", "Smith"), context: log.context)
                let other = try await target.create(People.pupil("P2", "Ben", "Jones"), context: log.context)
                #expect(log.requests("POST /v2/Bulk").count == 2)
                #expect(log.requests("POST /v2/Users").isEmpty)
                try await makeTarget(server, ["groups": "on"]).update(
                    targetID: id, with: People.pupil("P1", "Amy", "Smith", year: "6", reg: "6B"), keepContactDetails: false,
                    context: log.context)
                let admin = SCIMAdmin(server)
                #expect(try await admin.members(ofGroup: "mislink:reg:5A") == [other])
                #expect(try await admin.members(ofGroup: "mislink:year:5") == [other])
                #expect(try await admin.members(ofGroup: "mislink:reg:6B") == [id])
                #expect(try await admin.members(ofGroup: "mislink:year:6") == [id])
                #expect(try await admin.groups().count == 4)
            }
        }

        @Test func aServerThatAdvertisesNoBulkGetsSingleRequestsWithTheSameResult() async throws {
            let noBulk = #"""
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],"patch":{"supported":true},
                 "bulk":{"supported":false,"maxOperations":0,"maxPayloadSize":0},"filter":{"supported":true,"maxResults":100},
                 "changePassword":{"supported":false},"sort":{"supported":false},"etag":{"supported":true},"authenticationSchemes":[]}
                """#
            try await withSCIMServer(serviceProviderConfig: noBulk) { server in
                let log = LogRecorder()
                let target = try makeTarget(server, ["groups": "on"])
                let id = try await target.create(People.pupil("P1", "Amy", "Smith"), context: log.context)
                #expect(log.requests("/Bulk").isEmpty)
                #expect(try await SCIMAdmin(server).members(ofGroup: "mislink:reg:5A") == [id])
            }
        }

        @Test func twoSchoolsInOneTenantEachSeeOnlyTheirOwnUsersAndGroups() async throws {
            try await withSCIMServer { server in
                let oak = try makeTarget(server, ["groups": "on", "organization": "Oak", "user-name": "{forename}.{surname}{n}@oak.example"])
                let elm = try makeTarget(server, ["groups": "on", "organization": "Elm", "user-name": "{forename}.{surname}{n}@elm.example"])
                // Both MIS number their pupils from 1001.
                let oakAmy = try await oak.create(People.pupil("1001", "Amy", "Smith"), context: .silent)
                let elmBen = try await elm.create(People.pupil("1001", "Ben", "Jones"), context: .silent)
                let oakPeople = try await makeTarget(server, ["groups": "on", "organization": "Oak"]).listPeople(context: .silent)
                #expect(oakPeople.map(\.targetID) == [oakAmy])
                #expect(oakPeople.first?.fields["reg_group"] == "5A")
                #expect(try await makeTarget(server, ["organization": "Elm"]).listPeople(context: .silent).map(\.targetID) == [elmBen])
                let admin = SCIMAdmin(server)
                #expect(try await admin.members(ofGroup: "mislink:Oak:reg:5A") == [oakAmy])
                #expect(try await admin.members(ofGroup: "mislink:Elm:reg:5A") == [elmBen])
                #expect(try await admin.group(externalId: "mislink:Oak:year:5")?["displayName"] as? String == "Oak Year 5")
                let enterprise = try await admin.user(externalId: "1001")?["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] as? [String: Any]
                #expect(["Oak", "Elm"].contains(enterprise?["organization"] as? String ?? ""))
            }
        }

        @Test func aWrongTokenIsRefusedCredentialsAsAPermanentErrorWithoutTheToken() async throws {
            try await withSCIMServer { server in
                let wrong = "wrong-token-\(UUID().uuidString)"
                let target = try SCIMTargetPlugin().makeTarget(
                    config: PluginConfig(
                        values: ["scim-url": server.url.absoluteString, "user-name": "{forename}{n}@x"], secrets: ["scim-token": wrong]))
                let error = try await #require(throws: PluginError.self) { _ = try await target.listPeople(context: .silent) }
                #expect(error.disposition == .permanent)
                #expect(error.message.contains("credentials refused by SCIM server (401"))
                #expect(!error.message.contains(wrong))
            }
        }
    }
}
