/// A national attendance and absence code for England, as the School Attendance (Pupil
/// Registration) (England) Regulations 2024 and the DfE guidance "Working together to improve
/// school attendance" (in force from 19 August 2024) define them.
///
/// The list was checked against published summaries of the 2024 codes (a school's code table,
/// a local-authority MIS service note listing the new `K`, `Q`, `Y1`–`Y7`, `J1`, `C1`, `C2` and the
/// retired `H`, `J`, `Y`, and DfE advice on `Y7` and `#`); the DfE guidance itself could not be
/// read here.
///
/// Write-back sends only late arrivals (`lateArrivalCodes`). An early leaving has no code of its
/// own: the session keeps the mark it already has (the pupil was present at registration) and the
/// write-back carries the time and reason as the mark's comment.
public struct AttendanceCode: Sendable, Hashable {
    /// How the DfE counts a code.
    public enum Category: String, Sendable, Hashable, CaseIterable {
        case present
        /// Attending a place other than the school: counts as attendance.
        case approvedEducationalActivity = "approved educational activity"
        case authorisedAbsence = "authorised absence"
        /// Unable to attend because of an unavoidable cause: not counted as a possible session.
        case unableToAttend = "unable to attend"
        case unauthorisedAbsence = "unauthorised absence"
        /// Attendance not required, or the pupil not yet on roll.
        case administrative
    }

    /// The code as the register holds it (`L`, `Y1`, `#`, …). Codes are upper case and compared exactly.
    public let code: String
    /// A short meaning, for reports and admin screens.
    public let meaning: String
    public let category: Category

    public init(_ code: String, _ meaning: String, _ category: Category) {
        self.code = code
        self.meaning = meaning
        self.category = category
    }

    /// Every current code, in the order the guidance presents them.
    public static let current: [AttendanceCode] = [
        AttendanceCode("/", "present (morning)", .present),
        AttendanceCode("\\", "present (afternoon)", .present),
        AttendanceCode("L", "late arrival before the register closed", .present),
        AttendanceCode(
            "K", "attending education provision arranged by the local authority", .approvedEducationalActivity),
        AttendanceCode("V", "attending an educational visit or trip", .approvedEducationalActivity),
        AttendanceCode("P", "participating in a sporting activity", .approvedEducationalActivity),
        AttendanceCode("W", "attending work experience", .approvedEducationalActivity),
        AttendanceCode("B", "attending any other approved educational activity", .approvedEducationalActivity),
        AttendanceCode("D", "dual registered: at another school", .approvedEducationalActivity),
        AttendanceCode("C1", "leave of absence: regulated performance or employment abroad", .authorisedAbsence),
        AttendanceCode("M", "leave of absence: medical or dental appointment", .authorisedAbsence),
        AttendanceCode("J1", "leave of absence: interview", .authorisedAbsence),
        AttendanceCode("S", "leave of absence: study for a public examination", .authorisedAbsence),
        AttendanceCode("X", "not required to attend: non-compulsory school age", .administrative),
        AttendanceCode("C2", "leave of absence: part-time timetable", .authorisedAbsence),
        AttendanceCode("C", "leave of absence: exceptional circumstances", .authorisedAbsence),
        AttendanceCode("T", "parent travelling for occupational purposes", .authorisedAbsence),
        AttendanceCode("R", "religious observance", .authorisedAbsence),
        AttendanceCode("I", "illness (not a medical or dental appointment)", .authorisedAbsence),
        AttendanceCode("E", "suspended or excluded, no alternative provision", .authorisedAbsence),
        AttendanceCode("Q", "unable to attend: lack of access arrangements", .unableToAttend),
        AttendanceCode("Y1", "unable to attend: transport normally provided not available", .unableToAttend),
        AttendanceCode("Y2", "unable to attend: widespread disruption to travel", .unableToAttend),
        AttendanceCode("Y3", "unable to attend: part of the school premises closed", .unableToAttend),
        AttendanceCode("Y4", "unable to attend: whole school site unexpectedly closed", .unableToAttend),
        AttendanceCode("Y5", "unable to attend: in criminal justice detention", .unableToAttend),
        AttendanceCode("Y6", "unable to attend: public health guidance or law", .unableToAttend),
        AttendanceCode("Y7", "unable to attend: any other unavoidable cause", .unableToAttend),
        AttendanceCode("G", "holiday not granted by the school", .unauthorisedAbsence),
        AttendanceCode("N", "reason for absence not yet established", .unauthorisedAbsence),
        AttendanceCode("O", "absent in other or unknown circumstances", .unauthorisedAbsence),
        AttendanceCode("U", "arrived after the register closed", .unauthorisedAbsence),
        AttendanceCode("Z", "prospective pupil not on the admission register", .administrative),
        AttendanceCode("#", "planned whole-school closure", .administrative),
    ]

    /// Codes withdrawn in August 2024, so that a report can say "retired" rather than "unknown".
    public static let retiredCodes: Set<String> = ["H", "J", "Y"]

    /// The codes a late arrival is written back with: `L` before the register closed, `U` after.
    public static let lateArrivalCodes: [String] = ["L", "U"]

    private static let byCode: [String: AttendanceCode] = Dictionary(
        uniqueKeysWithValues: current.map { ($0.code, $0) })

    /// Whether `code` is a current code. Exact: `l` is not `L`, because the MIS is sent the code as given.
    public static func isCurrent(_ code: String) -> Bool { byCode[code] != nil }

    /// The current code named `code`, or nil.
    public static func named(_ code: String) -> AttendanceCode? { byCode[code] }
}
