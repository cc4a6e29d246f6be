import MISLinkQueue
import Foundation
import MISLinkKit
import SQLiteDB

extension IntegrationStore {
    // MARK: - Import plans

    /// Stores a new plan in one transaction of its own. An earlier, superseded plan of the job goes first.
    func savePlan(_ plan: ImportPlan) throws {
        try connection.transaction { try insertPlan(plan) }
    }

    private func insertPlan(_ plan: ImportPlan) throws {
        try connection.run("DELETE FROM import_plans WHERE job_id = ?", [plan.jobID])
        try connection.run(
            """
            INSERT INTO import_plans(job_id, integration, kind, mode, status, report, created_at, expires_at, applied_by,
                except_held, holds, as_of, changed_since, fingerprint)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                plan.jobID, plan.integration, plan.kind, plan.mode.rawValue, plan.state.rawValue, SyncJSON.encode(plan.report),
                plan.createdAt, plan.expiresAt, plan.appliedBy, plan.exceptHeld ? 1 : 0,
                plan.holds.isEmpty ? nil : SyncJSON.encode(plan.holds), plan.asOf?.description, plan.changedSince,
                plan.fingerprint,
            ])
        let sql = """
            INSERT INTO plan_steps(job_id, seq, kind, role, mis_id, target_id, before, after, detail, status, candidates, held)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        for step in plan.steps {
            let before = step.kind == .contacts ? step.contactsBefore.map(PlanJSON.encode) : step.before.map(PlanJSON.encode)
            let after = step.kind == .contacts ? step.contacts.map(PlanJSON.encode) : step.after.map(PlanJSON.encode)
            try connection.run(
                sql,
                [
                    plan.jobID, step.seq, step.kind.rawValue, step.role.rawValue, step.misID, step.targetID, before, after,
                    step.detail, step.status.rawValue, step.candidates.map(SyncJSON.encode), step.held ? 1 : 0,
                ])
        }
    }

    static let planColumns = """
        job_id, integration, kind, mode, status, report, created_at, expires_at, applied_by, except_held, holds, as_of,
        changed_since, finished_at, fingerprint
        """

    /// A plan row as `planColumns` reads it (its steps are read apart); nil for a mode this build does not know.
    static func planRow(_ row: any PortableRow) throws -> (plan: ImportPlan, finishedAt: Int64?)? {
        guard let mode = ImportEngine.Mode(rawValue: try row.string(3)) else { return nil }
        let report = (try? JSONDecoder().decode(ImportReport.self, from: Data(try row.string(5).utf8))) ?? ImportReport()
        var plan = ImportPlan(
            jobID: try row.int64(0), integration: try row.string(1), kind: try row.string(2), mode: mode, report: report,
            createdAt: try row.int64(6))
        plan.state = ImportPlan.State(rawValue: try row.string(4)) ?? .completed
        plan.expiresAt = try row.optionalInt64(7)
        plan.appliedBy = try row.optionalInt64(8)
        plan.exceptHeld = try row.int64(9) != 0
        plan.holds = try row.optionalString(10).flatMap { try? JSONDecoder().decode([PlanHold].self, from: Data($0.utf8)) } ?? []
        plan.asOf = try row.optionalString(11).flatMap(CalendarDate.init(iso:))
        plan.changedSince = try row.optionalInt64(12)
        plan.fingerprint = try row.optionalString(14)
        return (plan, try row.optionalInt64(13))
    }

    /// The plan with id `id` (the job that made it), with its steps; nil when there is none.
    func plan(id: Int64) throws -> ImportPlan? {
        guard
            var plan = try connection.queryFirst(
                "SELECT \(Self.planColumns) FROM import_plans WHERE job_id = ?", [id], { try Self.planRow($0)?.plan }) ?? nil
        else { return nil }
        plan.steps = try planSteps(jobID: id)
        return plan
    }

    /// The plan job `jobID` is applying (its own, or a reviewed plan it took on); nil when there is
    /// none to resume (never planned, completed, or superseded by a later import).
    func resumablePlan(jobID: Int64) throws -> ImportPlan? {
        guard
            let id = try connection.queryFirst(
                "SELECT job_id FROM import_plans WHERE status = 'applying' AND (job_id = ? OR applied_by = ?)", [jobID, jobID],
                { try $0.int64(0) })
        else { return nil }
        return try plan(id: id)
    }

    /// Every step of the job's plan, in order (empty when it has none).
    public func planSteps(jobID: Int64) throws -> [PlanStep] {
        try connection.query(
            "SELECT seq, kind, role, mis_id, target_id, before, after, detail, status, candidates, held FROM plan_steps WHERE job_id = ? ORDER BY seq",
            [jobID]
        ) { row in
            let kind = PlanStep.Kind(rawValue: try row.string(1)) ?? .recordSent
            var step = PlanStep(
                kind, role: PersonRole(rawValue: try row.string(2)) ?? .pupil, misID: try row.string(3), targetID: try row.optionalString(4),
                detail: try row.optionalString(7))
            step.seq = try row.int(0)
            if kind == .contacts {
                step.contactsBefore = try row.optionalString(5).flatMap(PlanJSON.decodeContacts)
                step.contacts = try row.optionalString(6).flatMap(PlanJSON.decodeContacts)
            } else {
                step.before = try row.optionalString(5).flatMap(PlanJSON.decodeFields)
                step.after = try row.optionalString(6).flatMap(PlanJSON.decodeFields)
            }
            step.status = PlanStep.Status(rawValue: try row.string(8)) ?? .planned
            step.candidates = try row.optionalString(9).flatMap(IntakeCandidate.decodeList)
            step.held = try row.int64(10) != 0
            return step
        }
    }

    /// Marks applied steps done, with the target id a create got, in one transaction of its own.
    func markStepsDone(jobID: Int64, _ steps: [(seq: Int, targetID: String?)]) throws {
        try connection.transaction {
            for step in steps {
                try connection.run(
                    "UPDATE plan_steps SET status = 'done', target_id = coalesce(?, target_id) WHERE job_id = ? AND seq = ?",
                    [step.targetID, jobID, step.seq])
            }
        }
    }

    /// The plan is done, with its job: its bookkeeping steps too. A full import also supersedes the
    /// integration's other unfinished plans, whose writes it has taken into account: a later retry of
    /// such a job plans afresh instead of writing its older values.
    /// Steps held back (`exceptHeld`) stay planned: they were not made.
    func completePlan(jobID: Int64, integration: String, supersedeOthers: Bool, exceptHeld: Bool = false, now: Int64) throws {
        try connection.run(
            "UPDATE plan_steps SET status = 'done' WHERE job_id = ? AND status = 'planned'" + (exceptHeld ? " AND held = 0" : ""),
            [jobID])
        try connection.run("UPDATE import_plans SET status = 'completed', finished_at = ? WHERE job_id = ?", [now, jobID])
        if supersedeOthers {
            try connection.run(
                """
                UPDATE import_plans SET status = 'superseded', finished_at = ?
                WHERE integration = ? AND status = 'applying' AND job_id <> ?
                """, [now, integration, jobID])
        }
    }

    /// What unfinished plans of the integration (other than `jobID`'s) create or send, per person
    /// ("role:misID"), whether or not their steps are marked done: a job killed before its completion
    /// may have written any of them without recording it as sent (marks are batched), and a target
    /// value one of them holds is our own write, not an edit made in the target.
    func earlierWrites(integration: String, excluding jobID: Int64?) throws -> [String: [[String: String]]] {
        var writes: [String: [[String: String]]] = [:]
        let rows = try connection.query(
            """
            SELECT s.role, s.mis_id, s.after FROM plan_steps s JOIN import_plans p ON p.job_id = s.job_id
            WHERE p.integration = ? AND p.status = 'applying' AND p.job_id <> ? AND s.kind IN ('create', 'update')
            ORDER BY s.job_id, s.seq
            """, [integration, jobID ?? -1]
        ) { row in (try (row.string(0) + ":" + row.string(1)), try row.optionalString(2)) }
        for (key, after) in rows {
            guard let fields = after.flatMap(PlanJSON.decodeFields) else { continue }
            writes[key, default: []].append(fields)
        }
        return writes
    }

    // MARK: - Going live

    /// Whether the integration's initial upload has ever succeeded.
    public func hasGoneLive(_ id: String) throws -> Bool {
        try connection.scalarInt("SELECT went_live_at FROM integrations WHERE id = ?", [id]) != nil
    }

    /// Records the first successful initial upload (later ones keep the first date).
    public func markWentLive(_ id: String, now: Int64) throws {
        try connection.run("UPDATE integrations SET went_live_at = coalesce(went_live_at, ?) WHERE id = ?", [now, id])
    }
}
