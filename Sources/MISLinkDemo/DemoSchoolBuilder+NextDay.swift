import MISLinkKit

/// The changes between one night's export and the next, for `DemoSchool.nextDay(seed:)`. Each
/// change picks pupils no earlier change touched, so that a test can count them.
extension DemoSchoolBuilder {
    /// Moves `count` pupils to another form in their year.
    mutating func changeRegGroups(in pupils: inout [Pupil], count: Int, touched: inout Set<Int>) {
        var changed = 0
        for index in random.shuffle(plainIndices(pupils)) where changed < count && !touched.contains(index) {
            guard let current = pupils[index].regGroup else { continue }
            let forms = Set(pupils.filter { $0.yearGroup == pupils[index].yearGroup }.compactMap(\.regGroup))
                .subtracting([current]).sorted()
            guard !forms.isEmpty else { continue }
            pupils[index].regGroup = random.pick(forms)
            touched.insert(index)
            changed += 1
        }
    }

    /// Gives `count` families a new address; every pupil of the family moves with it.
    mutating func moveHouseholds(in pupils: inout [Pupil], count: Int, touched: inout Set<Int>) {
        var moved = 0
        for index in random.shuffle(plainIndices(pupils)) where moved < count && !touched.contains(index) {
            let old = (pupils[index].details.address, pupils[index].details.postcode)
            let family = pupils.indices.filter { (pupils[$0].details.address, pupils[$0].details.postcode) == old }
            guard family.allSatisfy({ !touched.contains($0) }) else { continue }
            let (address, postcode) = makeAddress()
            for member in family {
                pupils[member].details.address = address
                pupils[member].details.postcode = postcode
                touched.insert(member)
            }
            moved += 1
        }
    }

    /// Makes `count` pupils leave on `endDate`: inactive from now on.
    mutating func addLeavers(
        to pupils: inout [Pupil], count: Int, endingOn endDate: CalendarDate, touched: inout Set<Int>
    ) {
        let chosen = random.shuffle(plainIndices(pupils).filter { !touched.contains($0) }).prefix(count)
        for index in chosen {
            pupils[index].details.endDate = endDate
            pupils[index].details.status = .inactive
            touched.insert(index)
        }
    }

    /// Adds `count` pupils who joined today from other schools (so they bring UPNs), each with a new
    /// family and its contacts, into forms that already exist.
    mutating func addJoiners(to school: inout DemoSchool, count: Int, joinedOn startDate: CalendarDate) {
        for _ in 0..<count {
            let year = random.int(in: 1...6)
            let label = Self.label(forYear: year)
            let forms = Set(school.pupils.filter { $0.yearGroup == label }.compactMap(\.regGroup)).sorted()
            let household = makeHousehold()
            let pupil = makePupil(
                year: year, regGroup: forms.isEmpty ? label + "B" : random.pick(forms), household: household,
                joinedOn: startDate)
            school.pupils.append(pupil)
            school.contacts += household.contacts.map { contact in
                var contact = contact
                contact.studentMisID = pupil.details.misID
                return contact
            }
        }
    }

    /// Fills in the National Insurance number of the first active member of staff who had none.
    mutating func fillMissingNINumber(in staff: inout [StaffMember]) {
        guard let index = staff.firstIndex(where: { $0.niNumber == nil && $0.details.status == .active }) else {
            return
        }
        staff[index].niNumber = uniqueNINumber()
    }
}
