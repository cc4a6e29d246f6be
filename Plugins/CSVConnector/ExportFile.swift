/// The files an MIS export folder may hold, with the columns we read from each: the one definition
/// of the CSV layout. The connector reads by it and the demo school generator writes by it, so the
/// two cannot drift apart.
public enum ExportFile: String, CaseIterable, Sendable {
    case students = "students.csv"
    case staff = "staff.csv"
    case preAdmissions = "preadmissions.csv"
    case contacts = "contacts.csv"

    /// The file's name in the export folder.
    public var name: String { rawValue }

    private static let personTail = [
        "email", "mobile", "address", "postcode", "start_date", "end_date", "status", "consent", "photo",
    ]
    private static let studentColumns =
        [
            "mis_id", "upn", "legal_forename", "legal_surname", "preferred_forename", "preferred_surname",
            "date_of_birth", "gender", "year_group", "reg_group",
        ] + personTail

    /// Our names for the columns, in the default header order. `photo` is an optional extra.
    public var columns: [String] {
        switch self {
        case .students: Self.studentColumns
        case .preAdmissions: Self.studentColumns + ["expected_start_date"]
        case .staff:
            [
                "mis_id", "ni_number", "title", "legal_forename", "legal_surname", "preferred_forename",
                "preferred_surname", "date_of_birth", "gender", "post",
            ] + Self.personTail
        case .contacts:
            [
                "mis_id", "student_mis_id", "relationship", "forename", "surname", "email", "mobile", "priority",
                "parental_responsibility",
            ]
        }
    }

    /// Columns that must be in the header and filled on every row.
    public var requiredColumns: Set<String> {
        switch self {
        case .students, .staff, .preAdmissions: ["mis_id", "legal_forename", "legal_surname"]
        case .contacts: ["mis_id", "student_mis_id", "forename", "surname"]
        }
    }
}
