import Foundation
import MISLinkExec
import MISLinkKit
import MISLinkTestSupport
import Testing

/// A plugin that hangs, dies, writes garbage, speaks another version or echoes a secret fails the
/// call with a message naming the plugin, the line and what was expected, and is stopped.
@Suite struct ExecFailureTests {
    func failure(_ mode: String, count: Int = 5, secrets: [String: String] = [:], pidfile: String? = nil) async throws -> PluginError {
        var values = ["mode": mode, "count": String(count)]
        values["pidfile"] = pidfile
        let connector = try ExecFixtures.connector(ExecFixtures.misbehaving, values: values, secrets: secrets)
        do {
            let pupils = try await connector.readPupils(changedSince: nil, context: .silent)
            Issue.record("mode \(mode) read \(pupils.count) pupils")
        } catch let error as PluginError {
            return error
        }
        return .retryable("none")
    }

    @Test func aPluginThatHangsFailsAfterTheCallTimeoutAndIsStopped() async throws {
        try await withTemporaryDirectory { dir in
            let pidfile = dir + "/pid"
            let error = try await failure("hang", pidfile: pidfile)
            #expect(error.disposition == .permanent)
            #expect(error.message == "plugin 'misbehaving': sent nothing for 8 s while MISLink waited for readPupils (call 1); it was stopped")
            let pid = try #require(ExecFixtures.pid(in: pidfile))
            try await ExecFixtures.waitUntil("the hung plugin to be stopped") { !ExecFixtures.isAlive(pid) }
        }
    }

    @Test func aPluginThatDiesMidStreamNamesTheCallAndItsLastWords() async throws {
        let error = try await failure("crash")
        #expect(error.disposition == .permanent)
        #expect(error.message.hasPrefix("plugin 'misbehaving': exited with status 3 after line 3, while MISLink waited for the answer to readPupils (call 1)"))
        #expect(error.message.contains("RuntimeError: the MIS went away"))
    }

    @Test func garbageOnStdoutNamesTheLine() async throws {
        let error = try await failure("garbage")
        #expect(error.message == "plugin 'misbehaving': line 3: expected a JSON message with a \"type\", got 'Traceback (most recent call last): oops'")
    }

    @Test func aRecordOfTheWrongShapeNamesTheLineAndTheField() async throws {
        let error = try await failure("bad-record")
        #expect(error.message == "plugin 'misbehaving': line 3 (readPupils): field 'record.legalSurname' is missing")
    }

    @Test func anotherMajorProtocolVersionEndsItClearly() async throws {
        let error = try await failure("version")
        #expect(error.message == "plugin 'misbehaving': line 1: it speaks plugin protocol 2.0, but MISLink speaks 1.1 (major versions differ); it was stopped")
    }

    @Test func aDoneMessageThatMiscountsFailsTheRead() async throws {
        let error = try await failure("wrong-count", count: 4)
        #expect(error.message == "plugin 'misbehaving': line 6: the done message of readPupils says 5 records, but 4 came; the read was abandoned")
    }

    @Test func thePluginsOwnErrorKeepsItsDisposition() async throws {
        let error = try await failure("error")
        #expect(error.disposition == .snooze(until: Date(timeIntervalSince1970: 1_893_553_445)))
        #expect(error.message == "plugin 'misbehaving': MIS busy")
    }

    @Test func aSecretEchoedByThePluginIsScrubbedFromLogsStderrAndErrors() async throws {
        let token = "tok-echo-5f4e3d2c1b"
        let recorder = ContextRecorder()
        let connector = try ExecFixtures.connector(ExecFixtures.misbehaving, values: ["mode": "echo-secret"], secrets: ["token": token])
        let error = await #expect(throws: PluginError.self) { _ = try await connector.readPupils(changedSince: nil, context: recorder.context) }
        #expect(error?.message == "plugin 'misbehaving': refused token (secret)")
        try await ExecFixtures.waitUntil("the stderr line") { recorder.logged.contains { $0.contains("stderr") } }
        let logged = recorder.logged.joined(separator: "\n")
        #expect(logged.contains("warning: plugin 'misbehaving': connecting with token (secret)"))
        #expect(logged.contains("info: plugin 'misbehaving' stderr: debug: token=(secret)"))
        #expect(!logged.contains(token))
    }

    @Test func cancellingACallStopsEvenAPluginThatIgnoresSIGTERM() async throws {
        try await withTemporaryDirectory { dir in
            let pidfile = dir + "/pid"
            let connector = try ExecFixtures.connector(ExecFixtures.misbehaving, values: ["mode": "stubborn", "pidfile": pidfile])
            let task = Task { try await connector.readPupils(changedSince: nil, context: .silent) }
            try await ExecFixtures.waitUntil("the plugin to start") { ExecFixtures.pid(in: pidfile) != nil }
            let pid = try #require(ExecFixtures.pid(in: pidfile))
            task.cancel()
            await #expect(throws: CancellationError.self) { _ = try await task.value }
            try await ExecFixtures.waitUntil("SIGKILL after the grace periods") { !ExecFixtures.isAlive(pid) }
        }
    }

    @Test func aVeryLargeStreamArrivesWhole() async throws {
        let recorder = ContextRecorder()
        let connector = try ExecFixtures.connector(ExecFixtures.misbehaving, values: ["mode": "ok", "count": "120000"])
        let pupils = try await connector.readPupils(changedSince: nil, context: recorder.context)
        #expect(pupils.count == 120_000)
        #expect(pupils.last?.details.misID == "P120000")
        #expect(recorder.progress.map(\.done).contains(120_000))
    }

    @Test func aStreamReachesTheEngineABatchAtATime() async throws {
        let connector = try ExecFixtures.connector(ExecFixtures.misbehaving, values: ["mode": "ok", "count": "2500"])
        var sizes: [Int] = []
        var last = ""
        try await connector.readPupils(changedSince: nil, context: .silent) { batch in
            sizes.append(batch.count)
            last = batch.last?.details.misID ?? ""
        }
        #expect(sizes == [1000, 1000, 500])
        #expect(last == "P2500")
    }

    @Test func theProcessEndsWhenTheJobLetsGoOfIt() async throws {
        try await withTemporaryDirectory { dir in
            let pidfile = dir + "/pid"
            var connector: (any Connector)? = try ExecFixtures.connector(
                ExecFixtures.misbehaving, values: ["mode": "ok", "pidfile": pidfile])
            #expect(try await connector?.readPupils(changedSince: nil, context: .silent).count == 3)
            let pid = try #require(ExecFixtures.pid(in: pidfile))
            #expect(ExecFixtures.isAlive(pid))
            connector = nil
            try await ExecFixtures.waitUntil("the plugin to exit after shutdown") { !ExecFixtures.isAlive(pid) }
        }
    }
}
