import Foundation
import MISLinkHTTPClient
import MISLinkKit

extension WondeConnector {
    /// `POST schools/{id}/attendance/session` with the DfE code mapped to Wonde's `attendance_code_id`,
    /// then follows `writebacks/{writeback_id}` until written or failed. The ledger in `state-dir`
    /// keeps the writeback id per event, so a retry (or a snoozed job waking) follows the same
    /// writeback instead of posting again. A writeback still pending after `writeback-wait` snoozes the
    /// job until `writeback-recheck`; one pending past `writeback-give-up` fails for good.
    public func writeAttendance(_ mark: AttendanceMark, context: PluginContext) async throws -> WriteBackResult {
        guard let ledger else {
            throw PluginError.permanent(
                "wonde: write-back needs the config key state-dir: a folder for the file that remembers each event's "
                    + "writeback id, so that a retry never posts a mark twice")
        }
        let earlier = try await ledger.latest(mark.eventID)
        switch earlier?.state {
        case .written?:
            return .alreadyWritten
        case .posted?:
            guard let id = earlier?.writeback else { return .alreadyWritten }
            return try await follow(
                id, postedAt: Date(timeIntervalSince1970: earlier?.at ?? 0), mark: mark, ledger: ledger,
                context: context)
        case .posting? where !settings.resendUnanswered:
            throw PluginError.permanent(
                "wonde: event \(mark.eventID): an earlier attempt's POST got no answer (a timeout, a lost connection or a "
                    + "crash), so Wonde may already hold the mark; it is not posted again. Check student "
                    + "\(mark.studentMisID)'s \(mark.session.rawValue) mark on \(mark.date) in the MIS, or set "
                    + "--config resend-unanswered=yes to post it again")
        case .posting?, .failed?, .cleared?, nil:
            break
        }
        let codeID = try await attendanceCodeID(for: mark.code, context: context)
        let studentID = try await wondeStudentID(misID: mark.studentMisID, context: context)
        let body = SessionAttendance(attendance: [
            .init(
                studentID: studentID, date: mark.date.description, session: mark.session.rawValue,
                attendanceCodeID: codeID,
                comment: mark.comment, minutesLate: mark.minutesLate)
        ])
        try await ledger.record(mark.eventID, .posting)
        let answer: HTTPResponse
        do {
            answer = try await client.send(
                try HTTPRequest.json(.post, "\(schoolPath)/attendance/session", body, accept: [422]), context: context)
        } catch let error as PluginError {
            // Wonde answered and refused, or asked to wait: nothing was taken, so a later attempt posts afresh.
            if error.disposition != .retryable { try await ledger.record(mark.eventID, .cleared) }
            throw error
        }
        if answer.status == 422 {
            try await ledger.record(mark.eventID, .cleared)
            throw PluginError.permanent(
                "wonde: Wonde refused the mark for event \(mark.eventID) (422 on POST /v1.0/\(schoolPath)/attendance/session): "
                    + WondeRefusal.summary(answer.body))
        }
        guard let id = try answer.decode(PostedWriteBack.self).writebackID else {
            context.log(
                .warning,
                "wonde: Wonde took the mark for event \(mark.eventID) but gave no writeback_id; counted as written")
            try await ledger.record(mark.eventID, .written)
            return .written
        }
        try await ledger.record(mark.eventID, .posted, writeback: id)
        context.log(.info, "wonde: event \(mark.eventID) posted as writeback \(id)")
        return try await follow(id, postedAt: Date(), mark: mark, ledger: ledger, context: context)
    }

    /// Polls `writebacks/{id}` with backoff for up to `writeback-wait`.
    private func follow(
        _ id: String, postedAt: Date, mark: AttendanceMark, ledger: WondeWriteBackLedger, context: PluginContext
    ) async throws -> WriteBackResult {
        let deadline = Date().addingTimeInterval(settings.writebackWait)
        var delay = 0.25
        var status = ""
        while true {
            let outcome = try await client.get("writebacks/\(id)", as: WriteBackStatus.self, context: context)
            status = outcome.status ?? ""
            if settings.writtenStatuses.contains(status.lowercased()) {
                try await ledger.record(mark.eventID, .written, writeback: id)
                return .written
            }
            if settings.failedStatuses.contains(status.lowercased()) {
                try await ledger.record(mark.eventID, .failed, writeback: id)
                throw PluginError.permanent(
                    "wonde: Wonde could not write the mark for event \(mark.eventID) (writeback \(id), status '\(status)')"
                        + (outcome.error.map { ": \($0)" } ?? ""))
            }
            guard Date().addingTimeInterval(delay) < deadline else { break }
            try await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))
            delay = min(delay * 2, 2)
        }
        let pendingFor = Date().timeIntervalSince(postedAt)
        if pendingFor > settings.writebackGiveUp {
            throw PluginError.permanent(
                "wonde: writeback \(id) for event \(mark.eventID) is still '\(status)' \(Int(pendingFor / 3600)) hours after "
                    + "it was posted; check it in Wonde")
        }
        let again = Date().addingTimeInterval(settings.writebackRecheck)
        throw PluginError.snooze(
            until: again,
            "wonde: writeback \(id) for event \(mark.eventID) is still '\(status)' at Wonde; checking again later")
    }

    /// Wonde's id for the DfE code: from the school's own list when `meta/schools/{id}` says it keeps
    /// custom codes, else from the global `attendance-codes`. The list is kept for
    /// `attendance-codes-ttl`; a code missing from a kept list reads the list afresh before refusing.
    func attendanceCodeID(for code: String, context: PluginContext) async throws -> String {
        let key = "\(client.baseURL.absoluteString)|\(settings.school)"
        let kept = WondeCodeCache.shared.codes(for: key, maxAge: settings.attendanceCodesTTL)
        if let kept, let id = Self.match(code, in: kept.entries) { return id }
        let codes = try await readAttendanceCodes(context: context)
        WondeCodeCache.shared.keep(codes, for: key)
        guard let id = Self.match(code, in: codes.entries) else {
            throw PluginError.permanent(
                "wonde: \(codes.list) have no code '\(code)' (\(codes.entries.count) codes read); nothing was sent")
        }
        return id
    }

    private static func match(_ code: String, in codes: [AttendanceCodeEntry]) -> String? {
        (codes.first(where: { $0.code == code }) ?? codes.first(where: { $0.code?.uppercased() == code.uppercased() }))?.id
    }

    private func readAttendanceCodes(context: PluginContext) async throws -> WondeCodeCache.Codes {
        let meta = try await client.send(HTTPRequest(.get, "meta/\(schoolPath)", accept: [403, 404]), context: context)
        var custom = false
        if meta.status == 200 {
            custom = try meta.decode(SchoolMeta.self).customAttendanceCodes ?? false
        } else {
            context.log(
                .warning, "wonde: meta/\(schoolPath) answered \(meta.status): using Wonde's global attendance codes")
        }
        let entries = try await walk(
            custom ? "attendance-codes" : "/attendance-codes", AttendanceCodeEntry.self, includes: [],
            changedSince: nil,
            context: context)
        return .init(
            list: custom ? "the school's own attendance codes" : "Wonde's attendance codes", entries: entries, readAt: Date())
    }

    /// Wonde's student id for an MIS id (`students?only_mis_ids=`): write-back names students by it.
    func wondeStudentID(misID: String, context: PluginContext) async throws -> String {
        let page = try await client.get(
            "\(schoolPath)/students", query: [("only_mis_ids", misID), ("per_page", "50")],
            as: WondePage<WondePerson>.self,
            context: context)
        // Matched on mis_id, never taken on trust: an API that ignored the filter must not mark someone else.
        guard let student = page.data.first(where: { $0.misID == misID }) else {
            throw PluginError.permanent("wonde: Wonde has no current student with MIS id '\(misID)'; nothing was sent")
        }
        return student.id
    }
}
