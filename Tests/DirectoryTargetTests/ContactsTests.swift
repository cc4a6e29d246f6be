import DirectoryTarget
import MISLinkKit
import Testing

@Suite struct ContactsTests {
    @Test("replaceContacts keeps a person's contacts in order, replaces them whole, and lists them with the person")
    func roundTrip() async throws {
        try await withTemporaryStore { store, _ in
            let id = try await store.create(.pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))))
            let mother = Contact(misID: "C1", studentMisID: "M1", relationship: "Mother", forename: "Ann", surname: "Lee",
                                 email: "ann@example.org", mobile: nil, priority: 1, parentalResponsibility: true)
            let father = Contact(misID: "C2", studentMisID: "M1", relationship: nil, forename: "Tom", surname: "Lee",
                                 email: nil, mobile: "07700900002", priority: nil, parentalResponsibility: nil)
            try await store.replaceContacts(of: id, with: [mother, father])
            #expect(try await store.person(id)?.contacts == [mother, father])
            #expect(try await store.listPeople().first?.contacts == [mother, father])
            try await store.replaceContacts(of: id, with: [father])
            #expect(try await store.person(id)?.contacts == [father])
            await #expect(throws: PluginError.self) { try await store.replaceContacts(of: "P999999", with: []) }
        }
    }
}
