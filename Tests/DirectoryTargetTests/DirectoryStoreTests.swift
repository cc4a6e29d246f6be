import DirectoryTarget
import Foundation
import MISLinkKit
import Testing

struct DirectoryStoreTests {
    @Test("creates a person with a P-style target id and lists them with every field")
    func createAndList() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            #expect(id == "P000001")
            let people = try await store.listPeople()
            let ann = try #require(people.first)
            #expect(people.count == 1)
            #expect(ann.targetID == id)
            #expect(ann.role == .pupil)
            #expect(ann.misID == "A1")
            #expect(ann.upn == "K801200001001")
            #expect(ann.name == PersonName(legalForename: "Ann", legalSurname: "Smith", preferredForename: "Annie"))
            #expect(ann.dateOfBirth == CalendarDate(year: 2015, month: 9, day: 1))
            #expect(ann.email == "ann@example.org")
            #expect(ann.mobile == "07700900001")
            #expect(ann.fields["year_group"] == "R")
            #expect(ann.fields["reg_group"] == "RB")
            #expect(ann.fields["postcode"] == "AB1 2CD")
            #expect(ann.fields["consent"] == "yes")
            #expect(ann.fields["status"] == "active")
            #expect(ann.fields["added_by"] == "sync")
            #expect(ann.fields["created_at"] != nil)
            #expect(ann.fields["email"] == nil)  // it has its own property
            #expect(!ann.registered)
            #expect(!ann.inRecycleBin)
        }
    }

    @Test("keeps staff and pre-admission details by role")
    func roles() async throws {
        try await withTemporaryStore { store, _ in
            let staffID = try await store.create(People.jane)
            let preID = try await store.create(People.cat)
            let jane = try #require(try await store.person(staffID))
            #expect(jane.role == .staff)
            #expect(jane.niNumber == "QQ123456C")
            #expect(jane.fields["title"] == "Mrs")
            #expect(jane.fields["post"] == "Teacher")
            let cat = try #require(try await store.person(preID))
            #expect(cat.role == .preAdmission)
            #expect(cat.fields["expected_start_date"] == "2025-09-03")
        }
    }

    @Test("gives every person their own id, also when created at the same time")
    func distinctIDs() async throws {
        try await withTemporaryStore { store, _ in
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await store.create(People.ann) } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 20)
            #expect(try await store.listPeople().count == 20)
        }
    }

    @Test("update replaces the details with the record's")
    func update() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            try await store.update(targetID: id, with: People.annUpdated, keepContactDetails: false)
            let ann = try #require(try await store.person(id))
            #expect(ann.name.legalSurname == "Smith-Jones")
            #expect(ann.name.preferredForename == nil)
            #expect(ann.fields["year_group"] == "1")
            #expect(ann.email == "mis@example.org")
            #expect(ann.mobile == "07700900999")
        }
    }

    @Test("update with keepContactDetails leaves email and mobile as they are")
    func keepContactDetails() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            try await store.setRegistered(id, true)
            try await store.update(targetID: id, with: People.annUpdated, keepContactDetails: true)
            let ann = try #require(try await store.person(id))
            #expect(ann.name.legalSurname == "Smith-Jones")
            #expect(ann.email == "ann@example.org")
            #expect(ann.mobile == "07700900001")
            #expect(ann.registered)
        }
    }

    @Test("moves a person to the recycle bin and back, listing them all the while")
    func recycleBin() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            try await store.moveToRecycleBin(targetID: id)
            try await store.moveToRecycleBin(targetID: id)  // a retried job changes nothing
            #expect(try await store.listPeople().map(\.inRecycleBin) == [true])
            try await store.restoreFromRecycleBin(targetID: id)
            #expect(try await store.listPeople().map(\.inRecycleBin) == [false])
        }
    }

    @Test("a person added by hand is marked manual")
    func manual() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.addManual(People.jane, registered: true)
            let jane = try #require(try await store.person(id))
            #expect(jane.fields["added_by"] == "manual")
            #expect(jane.registered)
        }
    }

    @Test("setRegistered marks and unmarks a person's own contact details")
    func registered() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            try await store.setRegistered(id, true)
            #expect(try await store.person(id)?.registered == true)
            try await store.setRegistered(id, false)
            #expect(try await store.person(id)?.registered == false)
        }
    }

    @Test("editField changes one field as a user of the target would")
    func editField() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            try await store.editField(id, field: "postcode", value: "ZZ9 9ZZ")
            try await store.editField(id, field: "email", value: nil)
            let ann = try #require(try await store.person(id))
            #expect(ann.fields["postcode"] == "ZZ9 9ZZ")
            #expect(ann.email == nil)
        }
    }

    @Test(
        "editField refuses an unknown field, an empty legal name, a bad date and a bad consent",
        arguments: [("house", "Red"), ("legal_surname", ""), ("date_of_birth", "01/09/2015"), ("consent", "maybe")])
    func editFieldRefused(field: String, value: String) async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(People.ann)
            let error = try await #require(throws: PluginError.self) {
                try await store.editField(id, field: field, value: value)
            }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains(field))
        }
    }

    @Test("an unknown target id is a permanent error naming the id", arguments: UnknownIDCall.allCases)
    func unknownID(_ call: UnknownIDCall) async throws {
        try await withTemporaryStore { store, _ in
            _ = try await store.create(People.ann)
            await #expect(throws: PluginError.permanent("directory: no person with target id 'P000999'")) {
                try await call.run(on: store, targetID: "P000999")
            }
            #expect(try await store.person("P000999") == nil)
        }
    }

    @Test("keeps people and their ids when the file is opened again")
    func reopen() async throws {
        try await withTemporaryStore { store, path in
            let id = try await store.create(People.ann)
            let again = DirectoryStore(path: path)
            #expect(try await again.person(id)?.misID == "A1")
            #expect(try await again.create(People.jane) == "P000002")
        }
    }

    @Test("a file that is not a database is a permanent error naming the file")
    func notADatabase() async throws {
        try await withTemporaryStore { _, path in
            try Data("this is not sqlite, just text long enough to fill a header page".utf8)
                .write(to: URL(fileURLWithPath: path))
            let error = try await #require(throws: PluginError.self) {
                try await DirectoryStore(path: path).listPeople()
            }
            #expect(error.disposition == .permanent)
            #expect(error.message.contains(path))
        }
    }
}

/// Each call that takes a target id.
enum UnknownIDCall: String, CaseIterable, Sendable {
    case update, moveToRecycleBin, restoreFromRecycleBin, setRegistered, editField

    func run(on store: DirectoryStore, targetID: String) async throws {
        switch self {
        case .update: try await store.update(targetID: targetID, with: People.ann, keepContactDetails: false)
        case .moveToRecycleBin: try await store.moveToRecycleBin(targetID: targetID)
        case .restoreFromRecycleBin: try await store.restoreFromRecycleBin(targetID: targetID)
        case .setRegistered: try await store.setRegistered(targetID, true)
        case .editField: try await store.editField(targetID, field: "postcode", value: "X")
        }
    }
}
