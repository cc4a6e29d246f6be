import MISLinkRunner
import Testing

@Suite struct BackoffTests {
    let backoff = Backoff(initialMilliseconds: 1_000, maxMilliseconds: 60_000, multiplier: 2, jitter: 0.2)

    @Test("the base wait doubles each attempt and stops at the cap", arguments: [
        (1, 1_000), (2, 2_000), (3, 4_000), (6, 32_000), (7, 60_000), (50, 60_000),
    ] as [(Int, Int64)])
    func baseDelay(attempt: Int, expected: Int64) {
        #expect(backoff.baseDelay(afterAttempt: attempt) == expected)
    }

    @Test("jitter spreads the wait over ±20 % and never past the cap")
    func jitterBounds() {
        #expect(backoff.delay(afterAttempt: 3, unit: 0) == 3_200)
        #expect(backoff.delay(afterAttempt: 3, unit: 0.5) == 4_000)
        #expect(backoff.delay(afterAttempt: 3, unit: 0.999_999) == 4_799)
        #expect(backoff.delay(afterAttempt: 10, unit: 0.999) == 60_000)
        for _ in 0..<1000 {
            let delay = backoff.delay(afterAttempt: 2)
            #expect((1_600...2_400).contains(delay))
        }
    }

    @Test("no jitter gives the base wait exactly")
    func noJitter() {
        let exact = Backoff(initialMilliseconds: 500, maxMilliseconds: 10_000, multiplier: 3, jitter: 0)
        #expect(exact.delay(afterAttempt: 3, unit: 0.9) == 4_500)
    }
}

@Suite struct DurationTextTests {
    @Test("durations read as people type them", arguments: [
        ("500ms", 500), ("30s", 30_000), ("10m", 600_000), ("2h", 7_200_000), ("30d", 2_592_000_000), ("1h30m", 5_400_000),
    ] as [(String, Int64)])
    func parses(text: String, ms: Int64) {
        #expect(DurationText.milliseconds(text) == ms)
    }

    @Test("anything else is not a duration", arguments: ["", "10", "m", "10x", "-5s", "1.5h", "10 m"])
    func rejects(text: String) {
        #expect(DurationText.milliseconds(text) == nil)
    }

    @Test("ISO-8601 times parse with or without fractions and offsets")
    func isoTimes() {
        #expect(DurationText.isoTime("2026-11-28T02:00:00Z") == 1_795_831_200_000)
        #expect(DurationText.isoTime("2026-11-28T02:00:00.250Z") == 1_795_831_200_250)
        #expect(DurationText.isoTime("2026-11-28T03:00:00+01:00") == 1_795_831_200_000)
        #expect(DurationText.isoTime("tomorrow") == nil)
    }
}
