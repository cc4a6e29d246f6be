import Foundation
import MISLinkExec
import MISLinkKit
import MISLinkTestSupport
import Testing

/// The reference plugins under Plugins/exec-examples: the Python connector and the Perl target.
@Suite struct ReferencePluginTests {
    static let school = #"""
        {"apiKey": "key-7a6b5c4d", "pupils": [
          {"misId": "P1", "legalForename": "Amy", "legalSurname": "Lee", "yearGroup": "3", "dateOfBirth": "2017-03-04", "upn": "A123456789012"},
          {"misId": "P2", "legalForename": "Ben", "legalSurname": "Ng", "status": "inactive", "endDate": "2026-07-20"}],
         "staff": [{"misId": "S1", "legalForename": "Cat", "legalSurname": "Roe", "niNumber": "QQ123456C", "post": "Teacher"}],
         "contacts": [{"misId": "C1", "studentMisId": "P1", "forename": "Dee", "surname": "Lee", "priority": 1, "parentalResponsibility": true}]}
        """#

    @Test func thePythonConnectorStreamsTheSchoolAndWritesBackOncePerEvent() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir + "/school.json"
            try Self.school.write(toFile: file, atomically: true, encoding: .utf8)
            let connector = try ExecFixtures.connector(ExecFixtures.schoolJSON, values: ["file": file], secrets: ["api-key": "key-7a6b5c4d"])
            try await connector.checkConnection(context: .silent)
            let pupils = try await connector.readPupils(changedSince: Date(), context: .silent)
            #expect(pupils.map(\.details.misID) == ["P1", "P2"])
            #expect(pupils[0].upn == "A123456789012")
            #expect(pupils[0].details.dateOfBirth == CalendarDate(iso: "2017-03-04"))
            #expect(pupils[1].details.status == .inactive)
            #expect(try await connector.readStaff(changedSince: nil, context: .silent).first?.niNumber == "QQ123456C")
            #expect(try await connector.readContacts(changedSince: nil, context: .silent).first?.parentalResponsibility == true)
            let mark = AttendanceMark(eventID: "e1", studentMisID: "P1", date: CalendarDate(iso: "2026-11-27")!, session: .am, code: "L", minutesLate: 12)
            #expect(try await connector.writeAttendance(mark, context: .silent) == .written)
            #expect(try await connector.writeAttendance(mark, context: .silent) == .alreadyWritten)
            let ledger = file + ".writeback.jsonl"
            #expect(try String(contentsOfFile: ledger, encoding: .utf8).split(separator: "\n").count == 1)
            let mode = try FileManager.default.attributesOfItem(atPath: ledger)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            var unknown = mark
            unknown.eventID = "e2"
            unknown.studentMisID = "P9"
            let refused = await #expect(throws: PluginError.self) { _ = try await connector.writeAttendance(unknown, context: .silent) }
            #expect(refused?.disposition == .permanent)
            #expect(refused?.message == "plugin 'school-json': no pupil P9 in the school")
        }
    }

    @Test func thePythonConnectorRefusesAWrongKeyAsPermanent() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir + "/school.json"
            try Self.school.write(toFile: file, atomically: true, encoding: .utf8)
            let connector = try ExecFixtures.connector(ExecFixtures.schoolJSON, values: ["file": file], secrets: ["api-key": "wrong-key-1"])
            let error = await #expect(throws: PluginError.self) { try await connector.checkConnection(context: .silent) }
            #expect(error?.disposition == .permanent)
            #expect(error?.message == "plugin 'school-json': credentials refused by the school file")
        }
    }

    @Test func thePerlTargetCreatesUpdatesAndKeepsARecycleBin() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir + "/people.json"
            let target = try ExecFixtures.target(values: ["people-file": file])
            #expect(try await target.listPeople(context: .silent).isEmpty)
            let pupil = Pupil(
                details: PersonDetails(misID: "P1", name: PersonName(legalForename: "Amy", legalSurname: "Lee"), email: "amy@example.org"),
                upn: "A123456789012", yearGroup: "3")
            let id = try await target.create(.pupil(pupil), context: .silent)
            var moved = pupil
            moved.yearGroup = "4"
            try await target.update(targetID: id, with: .pupil(moved), keepContactDetails: false, context: .silent)
            try await target.moveToRecycleBin(targetID: id, context: .silent)
            var people = try await target.listPeople(context: .silent)
            #expect(people.count == 1)
            #expect(people[0].targetID == id)
            #expect(people[0].misID == "P1")
            #expect(people[0].upn == "A123456789012")
            #expect(people[0].fields["yearGroup"] == "4")
            #expect(people[0].email == "amy@example.org")
            #expect(people[0].inRecycleBin)
            try await target.restoreFromRecycleBin(targetID: id, context: .silent)
            people = try await target.listPeople(context: .silent)
            #expect(people[0].inRecycleBin == false)
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let missing = await #expect(throws: PluginError.self) { try await target.moveToRecycleBin(targetID: "99", context: .silent) }
            #expect(missing?.message == "plugin 'people-file': no person 99 in \(file)")
        }
    }
}

extension ReferencePluginTests {
    @Test func thePerlTargetDeletesForGoodAndADeleteOfSomeoneGoneIsNoError() async throws {
        try await withTemporaryDirectory { dir in
            let file = dir + "/people.json"
            let target = try ExecFixtures.target(values: ["people-file": file])
            #expect(target.canDelete)
            let amy = try await target.create(.pupil(Pupil(details: PersonDetails(misID: "P1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))), context: .silent)
            let ben = try await target.create(.pupil(Pupil(details: PersonDetails(misID: "P2", name: PersonName(legalForename: "Ben", legalSurname: "Ng")))), context: .silent)
            try await target.moveToRecycleBin(targetID: amy, context: .silent)
            try await target.delete(targetID: amy, context: .silent)
            #expect(try await target.listPeople(context: .silent).map(\.targetID) == [ben])
            try await target.delete(targetID: amy, context: .silent)
            #expect(try await target.listPeople(context: .silent).map(\.targetID) == [ben])
            #expect(!(try String(contentsOfFile: file, encoding: .utf8).contains("Amy")))
        }
    }

    @Test func aTargetWhoseManifestListsNoDeleteCannotDeleteEvenWhenItListsNoMethodsAtAll() async throws {
        try await withTemporaryDirectory { dir in
            let manifest = try String(contentsOf: ExecFixtures.peopleFile, encoding: .utf8)
            let folder = URL(fileURLWithPath: dir)
            let script = ExecFixtures.peopleFile.deletingLastPathComponent().appendingPathComponent("people_file_target.pl").path
            // Without "methods" a manifest serves every call of its role, but delete only when listed.
            let variants = [
                "listed-without": manifest.replacingOccurrences(of: #", "delete""#, with: ""),
                "no-methods": manifest.replacingOccurrences(
                    of: #""methods": ["listPeople", "create", "update", "moveToRecycleBin", "restoreFromRecycleBin", "replaceContacts", "delete"],"#,
                    with: ""),
            ]
            for (name, text) in variants {
                #expect(!text.contains(#""delete""#), "\(name)")
                let file = folder.appendingPathComponent("\(name).json")
                try text.replacingOccurrences(of: #""args": ["people_file_target.pl"]"#, with: #""args": ["\#(script)"]"#)
                    .write(to: file, atomically: true, encoding: .utf8)
                let exec = try ExecManifest(contentsOf: file)
                #expect(!exec.methods.contains("delete"), "\(name)")
                #expect(exec.methods.contains("replaceContacts"), "\(name)")
                let target = try ExecTargetPlugin(exec).makeTarget(config: PluginConfig(values: ["people-file": dir + "/people.json"]))
                #expect(!target.canDelete, "\(name)")
                let refused = await #expect(throws: PluginError.self) { try await target.delete(targetID: "1", context: .silent) }
                #expect(refused?.message == "plugin 'people-file' cannot delete records (its manifest lists no delete)", "\(name)")
            }
        }
    }
}
