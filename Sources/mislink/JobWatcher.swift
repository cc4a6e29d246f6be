import Foundation
import MISLinkKit
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// Follows one job until it ends (`jobs watch ID`, `enqueue --wait`): a progress bar on a terminal,
/// plain lines otherwise, then the outcome. Exit 0 when it succeeded, 1 when it failed or was
/// cancelled, so that scripts can chain on it.
struct JobWatcher {
    let admin: JobAdmin
    let id: Int64
    /// Draw a bar (stderr is a terminal) or print a line per change.
    var interactive = isatty(STDERR_FILENO) == 1
    var pollMilliseconds: UInt32 = 200

    func watch() throws -> (job: Job, exitCode: Int32) {
        var lastLine = ""
        var firstSeen: (done: Int, at: Date)?
        while true {
            let job = try admin.job(id: id)
            if job.state.isFinished {
                if interactive && !lastLine.isEmpty { FileHandle.standardError.write(Data("\n".utf8)) }
                let outcome = "job \(id) \(job.kind) \(job.state.rawValue)" + (job.state == .succeeded ? "" : ": \(job.lastError ?? "")")
                Output.note(OneLine.text(outcome))
                return (job, job.state == .succeeded ? ExitCode.success : ExitCode.failure)
            }
            let progress = job.progress.flatMap { try? JSONDecoder().decode(PluginContext.Progress.self, from: Data($0.utf8)) }
            if let progress, firstSeen == nil { firstSeen = (progress.done, Date()) }
            let line = Self.line(job: job, progress: progress, since: firstSeen)
            if line != lastLine {
                FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + line : line + "\n").utf8))
                lastLine = line
            }
            usleep(pollMilliseconds * 1_000)
        }
    }

    /// `job 7 nightly-import running [########------------] 400/1000 pupils  52.1/s  ETA 12s`.
    static func line(job: Job, progress: PluginContext.Progress?, since first: (done: Int, at: Date)?) -> String {
        var text = "job \(job.id) \(job.kind) \(job.state.rawValue)"
        guard let progress else { return text }
        if let total = progress.total, total > 0 {
            let width = 20
            let filled = min(width, progress.done * width / total)
            text += " [" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "]"
            text += " \(progress.done)/\(total)"
        } else {
            text += " \(progress.done) done"
        }
        if let message = progress.message { text += " " + message }
        if let first, progress.done > first.done {
            let seconds = Date().timeIntervalSince(first.at)
            let rate = Double(progress.done - first.done) / max(seconds, 0.001)
            text += String(format: "  %.1f/s", rate)
            if let total = progress.total, rate > 0 {
                let seconds = (Double(total - progress.done) / rate).rounded()
                text += "  ETA " + DurationText.format(milliseconds: Int64(seconds) * 1000)
            }
        }
        return text
    }
}
