import Foundation
import MISLinkRunner
import MISLinkSync
import Testing

@Suite struct JobKindsTests {
    @Test("every sync kind has a compiled-in default; write-back has its own queue and the top priority")
    func defaults() throws {
        let set = PolicySet(catalog: JobKinds.catalog)
        #expect(set.kinds == [
            "initial-upload", "nightly-import", "rematch", "rerun-wizard", "write-back", "leaver-to-recycle-bin", "plan-undo", "noop",
        ])
        let writeBack = try #require(set.policy(for: JobKinds.writeBack))
        #expect(writeBack.queue == "write-back")
        #expect(JobKinds.all.allSatisfy { set.policy(for: $0)!.priority <= writeBack.priority })
        #expect(set.policy(for: JobKinds.nightlyImport)?.schedule == DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London"))
        #expect(JobKinds.catalog.scheduled == [JobKinds.nightlyImport])
    }

    @Test("jobs that change the target share one concurrency key per integration; write-back has none")
    func concurrencyKeys() {
        for kind in ["initial-upload", "nightly-import", "rematch", "rerun-wizard", "leaver-to-recycle-bin"] {
            #expect(JobKinds.concurrencyKey(kind: kind, integration: "oak") == "integration:oak", "\(kind)")
        }
        #expect(JobKinds.concurrencyKey(kind: "write-back", integration: "oak") == nil)
        #expect(JobKinds.concurrencyKey(kind: "noop", integration: "oak") == nil)
        #expect(JobKinds.concurrencyKey(kind: "nightly-import", integration: nil) == nil)
    }

    @Test("a worker keeps a quarter of its slots, at least one, free of imports by default (none at concurrency 1)")
    func queueLimits() {
        #expect(JobKinds.defaultQueueLimits(concurrency: 2) == ["imports": 1])
        #expect(JobKinds.defaultQueueLimits(concurrency: 4) == ["imports": 3])
        #expect(JobKinds.defaultQueueLimits(concurrency: 16) == ["imports": 12])
        #expect(JobKinds.defaultQueueLimits(concurrency: 64) == ["imports": 48])
        #expect(JobKinds.defaultQueueLimits(concurrency: 1) == [:])
    }

    @Test("the policy files shipped in jobs/ load, one per kind, and agree with the compiled-in defaults")
    func shippedFilesLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let set = try PolicySet.load(directory: root.appendingPathComponent("jobs").path, catalog: JobKinds.catalog)
        #expect(Set(set.sources.keys) == Set(JobKinds.all))
        #expect(set.policies == PolicySet(catalog: JobKinds.catalog).policies)
    }
}
