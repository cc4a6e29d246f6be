import Foundation
import MISLinkKit
import MISLinkTestSupport
import Testing

@testable import WondeConnector

/// Session attendance write-back against the fixture: code mapping, the writeback followed to its
/// outcome, and the ledger that keeps a retry from posting twice.
@Suite(.timeLimit(.minutes(5)))
struct WondeWriteBackTests {
    static func mark(_ event: String = "evt-1", code: String = "L", student: String = "5002") -> AttendanceMark {
        AttendanceMark(
            eventID: event, studentMisID: student, date: CalendarDate(year: 2026, month: 12, day: 1)!, session: .am,
            code: code,
            minutesLate: code == "L" ? 12 : nil, comment: "arrived late")
    }

    private func withSetUp(
        knobs: [String: Any] = [:], config: [String: String] = [:],
        _ body: (WondeFixture, [String: String]) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { dir in
            try await withWondeFixture(students: 6, knobs: knobs) { wonde in
                try await body(wonde, ["state-dir": dir, "writeback-wait": "0"].merging(config) { $1 })
            }
        }
    }

    @Test("an accepted mark is posted once with Wonde's ids for the student and the code; a repeat is already written")
    func accepted() async throws {
        try await withSetUp { wonde, config in
            let connector = try wonde.connector(config)
            let log = LogRecorder()
            #expect(try await connector.writeAttendance(Self.mark(), context: log.context) == .written)
            #expect(log.text.contains("posted as writeback W000001"))
            #expect(log.text.contains("POST /v1.0/schools/\(WondeFixture.school)/attendance/session"))
            #expect(!log.text.contains(WondeFixture.token))
            #expect(try await connector.writeAttendance(Self.mark(), context: .silent) == .alreadyWritten)
            // A new connector (the next job) reads the same ledger.
            #expect(try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent) == .alreadyWritten)
            let posts = try await wonde.posts()
            #expect(posts.count == 1)
            let sent = try #require((posts.first?["attendance"] as? [[String: Any]])?.first)
            #expect(sent["student_id"] as? String == "A1000000002")
            #expect(sent["attendance_code_id"] as? String == "GLB-09")  // "L" in the global list
            #expect(sent["session"] as? String == "AM")
            #expect(sent["date"] as? String == "2026-12-01")
            #expect(sent["minutes_late"] as? Int == 12)
            let ledger = try FileManager.default.attributesOfItem(
                atPath: config["state-dir"]! + "/wonde-writebacks-\(WondeFixture.school).jsonl")
            #expect((ledger[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }

    @Test("a school with custom codes gets its own list's id")
    func customCodes() async throws {
        try await withSetUp(knobs: ["custom_codes": true]) { wonde, config in
            #expect(
                try await wonde.connector(config).writeAttendance(Self.mark(code: "U"), context: .silent) == .written)
            let sent = try #require(((try await wonde.posts()).first?["attendance"] as? [[String: Any]])?.first)
            #expect(sent["attendance_code_id"] as? String == "SCH-17")
            #expect(
                try await wonde.requests("GET", pathEnding: "/schools/\(WondeFixture.school)/attendance-codes").count
                    == 1)
        }
    }

    @Test("a pending writeback snoozes the job; the next attempt follows the same writeback and never posts again")
    func pendingThenWritten() async throws {
        try await withSetUp(knobs: ["writeback_polls": 2], config: ["writeback-recheck": "30"]) { wonde, config in
            let before = Date()
            for _ in 0..<2 {
                await #expect {
                    _ = try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent)
                } throws: { error in
                    guard case .snooze(let until)? = (error as? PluginError)?.disposition else { return false }
                    return until >= before.addingTimeInterval(29)
                        && (error as? PluginError)?.message.contains("W000001") == true
                }
            }
            #expect(try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent) == .written)
            let posts = try await wonde.posts()
            #expect(posts.count == 1)
            #expect(try await wonde.requests("GET", pathEnding: "/writebacks/W000001").count == 3)
        }
    }

    @Test("the same job follows a writeback for up to writeback-wait before it snoozes")
    func followsWithinTheJob() async throws {
        try await withSetUp(knobs: ["writeback_polls": 2], config: ["writeback-wait": "30"]) { wonde, config in
            let result = try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent)
            #expect(result == .written)
            #expect(try await wonde.requests("GET", pathEnding: "/writebacks/W000001").count == 3)
        }
    }

    @Test("a rejected mark fails for good with Wonde's reason, whether refused at once (422) or failed later")
    func rejected() async throws {
        for (mode, reason) in [
            ("reject-422", "register for this session is closed"), ("reject", "conflicts with one entered"),
        ] {
            try await withSetUp(knobs: ["writeback": mode]) { wonde, config in
                await #expect {
                    _ = try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent)
                } throws: { error in
                    let error = error as? PluginError
                    return error?.disposition == .permanent && error?.message.contains(reason) == true
                }
                // Nothing is held at Wonde: a later retry (say, after the school reopened the register) posts afresh.
                try await wonde.set(["writeback": "accept"])
                #expect(try await wonde.connector(config).writeAttendance(Self.mark(), context: .silent) == .written)
                #expect(try await wonde.posts().count == 2)
            }
        }
    }

    @Test("a POST that got no answer is not posted again unless resend-unanswered says so")
    func unanswered() async throws {
        try await withSetUp { wonde, config in
            let directory = URL(fileURLWithPath: config["state-dir"]!)
            // What a crash between sending and recording the answer leaves behind.
            try await WondeWriteBackLedger(directory: directory, school: WondeFixture.school).record("evt-9", .posting)
            await #expect {
                _ = try await wonde.connector(config).writeAttendance(Self.mark("evt-9"), context: .silent)
            } throws: { error in
                (error as? PluginError)?.message.contains("not posted again") == true
            }
            #expect(try await wonde.posts().isEmpty)
            var resend = config
            resend["resend-unanswered"] = "yes"
            #expect(try await wonde.connector(resend).writeAttendance(Self.mark("evt-9"), context: .silent) == .written)
            #expect(try await wonde.posts().count == 1)
        }
    }

    @Test("an unknown code, an unknown student, and write-back without state-dir are refused before anything is posted")
    func refusedBeforePosting() async throws {
        try await withSetUp { wonde, config in
            var messages: [String] = []
            for (connector, mark) in [
                (try wonde.connector(config), Self.mark(code: "Q9")),
                (try wonde.connector(config), Self.mark(student: "nobody")),
                (try wonde.connector(), Self.mark()),
            ] {
                do {
                    _ = try await connector.writeAttendance(mark, context: .silent)
                } catch let error as PluginError {
                    #expect(error.disposition == .permanent)
                    messages.append(error.message)
                }
            }
            #expect(messages.count == 3)
            #expect(messages[0].contains("no code 'Q9'"))
            #expect(messages[1].contains("no current student with MIS id 'nobody'"))
            #expect(messages[2].contains("state-dir"))
            #expect(try await wonde.posts().isEmpty)
        }
    }

    @Test("a run of write-backs reads a school's codes once; a code the kept list lacks, or attendance-codes-ttl=0, reads them afresh")
    func codesKept() async throws {
        try await withSetUp { wonde, config in
            func codeReads() async throws -> (meta: Int, codes: Int) {
                (
                    try await wonde.requests("GET", pathEnding: "/meta/schools/\(WondeFixture.school)").count,
                    try await wonde.requests("GET", pathEnding: "/v1.0/attendance-codes").count
                )
            }
            for event in ["k-1", "k-2", "k-3"] {
                #expect(try await wonde.connector(config).writeAttendance(Self.mark(event), context: .silent) == .written)
            }
            let reads1 = try await codeReads()
            #expect(reads1.meta == 1 && reads1.codes == 1)
            for _ in 0..<2 {
                await #expect(throws: PluginError.self) {
                    _ = try await wonde.connector(config).writeAttendance(Self.mark("k-q", code: "Q9"), context: .silent)
                }
            }
            let reads3 = try await codeReads()
            #expect(reads3.meta == 3 && reads3.codes == 3)
            var everyTime = config
            everyTime["attendance-codes-ttl"] = "0"
            for event in ["k-4", "k-5"] {
                #expect(try await wonde.connector(everyTime).writeAttendance(Self.mark(event), context: .silent) == .written)
            }
            let reads5 = try await codeReads()
            #expect(reads5.meta == 5 && reads5.codes == 5)
        }
    }

    @Test("the ledger reads what another process appended since, skips a line cut short, and reads a replaced file afresh")
    func ledgerFollowsTheFile() async throws {
        try await withTemporaryDirectory { dir in
            let directory = URL(fileURLWithPath: dir)
            let ledger = WondeWriteBackLedger(directory: directory, school: "S-ledger")
            try await ledger.record("e1", .posting)
            #expect(try await ledger.latest("e1")?.state == .posting)
            #expect(try await ledger.latest("e2") == nil)
            // Another process appends: whole lines, then one cut short by a crash, then a whole one.
            let handle = try FileHandle(forWritingTo: ledger.url)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"event":"e1","state":"posted","writeback":"W9","at":1}"#.utf8 + [10]))
            try handle.write(contentsOf: Data(#"{"event":"e2","state":"pos"#.utf8))
            try handle.close()
            #expect(try await ledger.latest("e1")?.writeback == "W9")
            #expect(try await ledger.latest("e2") == nil)
            try await ledger.record("e3", .written)
            #expect(try await ledger.latest("e3")?.state == .written)
            #expect(try await ledger.latest("e2") == nil)
            // Replaced by a new file (a restore from backup): read from its start.
            try FileManager.default.removeItem(at: ledger.url)
            try Data(#"{"event":"e1","state":"cleared","at":2}"#.utf8 + [10]).write(to: ledger.url)
            #expect(try await ledger.latest("e1")?.state == .cleared)
            #expect(try await ledger.latest("e3") == nil)
        }
    }
}
