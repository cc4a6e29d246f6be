import CSVConnector
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Testing

/// Defect 6: every way a sync job can end `failed` moves its integration to Error, with the reason.
@Suite struct FinalFailureTests {
    private func worker(_ school: SyncFixture, timeoutMs: Int64? = nil) -> Worker {
        var configuration = WorkerConfiguration(databasePath: school.databasePath)
        configuration.drain = true
        var policies = school.environment.policies.policies
        if let timeoutMs { policies[JobKinds.nightlyImport]!.timeoutMilliseconds = timeoutMs }
        return Worker(
            configuration: configuration, handlers: SyncHandlers.registry(environment: school.environment),
            policies: PolicySet(policies: policies, catalog: JobKinds.catalog))
    }

    @Test("a nightly import whose last run never reported back (its worker died) ends failed and moves the integration to Error")
    func rescuedOnLastAttempt() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .on)
        let jobs = try school.jobs
        let id = try jobs.enqueue(NewJob(kind: JobKinds.nightlyImport, queue: "imports", integration: "oak", maxAttempts: 1)).id
        // A worker on another host claimed it and vanished: its lease ran out long ago.
        _ = try jobs.claim(workerID: "elsewhere:1:gone", limit: 1, leaseMilliseconds: 1_000, now: JobStore.now() - 60_000)
        _ = try await worker(school).run()
        let job = try #require(try jobs.job(id: id))
        #expect(job.state == .failed)
        let integration = try #require(try school.store.integration("oak"))
        #expect(integration.status == .error)
        #expect(integration.errorReason?.contains("job \(id) failed") == true)
        #expect(integration.errorReason?.contains("did not finish") == true)
    }

    @Test("a nightly import that times out on its last attempt moves the integration to Error, naming the timeout")
    func timeoutOnLastAttempt() async throws {
        let school = try SyncFixture(connector: HangingCSVPlugin())
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .on)
        let jobs = try school.jobs
        let id = try jobs.enqueue(NewJob(kind: JobKinds.nightlyImport, queue: "imports", integration: "oak", maxAttempts: 1)).id
        _ = try await worker(school, timeoutMs: 200).run()
        let job = try #require(try jobs.job(id: id))
        #expect(job.state == .failed)
        let integration = try #require(try school.store.integration("oak"))
        #expect(integration.status == .error)
        #expect(integration.errorReason?.contains("timed out") == true)
    }

    @Test("a refusal is not a fault of the integration: it stays as it was")
    func refusalLeavesStatus() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .ready)
        let job = try await school.run(JobKinds.rematch)
        #expect(job.state == .failed)
        #expect(job.lastError?.hasPrefix("refused: ") == true)
        #expect(try school.store.integration("oak")?.status == .ready)
    }
}

/// The csv connector whose reads never return (a remote that hangs).
struct HangingCSVPlugin: ConnectorPlugin {
    private let inner = CSVConnectorPlugin()
    var manifest: PluginManifest { inner.manifest }
    func makeConnector(config: PluginConfig) throws -> any Connector { HangingConnector() }
}

struct HangingConnector: Connector {
    func readPupils(changedSince: Date?, context: PluginContext) async throws -> [Pupil] {
        try await Task.sleep(for: .seconds(3_600))
        return []
    }
    func readStaff(changedSince: Date?, context: PluginContext) async throws -> [StaffMember] { [] }
}
