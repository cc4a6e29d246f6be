import DirectoryTarget
import MISLinkKit
import Testing

@Suite struct DirectoryDeleteTests {
    @Test("delete (kit 1.5) removes a person and their contacts for good, and deleting them again is no error")
    func deleteForGood() async throws {
        try await withTemporaryStore { store, _ in
            let target = DirectoryTarget(store: store)
            #expect(target.canDelete)
            let amy = try await store.create(.pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))))
            let ben = try await store.create(.pupil(Pupil(details: PersonDetails(misID: "M2", name: PersonName(legalForename: "Ben", legalSurname: "Ng")))))
            // Ben is the last row: a new person may take his row id, and must not find his contacts there.
            try await store.replaceContacts(
                of: ben,
                with: [Contact(misID: "C1", studentMisID: "M2", relationship: "Mother", forename: "Ann", surname: "Lee",
                               email: nil, mobile: nil, priority: 1, parentalResponsibility: true)])
            try await store.moveToRecycleBin(targetID: ben)
            try await target.delete(targetID: ben, context: .silent)
            #expect(try await store.person(ben) == nil)
            #expect(try await store.listPeople().map(\.targetID) == [amy])
            let cat = try await store.create(.pupil(Pupil(details: PersonDetails(misID: "M3", name: PersonName(legalForename: "Cat", legalSurname: "Roe")))))
            #expect(try await store.person(cat)?.contacts == [])
            // A purge that runs again sends the same delete: nothing there, nothing wrong.
            try await target.delete(targetID: ben, context: .silent)
            #expect(try await store.delete(targetID: ben) == false)
            #expect(try await store.listPeople().map(\.targetID) == [amy, cat])
        }
    }
}
