import MISLinkKit

/// What an import-like job (initial upload, nightly import, re-run wizard, re-match) will do, worked
/// out before it writes anything and stored with the job (`import_plans`, `plan_steps`). The job
/// applies it step by step; a re-run of the job resumes it instead of planning again, so the
/// job's bookkeeping and counts are the plan's, whichever attempt finished it. A plan made with
/// `--plan-only`, or held by a guard, waits for an admin (`ready`, `held`) and is applied by a later
/// job of the same kind (`plan apply`), exactly as it was shown.
struct ImportPlan: Sendable {
    typealias State = PlanState

    /// The plan's id: the job that made it.
    let jobID: Int64
    let integration: String
    let kind: String
    let mode: ImportEngine.Mode
    /// The counts and reasons of what the plan does: the job's result and history row.
    var report: ImportReport
    /// When the job first started on it (the history row's start).
    var createdAt: Int64
    var steps: [PlanStep] = []
    var state: State = .applying
    /// A plan for review is refused after this (ms since 1970).
    var expiresAt: Int64?
    /// The job that applies a reviewed plan (nil: the job that made it).
    var appliedBy: Int64?
    /// Applied without its held steps (`plan apply --except-held`).
    var exceptHeld = false
    /// The guards it tripped.
    var holds: [PlanHold] = []
    /// A rehearsal as of this date: shown, never applied.
    var asOf: CalendarDate?
    /// The delta it read (ms since 1970): the check before a reviewed plan is applied reads the same.
    var changedSince: Int64?
    /// What the MIS, the target and the integration's records were before a plan-only run read them
    /// (`PlanFingerprint`); nil when a side cannot tell, or for a plan held by a guard.
    var fingerprint: String?
    /// The current records per entity when it was planned, for the guards (not stored: the holds keep
    /// the figures they were judged on).
    var current = PlanGuards.Current()

    init(jobID: Int64, integration: String, kind: String, mode: ImportEngine.Mode, report: ImportReport = ImportReport(), createdAt: Int64) {
        self.jobID = jobID
        self.integration = integration
        self.kind = kind
        self.mode = mode
        self.report = report
        self.createdAt = createdAt
    }

    mutating func append(_ step: PlanStep) {
        var step = step
        step.seq = steps.count
        steps.append(step)
    }

    /// Whether applying this plan makes `step`'s change (not held back by `--except-held`).
    func applies(_ step: PlanStep) -> Bool { !(exceptHeld && step.held) }
}
