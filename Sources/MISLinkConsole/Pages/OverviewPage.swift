import Foundation
import MISLinkQueue
import MISLinkRunner
import MISLinkSync

/// `/`: what needs attention, each count a link to its list, and the activity chart below.
enum OverviewPage {
    /// An import older than this (or none at all) on a live integration needs a look.
    static let staleImportMilliseconds: Int64 = 26 * 3_600_000

    struct Model {
        var failedJobs = 0
        var intakeWaiting = 0
        var errorOrPending = 0
        var guardTrips = 0
        var heldPlans = 0
        var staleImports = 0
        /// Run-at of the oldest available write-back, if one waits.
        var oldestWriteBack: Int64?
        var activity: [ActivityBucket] = []
        var kinds: [String] = []
        var zone = TimeText.utcZone
        var zoneNote = ""
    }

    static func load(jobs: JobAdmin, integrations service: IntegrationService, kind: String?, now: Int64) throws(SyncError) -> Model {
        var model = Model()
        model.failedJobs = try jobs.stats().count(state: .failed)
        let integrations = try service.integrations()
        let figures = try service.figures()
        model.intakeWaiting = figures.openIntake.reduce(0) { $0 + $1.count }
        model.errorOrPending = integrations.filter { $0.status == .error || $0.status == .pending }.count
        model.guardTrips = figures.guardTrips.reduce(0) { $0 + $1.trips }
        model.heldPlans = try PlanService(environment: service.environment).heldPlanCount(now: now)
        model.staleImports = integrations.filter { isStale($0, figures: figures, now: now) }.count
        let writeBackQueue = jobs.environment.policies.policy(for: JobKinds.writeBack)?.queue ?? JobKinds.writeBack
        model.oldestWriteBack = try jobs.queues().first { $0.name == writeBackQueue }?.oldestAvailableRunAt
        model.activity = try jobs.activity(since: ActivityChart.since(now: now))
        model.kinds = JobKinds.all
        (model.zone, model.zoneNote) = schoolZone(integrations)
        return model
    }

    /// A live integration (On or Error) whose last successful import is missing or older than 26 h.
    static func isStale(_ integration: Integration, figures: IntegrationFigures, now: Int64) -> Bool {
        guard integration.status == .on || integration.status == .error else { return false }
        guard let last = figures.lastImportSuccess(of: integration.id) else { return true }
        return now - last > staleImportMilliseconds
    }

    /// The school's time zone when every integration names the same one; else UTC, saying why.
    static func schoolZone(_ integrations: [Integration]) -> (TimeZone, String) {
        let zones = Set(integrations.map(\.settings.timeZone))
        if zones.count == 1, let name = zones.first, let zone = TimeZone(identifier: name) {
            return (zone, "Times are in the school's time zone, \(name).")
        }
        let why = zones.isEmpty ? "no integration names a time zone" : "the integrations are in several time zones"
        return (TimeText.utcZone, "Times are in UTC (\(why)).")
    }

    static func html(_ model: Model, kind: String?, context: PageContext) -> String {
        let writeBackAge = model.oldestWriteBack.map { TimeText.age(since: $0, now: context.now) } ?? "none waiting"
        let cards: [(String, String, String)] = [
            ("\(model.failedJobs)", "failed jobs", "/jobs?state=failed"),
            ("\(model.intakeWaiting)", "intake entries waiting", "/intake"),
            ("\(model.errorOrPending)", "integrations in Error or Pending", "/integrations?status=error,pending"),
            ("\(model.heldPlans)", "plans held by a guard", "/plans?review=1"),
            ("\(model.guardTrips)", "imports held by a guard, all time", "/integrations?attention=guard"),
            ("\(model.staleImports)", "integrations with no successful import in 26 h", "/integrations?attention=stale"),
            (writeBackAge, "oldest waiting write-back", "/jobs?state=available&kind=write-back"),
        ]
        var body = "<section aria-labelledby=\"attention\"><h2 id=\"attention\">Needs attention</h2>\n<ul class=\"cards\">\n"
        for (count, label, href) in cards {
            body += "<li><a href=\"\(HTML.esc(href))\"><span class=\"count\">\(HTML.esc(count))</span> \(HTML.esc(label))</a></li>\n"
        }
        body += "</ul></section>\n"
        body += "<form class=\"filters\" method=\"get\" action=\"/\">"
            + HTML.select("kind", label: "Activity of kind", options: model.kinds, selected: kind, any: "all kinds")
            + "<button type=\"submit\">Show</button></form>\n"
        body += ActivityChart(buckets: model.activity, now: context.now, zone: model.zone, kind: kind).html(zoneNote: model.zoneNote)
        return Layout.page(title: "Overview", section: .overview, context: context, body: body)
    }
}
