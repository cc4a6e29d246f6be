import DirectoryTarget
import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync
import Testing

/// Defect 7: leaving Error returns the integration to where its lifecycle stands, Ready if it never
/// went live and On if it did; going live is recorded by the first successful initial upload.
@Suite struct LifecycleTests {
    @Test("Pending → Error → Ready: a failed first wizard, then a successful one, gives Ready; go-live then turns it On")
    func failedFirstWizard() async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .pending) { $0.config["dir"] = "/nonexistent/export" }
        #expect(try await school.run(JobKinds.rerunWizard).state == .failed)
        #expect(try school.integration().status == .error)

        var fixed = try school.integration()
        fixed.config["dir"] = school.mis.path
        try school.store.save(fixed)
        let wizard = try await school.run(JobKinds.rerunWizard)
        #expect(wizard.state == .succeeded, "\(wizard.lastError ?? "")")
        #expect(try school.integration().status == .ready)
        #expect(try school.store.hasGoneLive("oak") == false)

        let upload = try await school.run(JobKinds.initialUpload)
        #expect(upload.state == .succeeded, "\(upload.lastError ?? "")")
        #expect(try school.integration().status == .on)
        #expect(try school.store.hasGoneLive("oak"))
    }

    @Test("an integration that has gone live returns from Error to On after a successful wizard or re-match",
          arguments: [JobKinds.rerunWizard, JobKinds.rematch])
    func errorAfterGoingLive(kind: String) async throws {
        let school = try SyncFixture()
        try school.writeExport(students: [student("M1", "Amy", "Lee")])
        try school.addIntegration(status: .ready) { $0.settings.newRecords = .create }
        #expect(try await school.run(JobKinds.initialUpload).state == .succeeded)
        try school.store.setStatus("oak", .error, reason: "a nightly import failed", now: JobStore.now())
        let job = try await school.run(kind)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try school.integration().status == .on)
    }

    @Test("a re-match from Error of an integration that never went live gives Ready, not On")
    func rematchBeforeGoingLive() async throws {
        let school = try SyncFixture()
        try school.writeExport(staff: [staffRow("E1", "Jo", "Bloggs", ni: "AB123456C")])
        try school.addIntegration(status: .error, wentLive: false)
        let job = try await school.run(JobKinds.rematch)
        #expect(job.state == .succeeded, "\(job.lastError ?? "")")
        #expect(try school.integration().status == .ready)
    }
}
