import Foundation
import MISLinkHTTPClient
import MISLinkKit
@testable import SCIMTarget
import Testing

/// The pure parts: how records map, what a change sends, how Bulk requests are cut, what config is refused.
struct SCIMMappingTests {
    @Test func aPupilIsAStudentKnownByTheirPreferredNameWithTheMISIDAsEmployeeNumber() {
        let user = SCIMUser(record: People.pupil("P1", "Amelia", "Smith", preferred: "Amy", year: "R", reg: "RB"), userName: "amy@x")
        #expect(user.externalId == "P1" && user.enterprise?.employeeNumber == "P1")
        #expect(user.name?.givenName == "Amy" && user.name?.familyName == "Smith" && user.displayName == "Amy Smith")
        #expect(user.userType == "Student" && user.active == true && user.title == nil)
        #expect(user.enterprise?.department == "R")
        #expect(user.emails == nil && user.phoneNumbers == nil)
        #expect(user.schemas == [SCIMUser.schema, SCIMUser.enterpriseSchema])
        #expect(SCIMGroupKey.groups(of: People.pupil("P1", "A", "B", year: "R", reg: "RB")) == [.init(.year, "R"), .init(.registration, "RB")])
    }

    @Test func aPreAdmissionIsAStudentTitledSoAndComesBackAsOne() throws {
        let pupil = Pupil(details: PersonDetails(misID: "N1", name: PersonName(legalForename: "Ola", legalSurname: "Nowak")), yearGroup: "R")
        var user = SCIMUser(record: .preAdmission(PreAdmission(pupil: pupil)), userName: "ola@x")
        user.id = "u1"
        #expect(user.userType == "Student" && user.title == "Pre-admission")
        #expect(try #require(user.targetPerson()).role == .preAdmission)
    }

    @Test func staffCarryTheirTitleAsHonorificAndTheirPostAsTitle() throws {
        var user = SCIMUser(record: People.staff("T1", "Jo", "Bloggs", post: "Head of Maths"), userName: "jo@x")
        #expect(user.userType == "Staff" && user.title == "Head of Maths" && user.name?.honorificPrefix == "Ms")
        #expect(user.emails == [SCIMUser.MultiValue(value: "jo@staff.example", type: "work", primary: true)])
        user.id = "u1"
        user.active = false
        let person = try #require(user.targetPerson())
        #expect(person.role == .staff && person.inRecycleBin && person.fields["post"] == "Head of Maths")
        #expect(person.fields["status"] == "inactive")
    }

    @Test func anUnchangedUserNeedsNoOperationAndAChangeNamesOnlyItsPaths() {
        let held = SCIMUser(record: People.pupil("P1", "Amy", "Smith", email: "amy@p.example"), userName: "amy@x")
        #expect(SCIMUserChanges.operations(held: held, wanted: SCIMUser.wanted(People.pupil("P1", "Amy", "Smith", email: "amy@p.example")), keepContactDetails: false).isEmpty)
        let moved = SCIMUser.wanted(People.pupil("P1", "Amy", "Smith", year: "6"))
        let operations = SCIMUserChanges.operations(held: held, wanted: moved, keepContactDetails: false)
        #expect(operations.map(\.path) == ["emails", SCIMUser.enterpriseSchema + ":department"])
        #expect(operations.map(\.op) == ["remove", "replace"])
        // A registered person's contact details are theirs.
        #expect(SCIMUserChanges.operations(held: held, wanted: moved, keepContactDetails: true).map(\.path) == [SCIMUser.enterpriseSchema + ":department"])
    }

    @Test func aUserMadeByHandAndMatchedGetsItsMISIDWithoutALoginChange() {
        var held = SCIMUser()
        held.userName = "amy.smith@school.example"
        let operations = SCIMUserChanges.operations(held: held, wanted: SCIMUser.wanted(People.pupil("P1", "Amy", "Smith")), keepContactDetails: false)
        #expect(operations.first == .replace("externalId", .string("P1")))
        #expect(!operations.contains { $0.path == "userName" || $0.path == "active" })
    }

    @Test func bulkRequestsStayWithinMaxOperationsAndMaxPayloadSize() throws {
        let changes = (1...7).map { SCIMGroupChange.add("user\($0)", to: .init(.registration, "5A"), groupID: "g1").bulkOperation }
        #expect(try SCIMBulkChunks.split(changes, limits: (3, 1 << 20)).map(\.count) == [3, 3, 1])
        let one = try JSONEncoder().encode(SCIMBulk.Request(operations: [changes[0]])).count
        let byBytes = try SCIMBulkChunks.split(changes, limits: (1000, one * 2))
        #expect(byBytes.count > 1 && byBytes.allSatisfy { !$0.isEmpty })
        for chunk in byBytes { #expect(try JSONEncoder().encode(SCIMBulk.Request(operations: chunk)).count <= one * 2) }
        #expect(throws: PluginError.self) { try SCIMBulkChunks.split(changes, limits: (1000, 40)) }
        #expect(SCIMServiceProviderConfig(bulk: .init(supported: true, maxOperations: 1, maxPayloadSize: 100)).bulkLimits == nil)
        #expect(SCIMServiceProviderConfig(bulk: .init(supported: false, maxOperations: 100, maxPayloadSize: 100)).bulkLimits == nil)
    }

    @Test(arguments: [
        (["scim-url": "ftp://idp.example/scim"], "is not an http(s) URL"),
        (["scim-url": "https://idp.example/scim?token=x"], "plain base URL"),
        (["groups": "maybe"], "groups 'maybe' is not on or off"),
        (["page-size": "5000"], "page-size '5000' is not a number from 1 to 1000"),
        (["bulk": "always"], "bulk 'always' is not auto or off"),
        (["user-name": "{nickname}@x"], "unknown placeholder {nickname}"),
        (["user-name": ""], "'user-name' is not set"),
    ])
    func aBadConfigurationIsRefusedAtAddNamingTheKey(change: [String: String], message: String) {
        var values = ["scim-url": "https://idp.example/scim/v2", "user-name": "{forename}{n}@x"]
        values.merge(change) { $1 }
        #expect {
            try SCIMTargetPlugin().validate(config: PluginConfig(values: values))
        } throws: { error in
            (error as? PluginError)?.message.contains(message) == true
        }
    }

    @Test func theTokenIsASecretKeyAndAGoodConfigurationPasses() throws {
        let keys = SCIMTargetPlugin().manifest.configKeys
        #expect(keys.filter(\.secret).map(\.names) == [["token", "scim-token"]])
        #expect(keys.filter(\.required).map(\.name) == ["url", "token", "user-name"])
        #expect(keys.first { $0.name == "url" }?.aliases == ["scim-url"])
        // The issue's names and the earlier ones both work.
        try SCIMTargetPlugin().validate(
            config: PluginConfig(values: ["url": "https://idp.example/scim/v2", "user-name": "{forename}.{surname}{n}@x"]))
        try SCIMTargetPlugin().validate(
            config: PluginConfig(values: ["scim-url": "https://idp.example/scim/v2", "user-name": "{forename}.{surname}{n}@x", "groups": "on"]))
    }
}
