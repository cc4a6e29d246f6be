import MISLinkKit

/// A made-up primary school's MIS export, the same for the same seed on every machine: for demos,
/// benchmarks and tests of the sync engine.
///
/// The school is Oakfield Primary, years R to 6, in the academic year that starts on 1 September
/// 2026; the export is taken on `importDate` (16 November 2026 for a generated school). Besides
/// ordinary pupils, staff, pre-admissions and contacts, it holds the awkward cases the engine has
/// to handle:
/// - leavers: a valid end date in the past and status inactive (one more pupil has a future end
///   date and is still active, so is not yet a leaver), and one member of staff who left;
/// - pairs of pupils with the same forename, surname and date of birth, one of each pair without a
///   UPN, so that the weak rule finds two candidates and the pupil must go to intake;
/// - pupils whose year group is not `R` or `1`…`6` (`Y2`, `Year 4`, `Reception`), for the report;
/// - staff without a National Insurance number, for the re-match;
/// - accented, hyphenated and apostrophised names, siblings sharing contacts, and consent flags
///   that are yes, no or missing.
///
/// UPNs and National Insurance numbers pass their check rules but are invented; emails use the
/// reserved `example.*` domains and mobiles Ofcom's drama range (07700 900000–900999).
public struct DemoSchool: Sendable, Hashable {
    /// The day this export was taken.
    public var importDate: CalendarDate
    public var pupils: [Pupil]
    public var staff: [StaffMember]
    public var preAdmissions: [PreAdmission]
    public var contacts: [Contact]

    /// The first day of the academic year the demo school is in.
    public static let academicYearStart = CalendarDate.demo(2026, 9, 1)
    /// The day `generate` takes its export (a Monday in the autumn term).
    public static let firstImportDate = CalendarDate.demo(2026, 11, 16)

    public init(
        importDate: CalendarDate, pupils: [Pupil], staff: [StaffMember], preAdmissions: [PreAdmission],
        contacts: [Contact]
    ) {
        self.importDate = importDate
        self.pupils = pupils
        self.staff = staff
        self.preAdmissions = preAdmissions
        self.contacts = contacts
    }

    /// A school with `pupils` pupils (leavers included) and `staff` staff, made from `seed`.
    /// About one pre-admission per 60 pupils, at most 10; the special cases above scale down for
    /// very small schools.
    public static func generate(seed: UInt64 = 42, pupils: Int = 600, staff: Int = 60) -> DemoSchool {
        precondition(pupils >= 0 && staff >= 0, "a school cannot have a negative number of people")
        var builder = DemoSchoolBuilder(seed: seed, importDate: firstImportDate)
        var (pupilList, contactList, forms) = builder.makePupils(count: pupils)
        builder.addAmbiguousPairs(to: &pupilList, count: pupils >= 100 ? 3 : pupils / 40)
        builder.addInvalidYearGroups(to: &pupilList, count: pupils >= 100 ? 3 : pupils / 40)
        builder.addLeavers(to: &pupilList, count: pupils >= 100 ? 6 : pupils / 20)
        builder.addFutureLeaver(to: &pupilList)
        let staffList = builder.makeStaff(count: staff, forms: forms)
        let preAdmissionList = builder.makePreAdmissions(count: min(10, pupils / 60))
        // Contacts of pupils who share a household repeat per pupil, as MIS exports write them.
        contactList.sort { ($0.studentMisID, $0.priority ?? 0) < ($1.studentMisID, $1.priority ?? 0) }
        return DemoSchool(
            importDate: firstImportDate, pupils: pupilList, staff: staffList, preAdmissions: preAdmissionList,
            contacts: contactList)
    }
}
