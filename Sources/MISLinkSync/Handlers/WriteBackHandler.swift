import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner

/// `write-back`: a late arrival or early leaving sent back to the MIS within minutes, once per event.
struct WriteBackHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) {
        _ = try Self.mark(from: payload)
    }

    /// Reads and checks the payload `{eventId, studentMisId, date, session, code, minutesLate?, comment?}`.
    static func mark(from payload: JSONPayload) throws(PayloadError) -> AttendanceMark {
        let known: Set<String> = ["eventId", "studentMisId", "date", "session", "code", "minutesLate", "comment"]
        if let unknown = payload.object.keys.sorted().first(where: { !known.contains($0) }) {
            throw PayloadError("write-back payload key '\(unknown)' is not known (known: \(known.sorted().joined(separator: ", ")))")
        }
        func text(_ key: String) throws(PayloadError) -> String {
            guard let value = payload.string(key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw PayloadError("write-back payload needs '\(key)' (a non-empty string)")
            }
            return value
        }
        let eventID = try text("eventId")
        let student = try text("studentMisId")
        let dateText = try text("date")
        guard let date = CalendarDate(iso: dateText) else {
            throw PayloadError("write-back payload 'date' must be a date YYYY-MM-DD, not '\(dateText)'")
        }
        let sessionText = try text("session")
        guard let session = Session(rawValue: sessionText.uppercased()) else {
            throw PayloadError("write-back payload 'session' must be AM or PM, not '\(sessionText)'")
        }
        let code = try text("code")
        guard AttendanceCode.isCurrent(code) else {
            throw PayloadError("write-back payload 'code' '\(code)' is not a current DfE attendance code")
        }
        let minutesLate = try payload.integer("minutesLate")
        if let minutesLate {
            guard (0...300).contains(minutesLate) else {
                throw PayloadError("write-back payload 'minutesLate' must be from 0 to 300")
            }
            guard AttendanceCode.lateArrivalCodes.contains(code) else {
                throw PayloadError("a late arrival (minutesLate) must use code L or U, not '\(code)'")
            }
        }
        let comment = payload.object["comment"].map { $0 as? String }
        if let comment, comment == nil { throw PayloadError("write-back payload 'comment' must be a string") }
        return AttendanceMark(
            eventID: eventID, studentMisID: student, date: date, session: session, code: code, minutesLate: minutesLate,
            comment: comment ?? nil)
    }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        let mark = try Self.mark(from: payload)
        guard integration.absenceSync else {
            return skipped("absence sync is off for integration '\(integration.id)'")
        }
        guard integration.status == .on || integration.status == .error else {
            return skipped("integration '\(integration.id)' is \(integration.status.title): write-back runs while it is On")
        }
        let id = integration.id
        if let earlier = try await store.run({ try $0.writeBack(integration: id, eventID: mark.eventID) }) {
            return JobResult(json: SyncJSON.encode(["eventId": mark.eventID, "result": "already-written", "earlier": earlier]))
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        let result = try await session.connector.writeAttendance(mark, context: context.plugin)
        var bookkeeping = Bookkeeping(integration: integration.id)
        bookkeeping.writeBack = (mark.eventID, job.id, result.rawValue)
        return JobResult(json: SyncJSON.encode(["eventId": mark.eventID, "result": result.rawValue]), effect: bookkeeping.effect)
    }
}

/// `leaver-to-recycle-bin`: moves a leaver to the target's recycle bin; the link stays, so the person
/// is never created again as new, and `mislink target restore` brings them back.
struct LeaverHandler: SyncHandler {
    let environment: SyncEnvironment

    func validate(_ payload: JSONPayload) throws(PayloadError) {
        for key in ["role", "misID", "targetID"] where payload.string(key)?.isEmpty ?? true {
            throw PayloadError("leaver-to-recycle-bin payload needs '\(key)'")
        }
        _ = try payload.integer("plan")
    }

    func run(_ job: ClaimedJob, payload: JSONPayload, context: JobContext) async throws -> JobResult {
        let (store, integration) = try await open(job)
        guard integration.status == .on || integration.status == .error else {
            return skipped("integration '\(integration.id)' is \(integration.status.title): leavers move while it is On")
        }
        let targetID = payload.string("targetID") ?? ""
        let misID = payload.string("misID") ?? ""
        // Whoever can enqueue could name any target record: only the record this integration linked
        // to that MIS person moves, so a payload can never reach anyone else's record.
        guard let role = payload.string("role").flatMap(PersonRole.init(rawValue:)) else {
            throw refuse("leaver-to-recycle-bin payload 'role' must be one of \(PersonRole.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let id = integration.id
        let linked = try await store.run { try $0.linkedTargetID(integration: id, role: role, misID: misID) }
        guard linked == targetID else {
            throw refuse("\(role.rawValue) \(misID) is not linked to target record \(targetID) in integration '\(id)'; nothing was moved")
        }
        let session = try PluginSession.open(integration, environment: environment, context: context)
        try await session.target.moveToRecycleBin(targetID: targetID, context: context.plugin)
        // The day it went in, for recycle-purge-after: recorded with the job's completion, once.
        var bookkeeping = Bookkeeping(integration: id)
        bookkeeping.recycled = [
            RecycleBinEntry(
                targetID: targetID, role: role, misID: misID, since: environment.today(integration.settings.timeZone), origin: .moved)
        ]
        // The person's history: the move, with the plan that found them leaving.
        bookkeeping.changes = [
            PersonChange(
                integration: id, jobID: job.id, planID: (try? payload.integer("plan")).map { Int64($0) }, at: JobStore.now(), role: role,
                misID: misID,
                targetID: targetID, kind: .recycle, detail: "moved to the recycle bin: a leaver"),
        ]
        return JobResult(json: SyncJSON.encode(["movedToRecycleBin": targetID]), effect: bookkeeping.effect)
    }
}
