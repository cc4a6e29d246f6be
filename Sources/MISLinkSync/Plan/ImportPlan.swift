import MISLinkKit

/// What an import-like job (initial upload, nightly import, re-run wizard, re-match) will do, worked
/// out before it writes anything and stored with the job (`import_plans`, `plan_steps`). The job
/// applies it step by step; a re-run of the job resumes it instead of planning again, so the
/// job's bookkeeping and counts are the plan's, whichever attempt finished it.
struct ImportPlan: Sendable {
    let jobID: Int64
    let integration: String
    let kind: String
    let mode: ImportEngine.Mode
    /// The counts and reasons of what the plan does: the job's result and history row.
    var report: ImportReport
    /// When the job first started on it (the history row's start).
    var createdAt: Int64
    var steps: [PlanStep] = []

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
}
