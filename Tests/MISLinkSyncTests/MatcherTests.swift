import MISLinkKit
@testable import MISLinkSync
import Testing

@Suite struct MatcherTests {
    static let dob = CalendarDate(year: 2018, month: 3, day: 14)!
    static let upn = UPN.make(la: 330, establishment: 2001, year: 18, serial: 7)

    func pupil(_ misID: String, _ forename: String, _ surname: String, upn: String? = nil, preferred: String? = nil,
               dob: CalendarDate? = MatcherTests.dob) -> MISPerson {
        MISPerson(.pupil(Pupil(
            details: PersonDetails(misID: misID, name: PersonName(legalForename: forename, legalSurname: surname, preferredForename: preferred), dateOfBirth: dob),
            upn: upn)))
    }

    func held(_ id: String, _ forename: String, _ surname: String, role: PersonRole = .pupil, misID: String? = nil,
              upn: String? = nil, ni: String? = nil, dob: CalendarDate? = MatcherTests.dob) -> TargetPerson {
        TargetPerson(targetID: id, role: role, misID: misID, upn: upn, niNumber: ni,
                     name: PersonName(legalForename: forename, legalSurname: surname), dateOfBirth: dob)
    }

    @Test("an existing link wins over everything else")
    func existingLink() {
        var matcher = Matcher(
            targetPeople: [held("T1", "Amy", "Lee", upn: Self.upn), held("T2", "Amy", "Lee")],
            links: [Link(integration: "oak", role: .pupil, misID: "M1", targetID: "T2", origin: .manual, rule: "manual", createdAt: 0)])
        #expect(matcher.match(pupil("M1", "Amy", "Lee", upn: Self.upn)) == .matched(targetID: "T2", rule: "link", isNew: false))
    }

    @Test("a valid UPN matches before names; an invalid one is ignored")
    func upn() {
        var matcher = Matcher(targetPeople: [held("T1", "Someone", "Else", upn: Self.upn)], links: [])
        #expect(matcher.match(pupil("M1", "Amy", "Lee", upn: Self.upn.lowercased())) == .matched(targetID: "T1", rule: "upn", isNew: true))
        var broken = Array(Self.upn)
        broken[0] = broken[0] == "A" ? "B" : "A"
        var other = Matcher(targetPeople: [held("T1", "Someone", "Else", upn: String(broken))], links: [])
        #expect(other.match(pupil("M1", "Amy", "Lee", upn: String(broken))) == .noMatch)
    }

    @Test("staff match by NI number, written any way")
    func niNumber() {
        var matcher = Matcher(targetPeople: [held("S1", "Jo", "Bloggs", role: .staff, ni: "AB123456C")], links: [])
        let staff = MISPerson(.staff(StaffMember(
            details: PersonDetails(misID: "E1", name: PersonName(legalForename: "Joanne", legalSurname: "Smith")), niNumber: "ab 12 34 56 c")))
        #expect(matcher.match(staff) == .matched(targetID: "S1", rule: "ni-number", isNew: true))
    }

    @Test("the MIS id stored on the target record matches")
    func storedMisID() {
        var matcher = Matcher(targetPeople: [held("T1", "A", "B", misID: "M9")], links: [])
        #expect(matcher.match(pupil("M9", "Zed", "Q")) == .matched(targetID: "T1", rule: "mis-id", isNew: true))
    }

    @Test("names and date of birth match case- and accent-insensitively, legal or preferred")
    func weakRule() {
        var matcher = Matcher(targetPeople: [held("T1", "ZOE", "o'brien"), held("T2", "Bob", "Day")], links: [])
        #expect(matcher.match(pupil("M1", "Zoë", "O'Brien")) == .matched(targetID: "T1", rule: "name-dob", isNew: true))
        #expect(matcher.match(pupil("M2", "Robert", "Day", preferred: "Bob")) == .matched(targetID: "T2", rule: "name-dob", isNew: true))
    }

    @Test("names without a date of birth, or a different one, do not match")
    func weakNeedsDateOfBirth() {
        var matcher = Matcher(targetPeople: [held("T1", "Amy", "Lee")], links: [])
        #expect(matcher.match(pupil("M1", "Amy", "Lee", dob: nil)) == .noMatch)
        #expect(matcher.match(pupil("M2", "Amy", "Lee", dob: CalendarDate(year: 2018, month: 3, day: 15)!)) == .noMatch)
    }

    @Test("two target records that fit the weak rule make it ambiguous")
    func ambiguousInTarget() {
        var matcher = Matcher(targetPeople: [held("T1", "Amy", "Lee"), held("T2", "amy", "LEE")], links: [])
        #expect(matcher.match(pupil("M1", "Amy", "Lee")) == .ambiguous(["T1", "T2"]))
    }

    @Test("two MIS records sharing a name and date of birth match neither by name")
    func ambiguousInMIS() {
        var matcher = Matcher(targetPeople: [held("T1", "Amy", "Lee")], links: [])
        let twins = [pupil("M1", "Amy", "Lee"), pupil("M2", "Amy", "Lee")]
        matcher.prepare(misPeople: twins)
        #expect(matcher.match(twins[0]) == .ambiguous(["T1"]))
        #expect(matcher.match(twins[1]) == .ambiguous(["T1"]))
    }

    @Test("a target record taken by one MIS record is not matched to another")
    func takenNotReused() {
        var matcher = Matcher(targetPeople: [held("T1", "Amy", "Lee", misID: "M1")], links: [])
        #expect(matcher.match(pupil("M1", "Amy", "Lee")) == .matched(targetID: "T1", rule: "mis-id", isNew: true))
        #expect(matcher.match(pupil("M2", "Amy", "Lee")) == .noMatch)
    }

    @Test("a pupil never matches a staff record")
    func rolesApart() {
        var matcher = Matcher(targetPeople: [held("S1", "Amy", "Lee", role: .staff)], links: [])
        #expect(matcher.match(pupil("M1", "Amy", "Lee")) == .noMatch)
    }
}

@Suite struct SentFieldsTests {
    @Test("what was sent survives storage whatever the values hold")
    func roundTrip() {
        let fields = ["address": "1 High St\nFlat 2", "note": "back\\slash = sign", "mis_id": "M1", "empty": ""]
        #expect(SentFields.decode(SentFields.encode(fields)) == fields)
    }
}
