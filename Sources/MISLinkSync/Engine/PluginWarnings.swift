import MISLinkKit
import MISLinkRunner
import Synchronization

/// A plugin context that passes everything on and also keeps the plugin's warnings, once each and
/// scrubbed of secrets, for the import report.
struct PluginWarnings: Sendable {
    private final class Lines: Sendable {
        let kept = Mutex<[String]>([])
    }

    private let lines = Lines()
    let context: PluginContext

    init(_ job: JobContext) {
        let lines = self.lines
        let outer = job.plugin
        context = PluginContext(
            log: { level, message in
                outer.log(level, message)
                guard level >= .warning else { return }
                let line = job.scrub(message)
                lines.kept.withLock { if !$0.contains(line) { $0.append(line) } }
            },
            progress: { outer.report($0) })
    }

    var kept: [String] { lines.kept.withLock { $0 } }
}
