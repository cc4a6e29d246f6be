import CSVConnector
import Foundation
import MISLinkKit
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct WriteBackTests {
    private static let date = CalendarDate(year: 2025, month: 3, day: 14)!
    private static let header = "event_id,student_mis_id,date,session,code,minutes_late,comment"

    private func mark(_ eventID: String, comment: String? = nil) -> AttendanceMark {
        AttendanceMark(
            eventID: eventID, studentMisID: "A1", date: Self.date, session: .am, code: "L", minutesLate: 12,
            comment: comment)
    }

    private func rows(in dir: URL) throws -> [[String]] {
        try CSVReader.records(in: Data(contentsOf: dir.appendingPathComponent("writeback.csv"))).map(\.fields)
    }

    @Test("appends one row, writing the header when it creates the file")
    func appends() async throws {
        try await withTemporaryDirectory { dir async throws in
            let connector = CSVConnector(directory: dir)
            #expect(try await connector.writeAttendance(mark("e1"), context: .silent) == .written)
            #expect(try await connector.writeAttendance(mark("e2"), context: .silent) == .written)
            #expect(
                try contents(of: "writeback.csv", in: dir)
                    == "\(Self.header)\r\ne1,A1,2025-03-14,AM,L,12,\r\ne2,A1,2025-03-14,AM,L,12,\r\n")
        }
    }

    @Test("writes an event once: a second call answers already written and changes nothing")
    func once() async throws {
        try await withTemporaryDirectory { dir in
            let connector = CSVConnector(directory: dir)
            #expect(try await connector.writeAttendance(mark("e1"), context: .silent) == .written)
            let before = try contents(of: "writeback.csv", in: dir)
            #expect(try await connector.writeAttendance(mark("e1"), context: .silent) == .alreadyWritten)
            // A new connector on the same folder (another job, another worker) knows it too.
            #expect(
                try await CSVConnector(directory: dir).writeAttendance(mark("e1"), context: .silent) == .alreadyWritten)
            #expect(try contents(of: "writeback.csv", in: dir) == before)
        }
    }

    @Test("writes once when calls with the same event id race each other")
    func raceOnOneEvent() async throws {
        try await withTemporaryDirectory { dir in
            let results = try await withThrowingTaskGroup(of: WriteBackResult.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await CSVConnector(directory: dir).writeAttendance(mark("e1"), context: .silent)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == .written }.count == 1)
            #expect(results.filter { $0 == .alreadyWritten }.count == 7)
            #expect(try rows(in: dir).count == 2)
        }
    }

    @Test("writes the header once when many events are written at the same time")
    func raceOnManyEvents() async throws {
        try await withTemporaryDirectory { dir in
            let connector = CSVConnector(directory: dir)
            try await withThrowingTaskGroup(of: WriteBackResult.self) { group in
                for index in 0..<20 {
                    group.addTask { try await connector.writeAttendance(mark("e\(index)"), context: .silent) }
                }
                for try await result in group { #expect(result == .written) }
            }
            let rows = try rows(in: dir)
            #expect(rows.count == 21)
            #expect(rows.filter { $0.first == "event_id" }.count == 1)
            #expect(Set(rows.dropFirst().map(\.[0])) == Set((0..<20).map { "e\($0)" }))
        }
    }

    @Test("quotes a comment holding commas, quotes and a line break, and reads it back")
    func quotesComment() async throws {
        try await withTemporaryDirectory { dir in
            let comment = "bus late, \"again\"\nsigned in at 9:12\r\nby the office"
            _ = try await CSVConnector(directory: dir).writeAttendance(mark("e1", comment: comment), context: .silent)
            let rows = try rows(in: dir)
            #expect(rows.last == ["e1", "A1", "2025-03-14", "AM", "L", "12", comment])
        }
    }

    @Test("cuts off a torn last line left by an interrupted write, then appends")
    func repairsTornTail() async throws {
        try await withTemporaryDirectory { dir in
            try write("\(Self.header)\r\ne1,A1,2025-03-14,AM,L,12,\r\ne2,A1,2025-0", to: "writeback.csv", in: dir)
            let connector = CSVConnector(directory: dir)
            #expect(try await connector.writeAttendance(mark("e2"), context: .silent) == .written)
            #expect(try rows(in: dir).map(\.[0]) == ["event_id", "e1", "e2"])
            #expect(try rows(in: dir).allSatisfy { $0.count == 7 })
        }
    }

    @Test("waits while another process holds the file's flock, then appends")
    func waitsForFlock() async throws {
        try await withTemporaryDirectory { dir in
            let connector = CSVConnector(directory: dir)
            #expect(try await connector.writeAttendance(mark("e1"), context: .silent) == .written)
            // A flock belongs to an open file description, so this descriptor stands in for another process.
            let fd = open(dir.appendingPathComponent("writeback.csv").path, O_RDWR)
            try #require(fd >= 0)
            defer { close(fd) }
            try #require(flock(fd, LOCK_EX) == 0)
            let write = Task { try await connector.writeAttendance(mark("e2"), context: .silent) }
            // Showing that something does not happen needs a bounded wait.
            try await Task.sleep(for: .milliseconds(200))
            #expect(try rows(in: dir).count == 2)
            flock(fd, LOCK_UN)
            #expect(try await write.value == .written)
            #expect(try rows(in: dir).map(\.[0]) == ["event_id", "e1", "e2"])
        }
    }

    @Test("keeps a whole last row that lacks its line break, and starts the next row on a new line")
    func keepsRowWithoutLineBreak() async throws {
        try await withTemporaryDirectory { dir in
            try write("\(Self.header)\r\ne1,A1,2025-03-14,AM,L,12,", to: "writeback.csv", in: dir)
            let connector = CSVConnector(directory: dir)
            #expect(try await connector.writeAttendance(mark("e1"), context: .silent) == .alreadyWritten)
            #expect(try await connector.writeAttendance(mark("e2"), context: .silent) == .written)
            #expect(try rows(in: dir).map(\.[0]) == ["event_id", "e1", "e2"])
        }
    }

    @Test("rewrites a header torn by an interrupted write")
    func repairsTornHeader() async throws {
        try await withTemporaryDirectory { dir in
            try write("event_id,stud", to: "writeback.csv", in: dir)
            #expect(try await CSVConnector(directory: dir).writeAttendance(mark("e1"), context: .silent) == .written)
            #expect(try rows(in: dir).map(\.[0]) == ["event_id", "e1"])
        }
    }

    @Test("refuses to write into a missing export folder")
    func missingFolder() async throws {
        try await withTemporaryDirectory { dir in
            let connector = CSVConnector(directory: dir.appendingPathComponent("gone"))
            let error = try await #require(throws: PluginError.self) {
                try await connector.writeAttendance(mark("e1"), context: .silent)
            }
            #expect(error.disposition == .permanent)
        }
    }
}
