import Foundation
import MISLinkKit
import Synchronization
import Testing

/// A bounded executor runs at most `width` of its tasks' jobs at once, and every job in the end.
@Suite struct DispatchTaskExecutorTests {
    private final class Gauge: Sendable {
        let state = Mutex<(running: Int, most: Int, done: Int)>((0, 0, 0))
        func enter() { state.withLock { $0.running += 1; $0.most = max($0.most, $0.running) } }
        func leave() { state.withLock { $0.running -= 1; $0.done += 1 } }
    }

    @Test(arguments: [1, 2, 3])
    func atMostWidthJobsRunAtOnce(width: Int) async {
        let executor = DispatchTaskExecutor(label: "test.bounded", width: width)
        let gauge = Gauge()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<12 {
                group.addTask(executorPreference: executor) {
                    gauge.enter()
                    // Holds its thread, as a handler doing file work would.
                    usleep(10_000)
                    gauge.leave()
                    await Task.yield()
                    gauge.enter()
                    gauge.leave()
                }
            }
        }
        let state = gauge.state.withLock { $0 }
        #expect(state.done == 24)
        #expect(state.running == 0)
        #expect(state.most <= width)
        #expect(state.most >= 1)
    }
}
