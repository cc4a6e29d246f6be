import Foundation

/// A csv connector's export folder for the end-to-end tests: students as given, the other files
/// with their headers only.
enum CSVExport {
    static let studentHeader =
        "mis_id,upn,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,year_group,reg_group,email,mobile,address,postcode,start_date,end_date,status,consent"

    /// Amy, Ben and Cat, all current, in year 2.
    static let threePupils = [
        "M1,,Amy,Lee,,,2018-01-01,F,2,2A,,,,OX1 1AA,2022-09-01,,active,",
        "M2,,Ben,Ng,,,2018-02-02,M,2,2A,,,,OX1 1AA,2022-09-01,,active,",
        "M3,,Cat,Roe,,,2018-03-03,F,2,2A,,,,OX1 1AA,2022-09-01,,active,",
    ]

    /// Writes the folder (made if missing) with `students` as its students.csv rows.
    static func write(to folder: String, students: [String] = threePupils) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try ([studentHeader] + students).joined(separator: "\n").write(toFile: folder + "/students.csv", atomically: true, encoding: .utf8)
        try (studentHeader + ",expected_start_date").write(toFile: folder + "/preadmissions.csv", atomically: true, encoding: .utf8)
        try "mis_id,ni_number,title,legal_forename,legal_surname,preferred_forename,preferred_surname,date_of_birth,gender,post,email,mobile,address,postcode,start_date,end_date,status,consent"
            .write(toFile: folder + "/staff.csv", atomically: true, encoding: .utf8)
        try "mis_id,student_mis_id,relationship,forename,surname,email,mobile,priority,parental_responsibility"
            .write(toFile: folder + "/contacts.csv", atomically: true, encoding: .utf8)
    }
}
