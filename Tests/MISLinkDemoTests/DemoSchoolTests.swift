import MISLinkDemo
import MISLinkKit
import MISLinkSync
import Testing

struct DemoSchoolTests {
    /// Generated once: every test here only reads it.
    static let school = DemoSchool.generate()

    private var school: DemoSchool { Self.school }

    /// The school year a child born on `date` is in during 2026/27 (0 for Reception): children born
    /// from 1 September 2021 to 31 August 2022 start Reception in September 2026.
    private func schoolYear(bornOn date: CalendarDate) -> Int {
        2021 - (date.month >= 9 ? date.year : date.year - 1)
    }

    @Test("gives the same school for the same seed and a different one for another seed")
    func deterministic() {
        #expect(DemoSchool.generate(seed: 42) == school)
        #expect(DemoSchool.generate(seed: 7) != school)
        #expect(
            DemoSchool.generate(seed: 7, pupils: 120, staff: 15) == DemoSchool.generate(seed: 7, pupils: 120, staff: 15)
        )
    }

    @Test("has 600 pupils, 60 staff and 10 pre-admissions with unique MIS ids")
    func counts() {
        #expect(school.pupils.count == 600)
        #expect(school.staff.count == 60)
        #expect(school.preAdmissions.count == 10)
        let ids =
            school.pupils.map(\.details.misID) + school.staff.map(\.details.misID)
            + school.preAdmissions.map(\.pupil.details.misID)
        #expect(Set(ids).count == ids.count)
        #expect(school.importDate == DemoSchool.firstImportDate)
    }

    @Test("gives pupils valid, unique UPNs where they have one")
    func upns() {
        let upns = (school.pupils + school.preAdmissions.map(\.pupil)).compactMap(\.upn)
        #expect(upns.allSatisfy(UPN.isValid))
        #expect(Set(upns).count == upns.count)
        #expect(school.pupils.filter { $0.upn == nil }.count == 3)
    }

    @Test("gives staff valid, unique NI numbers, with three missing for the re-match")
    func niNumbers() {
        let numbers = school.staff.compactMap(\.niNumber)
        #expect(numbers.allSatisfy(NINumber.isValid))
        #expect(Set(numbers).count == numbers.count)
        #expect(school.staff.filter { $0.niNumber == nil }.count == 3)
    }

    @Test("gives pupils dates of birth that fit their year group and forms such as 3B")
    func datesOfBirthFitYearGroups() throws {
        for pupil in school.pupils {
            let regGroup = try #require(pupil.regGroup)
            #expect(regGroup.wholeMatch(of: /[R1-6][A-Z]/) != nil)
            let year = regGroup.first == "R" ? 0 : Int(String(regGroup.prefix(1)))!
            let born = try #require(pupil.details.dateOfBirth)
            #expect(schoolYear(bornOn: born) == year, "\(pupil.details.misID) born \(born) is in \(regGroup)")
            if YearGroup.isPrimary(pupil.yearGroup) {
                #expect(pupil.yearGroup == (year == 0 ? "R" : String(year)))
            }
        }
    }

    @Test("has six leavers with a past end date and inactive, and one pupil leaving later")
    func leavers() {
        let leavers = school.pupils.filter { $0.details.status == .inactive }
        #expect(leavers.count == 6)
        #expect(leavers.allSatisfy { ($0.details.endDate.map { $0 < school.importDate }) == true })
        let leavingLater = school.pupils.filter { $0.details.status == .active && $0.details.endDate != nil }
        #expect(leavingLater.count == 1)
        #expect(leavingLater.allSatisfy { $0.details.endDate! > school.importDate })
        #expect(school.staff.filter { $0.details.status == .inactive && $0.details.endDate != nil }.count == 1)
    }

    @Test("gives dates that fit together: staff adults when they started, nobody leaving before starting")
    func datesFitTogether() throws {
        for member in school.staff {
            let born = try #require(member.details.dateOfBirth)
            let started = try #require(member.details.startDate)
            #expect(started.year - born.year >= 21, "\(member.details.misID) started at \(started.year - born.year)")
        }
        for details in school.pupils.map(\.details) + school.staff.map(\.details) {
            if let end = details.endDate, let start = details.startDate {
                #expect(start < end, "\(details.misID) ends \(end) before starting \(start)")
            }
            #expect(details.startDate.map { $0 <= school.importDate } ?? false)
        }
    }

    @Test("has three pairs sharing names and birthday, one of each without a UPN")
    func ambiguousPairs() {
        let groups = Dictionary(grouping: school.pupils) { pupil in
            NameKey.key(
                forename: pupil.details.name.legalForename, surname: pupil.details.name.legalSurname,
                dateOfBirth: pupil.details.dateOfBirth!)
        }
        let pairs = groups.values.filter { $0.count > 1 }
        #expect(pairs.count == 3)
        for pair in pairs {
            #expect(pair.count == 2)
            #expect(pair.filter { $0.upn == nil }.count == 1)
        }
    }

    @Test("has three pupils whose year group the report must flag")
    func flaggedYearGroups() {
        let flagged = school.pupils.filter { YearGroup.primaryProblem($0.yearGroup) != nil }
        #expect(flagged.count == 3)
        #expect(flagged.allSatisfy { $0.yearGroup != nil })
    }

    @Test("has pre-admissions due to start later, most for Reception without a UPN")
    func preAdmissions() throws {
        for pre in school.preAdmissions {
            let start = try #require(pre.expectedStartDate)
            #expect(start > school.importDate)
            #expect(pre.pupil.details.status == .active)
        }
        #expect(school.preAdmissions.filter { $0.pupil.upn == nil && $0.pupil.yearGroup == "R" }.count == 8)
    }

    @Test("gives every pupil one or two contacts in priority order, and no contact without a pupil")
    func contacts() {
        let byPupil = Dictionary(grouping: school.contacts, by: \.studentMisID)
        #expect(Set(byPupil.keys) == Set(school.pupils.map(\.details.misID)))
        for contacts in byPupil.values {
            #expect((1...2).contains(contacts.count))
            #expect(contacts.map(\.priority) == Array(1...contacts.count).map { Optional($0) })
        }
        #expect(school.contacts.contains { $0.parentalResponsibility == true })
        #expect(school.contacts.contains { $0.parentalResponsibility == false })
        // Siblings share their family's contacts.
        #expect(Set(school.contacts.map(\.misID)).count < school.contacts.count)
    }

    @Test("uses only the drama mobile range and reserved example email domains")
    func contactDetails() {
        let mobiles = school.contacts.compactMap(\.mobile) + school.staff.compactMap(\.details.mobile)
        #expect(!mobiles.isEmpty)
        #expect(mobiles.allSatisfy { $0.wholeMatch(of: /07700 900\d{3}/) != nil })
        let emails = school.contacts.compactMap(\.email) + school.staff.compactMap(\.details.email)
        #expect(emails.allSatisfy { $0.wholeMatch(of: /[a-z0-9.\-]+@([a-z\-]+\.)?example\.(com|org|net)/) != nil })
    }

    @Test("writes postcodes in a valid UK form")
    func postcodes() {
        let postcodes = (school.pupils.map(\.details) + school.staff.map(\.details)).compactMap(\.postcode)
        #expect(postcodes.count == 660)
        #expect(postcodes.allSatisfy { $0.wholeMatch(of: /[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}/) != nil })
    }

    @Test("mixes consent yes, no and unknown, and names with accents, apostrophes and hyphens")
    func variety() {
        let consents = Set(school.pupils.map(\.details.consent))
        #expect(consents == [true, false, nil])
        let names = school.pupils.flatMap { [$0.details.name.legalForename, $0.details.name.legalSurname] }
        #expect(names.contains { !$0.allSatisfy(\.isASCII) })
        #expect(names.contains { $0.contains("'") })
        #expect(names.contains { $0.contains("-") })
        #expect(school.pupils.contains { $0.details.name.preferredForename != nil })
    }

    @Test("scales down to a tiny school and to an empty one")
    func smallSchools() {
        let tiny = DemoSchool.generate(seed: 3, pupils: 30, staff: 5)
        #expect(tiny.pupils.count == 30)
        #expect(tiny.staff.count == 5)
        #expect(tiny.pupils.compactMap(\.upn).allSatisfy(UPN.isValid))
        let empty = DemoSchool.generate(pupils: 0, staff: 0)
        #expect(empty.pupils.isEmpty && empty.staff.isEmpty && empty.contacts.isEmpty && empty.preAdmissions.isEmpty)
    }
}
