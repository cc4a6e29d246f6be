import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkSync
import Testing

/// Defect 10: an export file that went missing fails the import loudly instead of reading as nobody.
@Suite struct MissingExportTests {
    @Test("a nightly import whose students.csv went missing fails, names the file, changes nothing and moves the integration to Error")
    func missingStudents() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: (1...5).map { student("M\($0)", "Kid\($0)", "Roe") })
        try school.addIntegration { $0.settings.newRecords = .create }
        #expect(try await school.run("nightly-import").state == .succeeded)
        try FileManager.default.removeItem(at: school.mis.appendingPathComponent("students.csv"))
        let job = try await school.run("nightly-import")
        #expect(job.state == .failed)
        #expect(job.lastError?.contains("students.csv is missing from the export folder") == true)
        #expect(try school.integration().status == .error)
        #expect(try school.integration().errorReason?.contains("students.csv is missing") == true)
        #expect(try await school.people().count == 5)
        #expect(try await school.people().allSatisfy { !$0.inRecycleBin })
    }

    @Test("a file listed in optional-files may be missing: the import reads it as no records")
    func optionalPreAdmissions() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try FileManager.default.removeItem(at: school.mis.appendingPathComponent("preadmissions.csv"))
        try school.addIntegration {
            $0.settings.newRecords = .create
            $0.config["optional-files"] = "preadmissions.csv"
        }
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try school.report(of: job).added == 1)
    }

    @Test("an optional column the export lacks is listed once in the import report's warnings, not silently dropped")
    func absentOptionalColumns() async throws {
        let school = try SyncFixture()
        try school.writeExport()
        try "MIS ID,Legal Forename,Legal Surname,Year Group,Photo\nM1,Amy,Lee,3,\nM2,Ben,Ng,4,\n".write(
            to: school.mis.appendingPathComponent("students.csv"), atomically: true, encoding: .utf8)
        try school.addIntegration { $0.settings.newRecords = .create }
        let job = try await school.run("nightly-import")
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        let report = try school.report(of: job)
        #expect(report.added == 2)
        let students = report.warnings.filter { $0.contains("students.csv") }
        #expect(
            students == [
                "csv: students.csv has no column for upn, preferred_forename, preferred_surname, date_of_birth, gender, reg_group, email, mobile, address, postcode, start_date, end_date, status, consent; read as empty (optional columns)"
            ])
    }
}
