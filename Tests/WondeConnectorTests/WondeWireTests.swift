import Foundation
import Testing

@testable import WondeConnector

/// The write-back's and the school check's answers, in the forms Wonde might send them (undocumented
/// beyond `writeback_id`, so read leniently).
struct WondeWireTests {
    private func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(json.utf8))
    }

    @Test("the POST's writeback_id is read as a string or a number, at the top or under data")
    func writebackID() throws {
        #expect(try decode(PostedWriteBack.self, #"{"success":true,"writeback_id":"W1"}"#).writebackID == "W1")
        #expect(try decode(PostedWriteBack.self, #"{"writeback_id":42}"#).writebackID == "42")
        #expect(try decode(PostedWriteBack.self, #"{"data":{"writeback_id":"W2"}}"#).writebackID == "W2")
        #expect(try decode(PostedWriteBack.self, #"{"success":true}"#).writebackID == nil)
    }

    @Test("a writeback's status and error are read under data or at the top")
    func status() throws {
        let nested = try decode(WriteBackStatus.self, #"{"data":{"status":"failed","error":"register closed"}}"#)
        #expect(nested.status == "failed" && nested.error == "register closed")
        let flat = try decode(WriteBackStatus.self, #"{"status":"SUCCESS","message":"ok"}"#)
        #expect(flat.status == "SUCCESS" && flat.error == "ok")
    }

    @Test("a 422 reads as its field messages, or its error, or a short excerpt")
    func refusal() {
        #expect(
            WondeRefusal.summary(
                Data(
                    #"{"error":"validation","error_messages":{"attendance.0.student_id":["The selected student id is invalid."]}}"#
                        .utf8))
                == "attendance.0.student_id: The selected student id is invalid.")
        #expect(WondeRefusal.summary(Data(#"{"error":"register closed"}"#.utf8)) == "register closed")
        #expect(WondeRefusal.summary(Data("<html>nope</html>".utf8)) == "<html>nope</html>")
        #expect(WondeRefusal.summary(Data()) == "(no details)")
    }

    @Test("the school answer: found with its region, or empty in every form a wrong region might give")
    func school() throws {
        let found = try decode(
            WondeSchool.self, #"{"data":{"id":"A1","name":"Oak","region":{"domain":"api.wonde.com"}}}"#)
        #expect(found.data?.regionDomain == "api.wonde.com")
        let wrapped = try decode(
            WondeSchool.self, #"{"data":{"id":"A1","region":{"data":{"domain":"api-af-south-1.wonde.com"}}}}"#)
        #expect(wrapped.data?.regionDomain == "api-af-south-1.wonde.com")
        for empty in [#"{"data":[]}"#, #"{"data":{}}"#, #"{"data":null}"#, #"{}"#] {
            #expect(try decode(WondeSchool.self, empty).data == nil, "\(empty)")
        }
    }

    @Test("the custom-codes flag is read as true, 1 or \"yes\", at the top or under data")
    func schoolMeta() throws {
        #expect(
            try decode(SchoolMeta.self, #"{"data":{"custom_attendance_codes":true}}"#).customAttendanceCodes == true)
        #expect(try decode(SchoolMeta.self, #"{"custom_attendance_codes":"1"}"#).customAttendanceCodes == true)
        #expect(try decode(SchoolMeta.self, #"{"data":{"custom_attendance_codes":0}}"#).customAttendanceCodes == false)
        #expect(try decode(SchoolMeta.self, #"{"data":{}}"#).customAttendanceCodes == nil)
    }
}
