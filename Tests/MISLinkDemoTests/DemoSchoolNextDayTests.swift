import MISLinkDemo
import MISLinkKit
import MISLinkSync
import Testing

struct DemoSchoolNextDayTests {
    static let today = DemoSchool.generate()
    static let tomorrow = today.nextDay(seed: 1)

    private var today: DemoSchool { Self.today }
    private var tomorrow: DemoSchool { Self.tomorrow }

    private var todayByID: [String: Pupil] {
        Dictionary(uniqueKeysWithValues: today.pupils.map { ($0.details.misID, $0) })
    }

    @Test("is taken one day later and is the same for the same seed")
    func dateAndDeterminism() {
        #expect(tomorrow.importDate.description == "2026-11-17")
        #expect(today.nextDay(seed: 1) == tomorrow)
        #expect(today.nextDay(seed: 2) != tomorrow)
    }

    @Test("adds three pupils who joined today with valid UPNs and contacts")
    func joiners() throws {
        let joiners = tomorrow.pupils.filter { todayByID[$0.details.misID] == nil }
        #expect(joiners.count == 3)
        let allUPNs = tomorrow.pupils.compactMap(\.upn)
        #expect(Set(allUPNs).count == allUPNs.count)
        for pupil in joiners {
            #expect(pupil.details.startDate == tomorrow.importDate)
            #expect(pupil.details.status == .active)
            #expect(UPN.isValid(try #require(pupil.upn)))
            #expect(YearGroup.isPrimary(pupil.yearGroup))
            #expect(tomorrow.contacts.contains { $0.studentMisID == pupil.details.misID })
        }
        let newContacts = tomorrow.contacts.filter { contact in !today.contacts.contains(contact) }
        #expect(newContacts.allSatisfy { contact in joiners.contains { $0.details.misID == contact.studentMisID } })
        #expect(today.contacts.allSatisfy(tomorrow.contacts.contains))
    }

    @Test("makes two pupils leavers whose end date is yesterday")
    func leavers() {
        let newLeavers = tomorrow.pupils.filter { pupil in
            pupil.details.status == .inactive && todayByID[pupil.details.misID]?.details.status == .active
        }
        #expect(newLeavers.count == 2)
        #expect(newLeavers.allSatisfy { $0.details.endDate == today.importDate })
    }

    @Test("changes four forms and some addresses, and nothing else about existing pupils")
    func changes() throws {
        var formChanges = 0
        var moves = 0
        for pupil in tomorrow.pupils {
            guard var before = todayByID[pupil.details.misID] else { continue }
            if before.regGroup != pupil.regGroup {
                formChanges += 1
                #expect(before.regGroup?.first == pupil.regGroup?.first, "a form change stays in the year")
                before.regGroup = pupil.regGroup
            }
            if before.details.address != pupil.details.address {
                moves += 1
                #expect(before.details.postcode != pupil.details.postcode)
                before.details.address = pupil.details.address
                before.details.postcode = pupil.details.postcode
            }
            if before.details.status != pupil.details.status {
                before.details.status = pupil.details.status
                before.details.endDate = pupil.details.endDate
            }
            #expect(before == pupil)
        }
        #expect(formChanges == 4)
        #expect(moves >= 3)
        #expect(tomorrow.preAdmissions == today.preAdmissions)
    }

    @Test("fills in the NI number of one member of staff who had none")
    func staffNINumber() throws {
        #expect(tomorrow.staff.count == today.staff.count)
        let changed = zip(today.staff, tomorrow.staff).filter { $0 != $1 }
        #expect(changed.count == 1)
        let (before, after) = try #require(changed.first)
        #expect(before.niNumber == nil)
        #expect(NINumber.isValid(try #require(after.niNumber)))
        #expect(!today.staff.compactMap(\.niNumber).contains(after.niNumber!))
    }
}
