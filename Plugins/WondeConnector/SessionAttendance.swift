import Foundation

/// The POST body: `{"attendance": [{student_id, date, session, attendance_code_id, comment?, minutes_late?}]}`.
struct SessionAttendance: Encodable, Sendable {
    struct Mark: Encodable, Sendable {
        let studentID: String
        let date: String
        let session: String
        let attendanceCodeID: String
        let comment: String?
        let minutesLate: Int?

        private enum CodingKeys: String, CodingKey {
            case date, session, comment
            case studentID = "student_id"
            case attendanceCodeID = "attendance_code_id"
            case minutesLate = "minutes_late"
        }
    }

    let attendance: [Mark]
}
