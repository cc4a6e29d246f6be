import MISLinkKit

/// How a person's details sit in the `people` table: which columns hold what, and how records and
/// rows turn into each other. Every value is stored as text; absent values are NULL.
enum PersonColumns {
    /// The columns that describe the person, in table order. Also the fields `editField` accepts.
    static let data = [
        "mis_id", "upn", "ni_number", "title", "legal_forename", "legal_surname", "preferred_forename",
        "preferred_surname", "date_of_birth", "gender", "email", "mobile", "address", "postcode", "year_group",
        "reg_group", "post", "start_date", "end_date", "expected_start_date", "status", "consent", "photo",
    ]
    static let required: Set = ["legal_forename", "legal_surname"]
    static let dates: Set = ["date_of_birth", "start_date", "end_date", "expected_start_date"]
    /// What a registered person has confirmed themselves, and `keepContactDetails` leaves alone.
    static let contactDetails: Set = ["email", "mobile"]

    /// The columns a query reads, in this order: bookkeeping first, then `data`.
    static let selectList =
        (["target_id", "role", "registered", "in_recycle_bin", "added_by", "created_at", "updated_at"] + data)
        .joined(separator: ", ")

    /// A person from a row read with `selectList`. Columns `TargetPerson` has no property for go
    /// into `fields`, with the bookkeeping (`added_by`, `created_at`, `updated_at`).
    static func person(from row: [String?]) -> TargetPerson {
        let names =
            ["target_id", "role", "registered", "in_recycle_bin", "added_by", "created_at", "updated_at"] + data
        var values: [String: String] = [:]
        for (name, value) in zip(names, row) { values[name] = value }
        let promoted: Set = [
            "target_id", "role", "registered", "in_recycle_bin", "mis_id", "upn", "ni_number", "legal_forename",
            "legal_surname", "preferred_forename", "preferred_surname", "date_of_birth", "email", "mobile",
        ]
        return TargetPerson(
            targetID: values["target_id"] ?? "",
            role: values["role"].flatMap(PersonRole.init(rawValue:)) ?? .pupil,
            misID: values["mis_id"],
            upn: values["upn"],
            niNumber: values["ni_number"],
            name: PersonName(
                legalForename: values["legal_forename"] ?? "",
                legalSurname: values["legal_surname"] ?? "",
                preferredForename: values["preferred_forename"],
                preferredSurname: values["preferred_surname"]),
            dateOfBirth: values["date_of_birth"].flatMap { CalendarDate(iso: $0) },
            email: values["email"],
            mobile: values["mobile"],
            fields: values.filter { !promoted.contains($0.key) },
            registered: values["registered"] == "1",
            inRecycleBin: values["in_recycle_bin"] == "1")
    }
}
