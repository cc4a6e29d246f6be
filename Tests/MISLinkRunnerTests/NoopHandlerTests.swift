import MISLinkRunner
import Testing

@Suite struct NoopHandlerTests {
    @Test("defect: noop's payload reaches no file: a path option is refused at enqueue, as any unknown key")
    func noFileOptions() throws {
        let payload = try JSONPayload(text: #"{"recordRunTo": "../../mislink.sqlite"}"#)
        let error = try #require(throws: PayloadError.self) { try NoopHandler().validate(payload) }
        #expect(error.message.contains("'recordRunTo' is not known"))
    }

    @Test("what noop does take: sleep, fail, fail until an attempt, a note")
    func knownKeys() throws {
        try NoopHandler().validate(JSONPayload(text: #"{"sleepMs": 5, "fail": "retryable", "untilAttempt": 2, "note": "x"}"#))
    }
}
