import MISLinkKit
import MISLinkSync

/// Makes the people of a `DemoSchool` from one generator, keeping ids, UPNs, NI numbers, emails and
/// name keys unique across everything it makes. Only `DemoSchool` uses it.
struct DemoSchoolBuilder {
    /// A family: pupils in it share the surname, the address and the contacts.
    struct Household {
        var surname: String
        var address: String
        var postcode: String
        /// Contacts with an empty `studentMisID`, filled in per pupil.
        var contacts: [Contact]
        var pupilCount = 0
    }

    static let localAuthority = 873
    static let establishment = 2468
    static let town = "Cambridge"
    /// Local authorities other schools' UPNs come from, for pupils who joined from elsewhere.
    static let otherAuthorities = [801, 873, 874, 881, 886, 926, 935, 936]
    static let formLetters: [Character] = ["B", "H", "W", "O"]

    var random: SplitMix64
    let importDate: CalendarDate
    private var nameKeys: Set<String> = []
    private var upns: Set<String> = []
    private var niNumbers: Set<String> = []
    private var emails: Set<String> = []
    private var nextPupil = 10_001
    private var nextStaff = 1001
    private var nextContact = 20_001
    private var nextPreAdmission = 5001
    private var nextMobile = 0
    /// The next serial this school gives a UPN in each year of allocation.
    private var serials: [Int: Int] = [:]

    init(seed: UInt64, importDate: CalendarDate) {
        random = SplitMix64(seed: seed)
        self.importDate = importDate
    }

    /// A builder that carries on from `school`: new people get ids, UPNs and names nobody there has.
    init(seed: UInt64, continuing school: DemoSchool, importDate: CalendarDate) {
        self.init(seed: seed, importDate: importDate)
        let everyPupil = school.pupils + school.preAdmissions.map(\.pupil)
        for pupil in everyPupil {
            nameKeys.formUnion(NameKey.keys(for: pupil.details.name, dateOfBirth: pupil.details.dateOfBirth))
            if let upn = pupil.upn { upns.insert(upn) }
        }
        for member in school.staff {
            if let ni = member.niNumber { niNumbers.insert(ni) }
            if let email = member.details.email { emails.insert(email) }
        }
        for contact in school.contacts {
            if let email = contact.email { emails.insert(email) }
        }
        nextPupil = 1 + (school.pupils.compactMap { Self.number(in: $0.details.misID) }.max() ?? 10_000)
        nextStaff = 1 + (school.staff.compactMap { Self.number(in: $0.details.misID) }.max() ?? 1000)
        nextContact = 1 + (school.contacts.compactMap { Self.number(in: $0.misID) }.max() ?? 20_000)
        nextPreAdmission =
            1 + (school.preAdmissions.compactMap { Self.number(in: $0.pupil.details.misID) }.max() ?? 5000)
        // Siblings repeat their family's contacts, so count each number once.
        nextMobile = Set(school.contacts.compactMap(\.mobile) + school.staff.compactMap(\.details.mobile)).count
        for upn in upns where upn.dropFirst().hasPrefix("\(Self.localAuthority)\(Self.establishment)") {
            let characters = Array(upn)
            if let year = Int(String(characters[8...9])), let serial = Int(String(characters[10...12])) {
                serials[year] = max(serials[year] ?? 0, serial + 1)
            }
        }
    }

    private static func number(in id: String) -> Int? { Int(id.dropFirst()) }

    // MARK: - Pupils

    /// `count` pupils spread evenly over years R to 6, oldest first, with their contacts and the
    /// registration groups used.
    mutating func makePupils(count: Int) -> (pupils: [Pupil], contacts: [Contact], forms: [String]) {
        var pupils: [Pupil] = []
        var contacts: [Contact] = []
        var forms: [String] = []
        var households: [Household] = []
        for year in stride(from: 6, through: 0, by: -1) {
            let inYear = count / 7 + (6 - year < count % 7 ? 1 : 0)
            guard inYear > 0 else { continue }
            let formCount = min(Self.formLetters.count, (inYear + 29) / 30)
            let yearForms = Self.formLetters.prefix(formCount).map { Self.label(forYear: year) + String($0) }
            forms += yearForms
            for index in 0..<inYear {
                // About one pupil in seven has a brother or sister already on roll.
                let siblingOf = households.indices.filter { households[$0].pupilCount < 3 }
                let householdIndex: Int
                if !siblingOf.isEmpty, random.chance(15) {
                    householdIndex = random.pick(siblingOf)
                } else {
                    households.append(makeHousehold())
                    householdIndex = households.count - 1
                }
                households[householdIndex].pupilCount += 1
                let pupil = makePupil(
                    year: year, regGroup: yearForms[index % yearForms.count], household: households[householdIndex])
                pupils.append(pupil)
                contacts += households[householdIndex].contacts.map { contact in
                    var contact = contact
                    contact.studentMisID = pupil.details.misID
                    return contact
                }
            }
        }
        return (pupils, contacts, forms)
    }

    /// `R` for Reception (year 0), else the year's number.
    static func label(forYear year: Int) -> String { year == 0 ? "R" : String(year) }

    /// One pupil in `year` (0 is Reception), born in the right academic year, living in `household`.
    mutating func makePupil(
        year: Int, regGroup: String, household: Household, joinedOn fixedStart: CalendarDate? = nil
    ) -> Pupil {
        let entryYear = DemoSchool.academicYearStart.year - year
        let isGirl = random.chance(50)
        let born = (
            from: CalendarDate.demo(entryYear - 5, 9, 1), through: CalendarDate.demo(entryYear - 4, 8, 31)
        )
        var name = PersonName(legalForename: "", legalSurname: household.surname)
        var dateOfBirth = born.from
        // Draw again until nobody else has this name and birthday: only the deliberate pairs may clash.
        repeat {
            name.legalForename = random.pick(isGirl ? DemoNames.girls : DemoNames.boys)
            dateOfBirth = CalendarDate.random(from: born.from, through: born.through, using: &random)
        } while !nameKeys.insert(
            NameKey.key(forename: name.legalForename, surname: name.legalSurname, dateOfBirth: dateOfBirth)
        ).inserted
        if let short = DemoNames.shortForms[name.legalForename], random.chance(40) {
            name.preferredForename = short
        }
        if random.chance(2) {
            // Known by a step-parent's surname at school.
            name.preferredSurname = random.pick(DemoNames.surnames)
        }

        let cohortStart = CalendarDate.demo(entryYear, 9, 3)
        let joinedLater = fixedStart != nil || (year > 0 && random.chance(12))
        let startDate: CalendarDate
        let upn: String
        if joinedLater {
            startDate =
                fixedStart
                ?? CalendarDate.random(
                    from: cohortStart.adding(days: 30), through: importDate.adding(days: -7), using: &random)
            upn = transferredUPN(entryYear: entryYear)
        } else {
            startDate = cohortStart
            upn = schoolUPN(year: entryYear)
        }

        let misID = "P\(nextPupil)"
        nextPupil += 1
        let details = PersonDetails(
            misID: misID, name: name, dateOfBirth: dateOfBirth, gender: isGirl ? "F" : "M",
            address: household.address, postcode: household.postcode, startDate: startDate, status: .active,
            consent: consentFlag(yes: 70, no: 10), photo: random.chance(85) ? "photos/\(misID).jpg" : nil)
        return Pupil(details: details, upn: upn, yearGroup: Self.label(forYear: year), regGroup: regGroup)
    }

    /// A UPN this school allocated when the pupil started here.
    private mutating func schoolUPN(year: Int) -> String {
        // Serials start somewhere in the first hundred, as if earlier ones went to older siblings' schools.
        var serial = serials[year % 100] ?? random.int(in: 1...99)
        // A serial has three digits; a school as big as a trust carries on at its next establishment.
        func make(_ serial: Int) -> String {
            UPN.make(la: Self.localAuthority, establishment: Self.establishment + serial / 1000, year: year, serial: serial % 1000)
        }
        var upn = make(serial)
        while upns.contains(upn) {
            serial += 1
            upn = make(serial)
        }
        serials[year % 100] = serial + random.int(in: 1...3)
        upns.insert(upn)
        return upn
    }

    /// A UPN another school allocated: the pupil joined us from there.
    private mutating func transferredUPN(entryYear: Int) -> String {
        while true {
            let upn = UPN.make(
                la: random.pick(Self.otherAuthorities), establishment: random.int(in: 2000...3999), year: entryYear,
                serial: random.int(in: 0...999))
            if upns.insert(upn).inserted { return upn }
        }
    }

    private mutating func consentFlag(yes: Int, no: Int) -> Bool? {
        let roll = random.int(in: 0...99)
        return roll < yes ? true : roll < yes + no ? false : nil
    }

    // MARK: - Households and contacts

    /// A new family; pre-admissions come without contacts, as they are not on roll yet.
    mutating func makeHousehold(withContacts: Bool = true) -> Household {
        let surname = random.pick(DemoNames.surnames)
        let (address, postcode) = makeAddress()
        let contacts = withContacts ? makeContacts(surname: surname) : []
        return Household(surname: surname, address: address, postcode: postcode, contacts: contacts)
    }

    mutating func makeAddress() -> (address: String, postcode: String) {
        var parts: [String] = []
        if random.chance(8) { parts.append("Flat \(random.int(in: 1...12))") }
        parts.append("\(random.int(in: 1...180)) \(random.pick(DemoNames.streets))")
        if let district = random.pick(DemoNames.districts) { parts.append(district) }
        parts.append(Self.town)
        let inward =
            String(random.int(in: 1...9)) + String(random.pick(DemoNames.inwardLetters))
            + String(random.pick(DemoNames.inwardLetters))
        return (parts.joined(separator: ", "), random.pick(DemoNames.outwardCodes) + " " + inward)
    }

    /// One or two contacts in priority order, with relationships and parental responsibility that
    /// fit each other.
    mutating func makeContacts(surname: String) -> [Contact] {
        let first = random.pick([
            "Mother", "Mother", "Mother", "Mother", "Mother", "Mother", "Mother", "Father",
            "Father", "Grandmother", "Guardian", "Foster carer",
        ])
        var relationships = [first]
        if random.chance(70) {
            switch first {
            case "Mother":
                relationships.append(random.pick(["Father", "Father", "Father", "Step-father", "Grandmother"]))
            case "Father":
                relationships.append(random.pick(["Mother", "Mother", "Mother", "Step-mother", "Grandfather"]))
            default: relationships.append(random.pick(["Grandfather", "Aunt"]))
            }
        }
        return relationships.enumerated().map { offset, relationship in
            makeContact(relationship: relationship, priority: offset + 1, familySurname: surname)
        }
    }

    private mutating func makeContact(relationship: String, priority: Int, familySurname: String) -> Contact {
        let isWoman: Bool
        switch relationship {
        case "Mother", "Grandmother", "Step-mother", "Aunt": isWoman = true
        case "Father", "Grandfather", "Step-father": isWoman = false
        default: isWoman = random.chance(70)
        }
        let forename = random.pick(isWoman ? DemoNames.women : DemoNames.men)
        // Parents usually share the child's surname; others often do not.
        let sameSurname = ["Mother", "Father"].contains(relationship) ? random.chance(85) : random.chance(30)
        let surname = sameSurname ? familySurname : random.pick(DemoNames.surnames)
        let responsibility: Bool? =
            random.chance(5) ? nil : ["Mother", "Father", "Guardian"].contains(relationship)
        let misID = "C\(nextContact)"
        nextContact += 1
        return Contact(
            misID: misID, studentMisID: "", relationship: relationship, forename: forename, surname: surname,
            email: random.chance(90) ? uniqueEmail(forename: forename, surname: surname, domain: nil) : nil,
            mobile: random.chance(95) ? nextMobileNumber() : nil, priority: priority,
            parentalResponsibility: responsibility)
    }

    /// `forename.surname@domain` in plain lower-case ASCII, numbered when taken. Without a domain,
    /// one of the reserved example domains (RFC 2606), so no real inbox is ever named.
    mutating func uniqueEmail(forename: String, surname: String, domain: String?) -> String {
        let domain = domain ?? random.pick(["example.com", "example.org", "example.net"])
        let local = Self.emailPart(forename) + "." + Self.emailPart(surname)
        var email = "\(local)@\(domain)"
        var number = 2
        while !emails.insert(email).inserted {
            email = "\(local)\(number)@\(domain)"
            number += 1
        }
        return email
    }

    static func emailPart(_ name: String) -> String {
        String(NameKey.normalise(name).map { $0 == " " ? "-" : $0 }.filter { $0.isASCII })
    }

    /// The next number in Ofcom's drama range, 07700 900000 to 900999; wraps after a thousand.
    mutating func nextMobileNumber() -> String {
        let number = String(nextMobile % 1000)
        nextMobile += 1
        return "07700 900" + String(repeating: "0", count: 3 - number.count) + number
    }

    // MARK: - Special cases

    /// Pupils no special case has touched yet: active, no end date, a valid year group, a name and
    /// birthday of their own.
    func plainIndices(_ pupils: [Pupil]) -> [Int] {
        var keyCounts: [String: Int] = [:]
        for pupil in pupils {
            for key in NameKey.keys(for: pupil.details.name, dateOfBirth: pupil.details.dateOfBirth) {
                keyCounts[key, default: 0] += 1
            }
        }
        return pupils.indices.filter { index in
            let pupil = pupils[index]
            return pupil.details.status == .active && pupil.details.endDate == nil
                && YearGroup.isPrimary(pupil.yearGroup)
                && pupil.upn != nil
                && NameKey.keys(for: pupil.details.name, dateOfBirth: pupil.details.dateOfBirth)
                    .allSatisfy { keyCounts[$0] == 1 }
        }
    }

    /// Gives `count` pupils the same names, gender and birthday as another pupil in their year, and
    /// no UPN, so that only the weak rule could match them, and it finds two candidates.
    mutating func addAmbiguousPairs(to pupils: inout [Pupil], count: Int) {
        for _ in 0..<count {
            let plain = plainIndices(pupils)
            let first = random.shuffle(plain).first { index in
                plain.contains { $0 != index && pupils[$0].yearGroup == pupils[index].yearGroup }
            }
            guard let first else { return }
            let partners = plain.filter { $0 != first && pupils[$0].yearGroup == pupils[first].yearGroup }
            let second = random.pick(partners)
            let original = pupils[first].details
            pupils[second].details.name = original.name
            pupils[second].details.dateOfBirth = original.dateOfBirth
            pupils[second].details.gender = original.gender
            if let upn = pupils[second].upn { upns.remove(upn) }
            pupils[second].upn = nil
        }
    }

    /// Writes `count` pupils' year groups the way a misconfigured MIS does.
    mutating func addInvalidYearGroups(to pupils: inout [Pupil], count: Int) {
        let chosen = random.shuffle(plainIndices(pupils)).prefix(count)
        for (offset, index) in chosen.enumerated() {
            guard let year = pupils[index].yearGroup else { continue }
            let number = year == "R" ? "R" : year
            let spellings = year == "R" ? ["Reception", "Rec", "YR"] : ["Y\(number)", "Year \(number)", "NC\(number)"]
            pupils[index].yearGroup = spellings[offset % spellings.count]
        }
    }

    /// Makes `count` pupils leavers: an end date earlier this term and status inactive.
    mutating func addLeavers(to pupils: inout [Pupil], count: Int) {
        let chosen = random.shuffle(plainIndices(pupils)).prefix(count)
        for index in chosen {
            let start = pupils[index].details.startDate ?? DemoSchool.academicYearStart
            let earliest = max(start.adding(days: 1), DemoSchool.academicYearStart.adding(days: 10))
            pupils[index].details.endDate = CalendarDate.random(
                from: earliest, through: importDate.adding(days: -3), using: &random)
            pupils[index].details.status = .inactive
        }
    }

    /// One pupil who leaves at Christmas: an end date to come and still active, so not a leaver yet.
    mutating func addFutureLeaver(to pupils: inout [Pupil]) {
        guard let index = random.shuffle(plainIndices(pupils)).first else { return }
        pupils[index].details.endDate = CalendarDate.demo(2026, 12, 18)
    }

    // MARK: - Staff

    /// `count` staff: leadership, a class teacher per form, then support staff. Three have no NI
    /// number and one left at the end of last year.
    mutating func makeStaff(count: Int, forms: [String]) -> [StaffMember] {
        var posts = ["Headteacher", "Deputy Headteacher", "SENCo"] + forms.map { _ in "Class Teacher" }
        let support = [
            "Teaching Assistant", "Teaching Assistant", "Teaching Assistant", "Higher Level Teaching Assistant",
            "Midday Supervisor", "Midday Supervisor", "School Business Manager", "Office Administrator",
            "Site Manager", "Cook", "Kitchen Assistant", "Cleaner", "Sports Coach", "Music Teacher",
        ]
        var next = 0
        while posts.count < count {
            posts.append(support[next % support.count])
            next += 1
        }
        var staff = posts.prefix(count).map { makeStaffMember(post: $0) }
        if count >= 10 {
            for index in random.shuffle(Array(staff.indices.dropFirst(3))).prefix(3) {
                if let ni = staff[index].niNumber { niNumbers.remove(ni) }
                staff[index].niNumber = nil
            }
            let lastDay = CalendarDate.demo(2026, 8, 31)
            let couldLeave = staff.indices.filter { index in
                index >= 3 && staff[index].niNumber != nil
                    && (staff[index].details.startDate.map { $0 < lastDay } ?? true)
            }
            if let leaver = random.shuffle(couldLeave).first {
                staff[leaver].details.endDate = lastDay
                staff[leaver].details.status = .inactive
            }
        }
        return staff
    }

    mutating func makeStaffMember(post: String) -> StaffMember {
        // Most primary school staff are women.
        let isWoman = random.chance(80)
        let forename = random.pick(isWoman ? DemoNames.women : DemoNames.men)
        let surname = random.pick(DemoNames.surnames)
        let title =
            random.chance(4) ? "Dr" : isWoman ? random.pick(["Mrs", "Mrs", "Ms", "Miss"]) : "Mr"
        let misID = "S\(nextStaff)"
        nextStaff += 1
        let born = CalendarDate.random(
            from: CalendarDate.demo(1962, 1, 1), through: CalendarDate.demo(2002, 12, 31), using: &random)
        let (address, postcode) = makeAddress()
        let initial = Self.emailPart(forename).prefix(1)
        let details = PersonDetails(
            misID: misID, name: PersonName(legalForename: forename, legalSurname: surname),
            dateOfBirth: born,
            gender: isWoman ? "F" : "M",
            email: uniqueEmail(forename: String(initial), surname: surname, domain: "oakfield-primary.example.org"),
            mobile: nextMobileNumber(), address: address, postcode: postcode,
            startDate: CalendarDate.demo(random.int(in: max(2004, born.year + 21)...2026), 9, 1), status: .active,
            consent: consentFlag(yes: 80, no: 10))
        return StaffMember(details: details, niNumber: uniqueNINumber(), title: title, post: post)
    }

    mutating func uniqueNINumber() -> String {
        while true {
            let number = NINumber.example(seed: random.next())
            if niNumbers.insert(number).inserted { return number }
        }
    }

    // MARK: - Pre-admissions

    /// Mostly next September's Reception intake; every fifth an in-year transfer starting after the
    /// next half term, who brings a UPN from the old school.
    mutating func makePreAdmissions(count: Int) -> [PreAdmission] {
        (0..<count).map { index in
            let household = makeHousehold(withContacts: false)
            let transfer = index % 5 == 4
            let year = transfer ? random.int(in: 1...6) : -1
            var pupil = makePupil(
                year: year, regGroup: "", household: household,
                joinedOn: transfer ? CalendarDate.demo(2027, 1, 5) : nil)
            // makePupil numbers pupils; pre-admissions have ids of their own.
            nextPupil -= 1
            pupil.details.misID = "A\(nextPreAdmission)"
            nextPreAdmission += 1
            pupil.details.photo = nil
            pupil.details.startDate = nil
            pupil.regGroup = nil
            if !transfer {
                if let upn = pupil.upn { upns.remove(upn) }
                pupil.upn = nil  // The school allocates it when the child starts.
                pupil.yearGroup = "R"
            }
            let start = transfer ? CalendarDate.demo(2027, 1, 5) : CalendarDate.demo(2027, 9, 2)
            return PreAdmission(pupil: pupil, expectedStartDate: start)
        }
    }
}
