import Foundation
import MISLinkKit
import MISLinkQueue
import SQLiteDB

/// Everything a sync job decided to record, gathered while it ran and written in one go inside the
/// job's completion transaction (so it happens once, however often the job ran).
struct Bookkeeping: Sendable {
    struct IntakeItem: Sendable {
        let role: PersonRole
        let misID: String
        let name: String
        let record: String
        let reason: String
        /// JSON of the near matches; nil when none were worked out.
        let candidates: String?
    }

    let integration: String
    var newLinks: [Link] = []
    /// What was sent, per linked record, when it changed.
    var sentSnapshots: [(role: PersonRole, misID: String, fields: [String: String])] = []
    /// Edits found in the target (and overwritten by this import).
    var targetChanges: [TargetChange] = []
    var jobID: Int64?
    var intake: [IntakeItem] = []
    var followUps: [NewJob] = []
    /// Follow-ups an earlier import scheduled that are called off (a leaver back in the MIS within
    /// their grace period), with why. One that has started or finished is left as it is.
    var callOffs: [(jobID: Int64, reason: String)] = []
    var importRecord: ImportRecord?
    /// Records now known to be in the target's recycle bin, and since when.
    var recycled: [RecycleBinEntry] = []
    /// Target ids whose recycle-bin date goes: out of the bin, or deleted.
    var unrecycled: [String] = []
    /// Links of records a purge deleted from the target.
    var unlinks: [(role: PersonRole, misID: String, targetID: String)] = []
    /// Rows of the person history (`person_changes`): the target writes made, the decisions taken.
    var changes: [PersonChange] = []
    /// How a success moves the integration, judged against its status at commit time.
    enum StatusChange: Sendable {
        /// An initial upload: it has gone live (recorded once), and Ready becomes On.
        case goLive
        /// A re-run wizard or re-match: Pending becomes Ready; Error returns to where the lifecycle
        /// stands, On if the integration has gone live and Ready if it never has.
        case matchingSucceeded
    }

    var statusChange: StatusChange?
    /// The plan this bookkeeping comes from, completed with it; a full import supersedes the others.
    var plan: (jobID: Int64, supersedeOthers: Bool, exceptHeld: Bool)?
    /// Remove the integration's own links first (re-run wizard).
    var removeIntegrationLinks = false
    var writeBack: (eventID: String, jobID: Int64, result: String)?

    init(integration: String) { self.integration = integration }

    func apply(on transaction: any QueueTransaction, now: Int64) throws {
        let store = try IntegrationStore(sql: transaction.portableSQL)
        if removeIntegrationLinks { _ = try store.removeIntegrationLinks(integration: integration) }
        for link in newLinks {
            try store.link(link)
            try store.closeIntake(integration: integration, role: link.role, misID: link.misID, targetID: link.targetID, now: now)
        }
        for snapshot in sentSnapshots {
            try store.recordSent(integration: integration, role: snapshot.role, misID: snapshot.misID, fields: snapshot.fields)
        }
        for change in targetChanges {
            try store.recordTargetChange(integration: integration, change, jobID: jobID, now: now)
        }
        for change in changes { try store.recordChange(change) }
        for item in intake {
            let opened = try store.sendToIntake(
                integration: integration, role: item.role, misID: item.misID, name: item.name, record: item.record,
                reason: item.reason, candidates: item.candidates, now: now)
            if opened {
                try store.recordChange(
                    PersonChange(
                        integration: integration, jobID: jobID, planID: plan?.jobID, at: now, role: item.role, misID: item.misID,
                        targetID: nil, kind: .intake, detail: item.reason))
            }
        }
        for entry in recycled { try store.recordInRecycleBin(integration: integration, entry) }
        for targetID in unrecycled { try store.forgetRecycleBinEntry(integration: integration, targetID: targetID) }
        for link in unlinks { try store.unlink(integration: integration, role: link.role, misID: link.misID, targetID: link.targetID) }
        for job in followUps { _ = try transaction.enqueue(job, now: now) }
        for callOff in callOffs { _ = try transaction.cancelWaiting(callOff.jobID, reason: callOff.reason, now: now) }
        if let importRecord { try store.recordImport(importRecord) }
        if let statusChange, let current = try store.integration(integration)?.status {
            let next: IntegrationStatus?
            switch (statusChange, current) {
            case (.goLive, _):
                try store.markWentLive(integration, now: now)
                next = current == .ready ? .on : nil
            case (.matchingSucceeded, .pending): next = .ready
            case (.matchingSucceeded, .error): next = try store.hasGoneLive(integration) ? .on : .ready
            case (.matchingSucceeded, _): next = nil
            }
            if let next { try store.setStatus(integration, next, now: now) }
        }
        if let plan {
            try store.completePlan(
                jobID: plan.jobID, integration: integration, supersedeOthers: plan.supersedeOthers, exceptHeld: plan.exceptHeld,
                now: now)
        }
        if let writeBack {
            try store.recordWriteBack(
                integration: integration, eventID: writeBack.eventID, jobID: writeBack.jobID, result: writeBack.result, now: now)
        }
    }

    /// The effect to hand the runner.
    var effect: CommitEffect {
        let copy = self
        return { connection in try copy.apply(on: connection, now: JobStore.now()) }
    }
}

/// JSON for reports and intake records.
enum SyncJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
