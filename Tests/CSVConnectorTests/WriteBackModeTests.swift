@testable import CSVConnector
import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

/// Defect 9: writeback.csv holds pupils' attendance, so it is created 0600 whatever the umask.
struct WriteBackModeTests {
    private let mark = AttendanceMark(
        eventID: "e1", studentMisID: "A1", date: CalendarDate(year: 2025, month: 3, day: 14)!, session: .am, code: "L",
        minutesLate: 12)

    @Test("creates writeback.csv 0600", arguments: [0o022, 0o000] as [mode_t])
    func createdPrivate(mask: mode_t) async throws {
        try await withTemporaryDirectory { (dir: URL) in
            let file = WriteBackFile(directory: dir)
            // The file itself, synchronously: the umask is the process's, held only for this call.
            let result = try withUmask(mask) { try file.append(mark, log: { _ in }) }
            #expect(result == .written)
            #expect(try permissions(of: file.path) == 0o600)
        }
    }

    @Test("leaves the mode of an existing writeback.csv alone, so an admin can share it with the MIS's importer")
    func existingModeKept() async throws {
        try await withTemporaryDirectory { (dir: URL) in
            let file = WriteBackFile(directory: dir)
            _ = try file.append(mark, log: { _ in })
            try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)
            var second = mark
            second.eventID = "e2"
            #expect(try file.append(second, log: { _ in }) == .written)
            #expect(try permissions(of: file.path) == 0o640)
        }
    }
}
