import MISLinkRunner
import Testing

/// The loop's pure decision step, driven with clock readings: every reason to wake, every phase.
@Suite struct LoopDecisionTests {
    let t: Int64 = 1_000_000

    private func idle(_ change: (inout LoopSnapshot) -> Void = { _ in }) -> LoopSnapshot {
        var snapshot = LoopSnapshot(concurrency: 4)
        snapshot.queueDrained = true
        snapshot.runnableLeft = false
        snapshot.pollInterval = 60_000
        snapshot.timers = [t + 10_000, t + 20_000]
        change(&snapshot)
        return snapshot
    }

    @Test("an idle worker with nothing due sleeps until its next chore")
    func sleepsUntilChore() {
        #expect(idle().decide(now: t) == .sleep(until: t + 10_000))
    }

    @Test("an idle worker with a free slot looks for other processes' commits every poll interval")
    func polls() {
        #expect(idle { $0.pollInterval = 2 }.decide(now: t) == .sleep(until: t + 2))
    }

    @Test("another process's job (the queue is no longer known to be drained) is claimed at once, every free slot")
    func anotherProcessesJob() {
        #expect(idle { $0.queueDrained = false }.decide(now: t) == .exchange(claim: 4))
        #expect(idle { $0.queueDrained = false; $0.running = 3 }.decide(now: t) == .exchange(claim: 1))
    }

    @Test("a retry, snooze or scheduled job that falls due wakes the worker exactly then, and is claimed")
    func dueJob() {
        let waiting = idle { $0.nextDueAt = t + 5_000 }
        #expect(waiting.decide(now: t) == .sleep(until: t + 5_000))
        #expect(waiting.decide(now: t + 4_999) == .sleep(until: t + 5_000))
        #expect(waiting.decide(now: t + 5_000) == .exchange(claim: 4))
    }

    @Test("a due job waits while every slot is busy, and the loop does not spin on it")
    func dueJobAllSlotsBusy() {
        let busy = idle { $0.nextDueAt = t; $0.running = 4 }
        #expect(busy.decide(now: t + 1) == .sleep(until: t + 10_000))
    }

    @Test("claim-ahead asks for the buffer too, never while every slot runs")
    func claimAhead() {
        #expect(idle { $0.queueDrained = false; $0.claimAheadDepth = 32 }.decide(now: t) == .exchange(claim: 36))
        #expect(idle { $0.queueDrained = false; $0.claimAheadDepth = 32; $0.running = 4; $0.ahead = 10 }.decide(now: t)
            == .sleep(until: t + 10_000))
    }

    @Test("a finished run is committed at once when nothing is buffered, batched briefly when claim-ahead keeps it busy")
    func completions() {
        let finished = idle { $0.pendingCompletions = 1; $0.pendingSince = t; $0.running = 4 }
        #expect(finished.decide(now: t) == .exchange(claim: 0))
        var buffered = finished
        buffered.ahead = 5
        #expect(buffered.decide(now: t) == .sleep(until: t + 5))
        #expect(buffered.decide(now: t + 5) == .exchange(claim: 0))
        buffered.pendingCompletions = 64
        #expect(buffered.decide(now: t) == .exchange(claim: 0))
    }

    @Test("an expired lease or a dead worker is looked for when the rescue timer falls due")
    func rescueTimer() {
        #expect(idle { $0.timers = [t + 30_000, t + 1_000] }.decide(now: t) == .sleep(until: t + 1_000))
    }

    @Test("a running job's timeout wakes the worker at its deadline")
    func timeoutTimer() {
        #expect(idle { $0.running = 4; $0.timers = [t + 10_000, t + 20_000, t + 700] }.decide(now: t) == .sleep(until: t + 700))
    }

    @Test("stopping: no claims, completions committed at once, a wake at the grace deadline, exit when idle")
    func stopping() {
        let stopping = idle { $0.phase = .stopping(deadline: t + 3_000); $0.queueDrained = false; $0.running = 2 }
        #expect(stopping.decide(now: t) == .sleep(until: t + 3_000))
        var finished = stopping
        finished.pendingCompletions = 1
        finished.pendingSince = t
        finished.ahead = 0
        #expect(finished.decide(now: t) == .exchange(claim: 0))
        #expect(idle { $0.phase = .stopping(deadline: t + 3_000); $0.queueDrained = false }.decide(now: t) == .exit)
    }

    @Test("handing back: the handed-back jobs are committed, then the worker exits")
    func handingBack() {
        let handing = idle { $0.phase = .handingBack; $0.pendingCompletions = 3; $0.pendingSince = t }
        #expect(handing.decide(now: t) == .exchange(claim: 0))
        #expect(idle { $0.phase = .handingBack }.decide(now: t) == .exit)
    }

    @Test("--drain exits once nothing is runnable, and not while a retry waits or a job is blocked")
    func drain() {
        #expect(idle { $0.drain = true }.decide(now: t) == .exit)
        #expect(idle { $0.drain = true; $0.runnableLeft = true; $0.nextDueAt = t + 50 }.decide(now: t) == .sleep(until: t + 50))
        #expect(idle { $0.drain = true; $0.queueDrained = false }.decide(now: t) == .exchange(claim: 4))
        #expect(idle { $0.drain = true; $0.running = 1 }.decide(now: t) == .sleep(until: t + 10_000))
        #expect(idle { $0.drain = false }.decide(now: t) != .exit)
    }
}
