import DirectoryTarget
import MISLinkKit
import Testing

@Suite struct DirectoryFingerprintTests {
    @Test("the fingerprint (kit 1.5) changes with every kind of write, and only then")
    func changesWithEveryWrite() async throws {
        try await withTemporaryStore { store, _ in
            let target = DirectoryTarget(store: store)
            var seen: [String] = []
            func expectChanged(_ what: String) async throws {
                let now = try #require(try await target.fingerprint(context: .silent))
                #expect(!seen.contains(now), "\(what) changes the fingerprint")
                #expect(try await target.fingerprint(context: .silent) == now, "\(what): read twice, the same")
                seen.append(now)
            }
            try await expectChanged("an empty file")
            let amy = try await store.create(.pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee")))))
            try await expectChanged("a create")
            try await store.update(
                targetID: amy, with: .pupil(Pupil(details: PersonDetails(misID: "M1", name: PersonName(legalForename: "Amy", legalSurname: "Lee-Smith")))),
                keepContactDetails: false)
            try await expectChanged("an update")
            try await store.editField(amy, field: "email", value: "amy@example.org")
            try await expectChanged("a user's edit")
            try await store.replaceContacts(
                of: amy,
                with: [Contact(misID: "C1", studentMisID: "M1", relationship: "Mother", forename: "Ann", surname: "Lee",
                               email: nil, mobile: nil, priority: 1, parentalResponsibility: true)])
            try await expectChanged("new contacts")
            try await store.moveToRecycleBin(targetID: amy)
            try await expectChanged("a move to the recycle bin")
            _ = try await store.delete(targetID: amy)
            try await expectChanged("a delete")
        }
    }
}
