import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// How a job looks in `--json` output and in text.
enum JobPresentation {
    static func json(_ job: Job) -> [String: Any] { JobJSON.object(job) }

    static func tableRow(_ job: Job) -> [String] {
        [
            String(job.id), job.kind, job.queue, job.state.rawValue, job.integration ?? "-", String(job.priority),
            "\(job.attempt)/\(job.maxAttempts)", DurationText.isoString(milliseconds: job.runAt),
            job.lastError.map { $0.count > 60 ? String($0.prefix(60)) + "…" : $0 } ?? "",
        ]
    }

    static let tableHeader = ["ID", "KIND", "QUEUE", "STATE", "INTEGRATION", "PRI", "ATTEMPT", "RUN AT", "LAST ERROR"]

    /// How much of a payload or result `jobs show` prints unless asked for all of it.
    static let shownBytes = 4096

    /// The text, or its first `shownBytes` bytes (cut on a character) and how long it really is.
    static func capped(_ text: String, full: Bool) -> String {
        let size = text.utf8.count
        guard !full, size > shownBytes else { return text }
        var cut = ""
        var used = 0
        for character in text {
            let width = character.utf8.count
            if used + width > shownBytes { break }
            cut.append(character)
            used += width
        }
        return cut + "… (\(size) bytes; --full to see all)"
    }

    static func detail(_ job: Job, full: Bool = false) -> String {
        var lines = [
            "job \(job.id)",
            "  kind:         \(job.kind)",
            "  queue:        \(job.queue)",
            "  state:        \(job.state.rawValue)" + (job.cancelRequested ? " (cancel requested)" : ""),
            "  integration:  \(job.integration ?? "-")",
            "  priority:     \(job.priority)",
            "  attempt:      \(job.attempt) of \(job.maxAttempts)",
            "  run at:       \(DurationText.isoString(milliseconds: job.runAt))",
            "  created at:   \(DurationText.isoString(milliseconds: job.createdAt))",
            "  started at:   \(job.startedAt.map { DurationText.isoString(milliseconds: $0) } ?? "-")",
            "  finished at:  \(job.finishedAt.map { DurationText.isoString(milliseconds: $0) } ?? "-")",
            "  unique key:   \(job.uniqueKey ?? "-")",
            "  payload:      \(capped(JobJSON.redactedText(job.payload), full: full))",
        ]
        if let owner = job.leaseOwner { lines.append("  held by:      \(owner)") }
        if let result = job.result { lines.append("  result:       \(capped(JobJSON.redactedText(result), full: full))") }
        if let progress = job.progress { lines.append("  progress:     \(capped(JobJSON.redactedText(progress), full: full))") }
        if job.errors.isEmpty {
            lines.append("  errors:       none")
        } else {
            lines.append("  errors:")
            for error in job.errors {
                // Worker and run time when the error ended a run (an admin's cancel of a waiting job did not).
                let run = error.durationMilliseconds.map { " after \(DurationText.format(milliseconds: $0))" } ?? ""
                let worker = error.worker.map { " on \($0)" } ?? ""
                lines.append(
                    "    attempt \(error.attempt) at \(DurationText.isoString(milliseconds: error.at))\(run)\(worker): \(error.message)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
