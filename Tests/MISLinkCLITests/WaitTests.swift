import Foundation
import MISLinkQueue
import Testing
import MISLinkTestSupport

/// `enqueue --wait` and `jobs watch ID`: block until the job ends and exit by its outcome.
@Suite struct WaitTests {
    @Test("enqueue --wait exits 0 when the job succeeds and 1 when it fails for good, saying which")
    func waitForOutcome() async throws {
        try await withTemporaryDirectory { dir in
            _ = try writeQuickPolicies(in: dir, maxAttempts: 1)
            _ = try await MISLinkBinary.run(["enqueue", "noop"], in: dir)
            let worker = try MISLinkBinary.start(["worker"], in: dir, stderrPath: dir + "/worker.log")
            defer { kill(worker.processIdentifier, SIGTERM) }
            let ok = try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"sleepMs": 200}"#, "--wait"], in: dir)
            #expect(ok.status == 0, "\(ok.stderr)")
            #expect(ok.stderr.contains("noop succeeded"))
            let failed = try await MISLinkBinary.run(["enqueue", "noop", "--payload", #"{"fail": "permanent"}"#, "--wait"], in: dir)
            #expect(failed.status == 1)
            #expect(failed.stderr.contains("noop failed: noop asked to fail (permanent)"))
            let id = try #require(Int64(failed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
            let watched = try await MISLinkBinary.run(["jobs", "watch", String(id)], in: dir)
            #expect(watched.status == 1)
            let missing = try await MISLinkBinary.run(["jobs", "watch", "999"], in: dir)
            #expect(missing.status == 1)
            kill(worker.processIdentifier, SIGTERM)
            await MISLinkBinary.exit(of: worker)
        }
    }
}
