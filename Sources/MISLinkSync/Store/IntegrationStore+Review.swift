import Foundation
import MISLinkKit
import MISLinkQueue
import SQLiteDB

/// One plan as `plan list` shows it: no steps.
public struct PlanSummary: Sendable {
    public let id: Int64
    public let integration: String
    public let kind: String
    public let state: PlanState
    public let createdAt: Int64
    public let finishedAt: Int64?
    public let expiresAt: Int64?
    public let appliedBy: Int64?
    public let exceptHeld: Bool
    public let holds: [PlanHold]
    public let asOf: String?
    public let report: ImportReport

    /// A plan for review past its time.
    public func isExpired(now: Int64) -> Bool { state.forReview && expiresAt.map { $0 <= now } == true }

    /// Ready or held, and not expired: it can still be applied.
    public func waitsForDecision(now: Int64) -> Bool { state.forReview && !isExpired(now: now) }

    /// The state an admin reads: a plan for review past its time is "expired"; a completed one "applied".
    public func shownState(now: Int64) -> String {
        if isExpired(now: now) { return "expired" }
        return state == .completed ? "applied" : state.rawValue
    }
}

extension PlanSummary {
    init(_ plan: ImportPlan, finishedAt: Int64?) {
        self.init(
            id: plan.jobID, integration: plan.integration, kind: plan.kind, state: plan.state, createdAt: plan.createdAt,
            finishedAt: finishedAt, expiresAt: plan.expiresAt, appliedBy: plan.appliedBy, exceptHeld: plan.exceptHeld,
            holds: plan.holds, asOf: plan.asOf?.description, report: plan.report)
    }
}

extension IntegrationStore {
    // MARK: - Plans for review

    /// Plans, newest first: of one integration or all; only those for review when `reviewOnly`.
    public func planSummaries(integration: String?, reviewOnly: Bool = false, limit: Int = 50) throws -> [PlanSummary] {
        var conditions: [String] = []
        var arguments: [any SQLBindable] = []
        if let integration {
            conditions.append("integration = ?")
            arguments.append(integration)
        }
        if reviewOnly { conditions.append("status IN ('ready', 'held')") }
        arguments.append(Int64(limit))
        let rows = try connection.query(
            "SELECT \(Self.planColumns) FROM import_plans"
                + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")) + " ORDER BY job_id DESC LIMIT ?",
            arguments
        ) { try Self.planRow($0) }
        return rows.compactMap { $0.map { PlanSummary($0.plan, finishedAt: $0.finishedAt) } }
    }

    /// The summary of plan `id`, or nil.
    public func planSummary(id: Int64) throws -> PlanSummary? {
        try connection.queryFirst("SELECT \(Self.planColumns) FROM import_plans WHERE job_id = ?", [id]) { try Self.planRow($0) }?
            .map { PlanSummary($0.plan, finishedAt: $0.finishedAt) }
    }

    /// Held plans not yet past their time (the console's "needs attention").
    public func heldPlanCount(integration: String? = nil, now: Int64) throws -> Int {
        Int(
            try connection.scalarInt(
            "SELECT count(*) FROM import_plans WHERE status = 'held' AND (expires_at IS NULL OR expires_at > ?)"
                + (integration == nil ? "" : " AND integration = ?"),
            integration.map { [now, $0] } ?? [now]) ?? 0)
    }

    /// Gives a plan for review to the job `jobID` that will apply it; false when it is no longer for review.
    func assignPlan(_ id: Int64, to jobID: Int64, exceptHeld: Bool) throws -> Bool {
        try connection.run(
            "UPDATE import_plans SET applied_by = ?, except_held = ? WHERE job_id = ? AND status IN ('ready', 'held')",
            [jobID, exceptHeld ? 1 : 0, id]) == 1
    }

    /// The applying job starts on the plan it was given; false when it was discarded meanwhile.
    func startApplying(_ id: Int64, by jobID: Int64) throws -> Bool {
        try connection.run(
            "UPDATE import_plans SET status = 'applying' WHERE job_id = ? AND applied_by = ? AND status IN ('ready', 'held')",
            [id, jobID]) == 1
    }

    /// Ends a plan for review unapplied; false when it is not for review.
    func discardPlan(_ id: Int64, now: Int64) throws -> Bool {
        try connection.run(
            "UPDATE import_plans SET status = 'discarded', finished_at = ? WHERE job_id = ? AND status IN ('ready', 'held')",
            [now, id]) == 1
    }
}
