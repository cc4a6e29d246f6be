import Foundation
import MISLinkQueue

/// The overview's activity chart: jobs succeeded and failed per hour over the last 24 hours and per
/// day over the last 30, from the hourly buckets (never a scan of the jobs). Each chart has a table
/// beside it with the same numbers, by kind. Days and hours are in `zone`.
struct ActivityChart {
    /// One hour or one day: its totals and its figures by kind.
    struct Slot: Equatable {
        let start: Int64
        var byKind: [String: (succeeded: Int, failed: Int)] = [:]

        var succeeded: Int { byKind.values.reduce(0) { $0 + $1.succeeded } }
        var failed: Int { byKind.values.reduce(0) { $0 + $1.failed } }

        static func == (lhs: Slot, rhs: Slot) -> Bool {
            lhs.start == rhs.start && lhs.succeeded == rhs.succeeded && lhs.failed == rhs.failed
        }
    }

    static let hour: Int64 = 3_600_000
    static let days = 30

    let buckets: [ActivityBucket]
    let now: Int64
    let zone: TimeZone
    /// Only this kind, when set.
    let kind: String?

    /// Since when the buckets are needed.
    static func since(now: Int64) -> Int64 { (now / hour) * hour - Int64(days) * 24 * hour }

    /// The 24 clock hours up to and including the current one, oldest first.
    var hourly: [Slot] {
        let current = (now / Self.hour) * Self.hour
        var slots = (0..<24).map { Slot(start: current - Int64(23 - $0) * Self.hour) }
        for bucket in chosen {
            let index = Int((bucket.hourStart - slots[0].start) / Self.hour)
            guard bucket.hourStart >= slots[0].start, index < 24 else { continue }
            add(bucket, to: &slots[index])
        }
        return slots
    }

    /// The 30 days in `zone` up to and including today, oldest first.
    var daily: [Slot] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: Date(timeIntervalSince1970: Double(now) / 1000))
        var slots: [Slot] = (0..<Self.days).reversed().compactMap { back in
            calendar.date(byAdding: .day, value: -back, to: today).map { Slot(start: Int64($0.timeIntervalSince1970 * 1000)) }
        }
        guard let first = slots.first?.start else { return [] }
        for bucket in chosen where bucket.hourStart >= first {
            // The last day that starts at or before the bucket's hour.
            guard let index = slots.lastIndex(where: { $0.start <= bucket.hourStart }) else { continue }
            add(bucket, to: &slots[index])
        }
        return slots
    }

    private var chosen: [ActivityBucket] { buckets.filter { kind == nil || $0.kind == kind } }

    private func add(_ bucket: ActivityBucket, to slot: inout Slot) {
        let old = slot.byKind[bucket.kind] ?? (0, 0)
        slot.byKind[bucket.kind] = (old.succeeded + bucket.succeeded, old.failed + bucket.failed)
    }

    // MARK: - Markup

    func html(zoneNote: String) -> String {
        let kindNote = kind.map { " of kind \($0)" } ?? ""
        return section(
            "activity-hours", "Jobs finished per hour, last 24 hours\(kindNote)", slots: hourly,
            label: "HH", title: "yyyy-MM-dd HH:00 zzz", column: "Hour", zoneNote: zoneNote)
            + section(
                "activity-days", "Jobs finished per day, last 30 days\(kindNote)", slots: daily,
                label: "dd MMM", title: "yyyy-MM-dd zzz", column: "Day", zoneNote: zoneNote)
    }

    private func section(
        _ id: String, _ title: String, slots: [Slot], label: String, title titleFormat: String, column: String, zoneNote: String
    ) -> String {
        var html = "<section aria-labelledby=\"\(id)-h\"><h2 id=\"\(id)-h\">\(HTML.esc(title))</h2>\n"
        html += "<p class=\"muted\">\(HTML.esc(zoneNote))</p>\n"
        guard slots.contains(where: { $0.succeeded + $0.failed > 0 }) else {
            return html + "<p>No jobs finished in this time.</p>\n</section>\n"
        }
        let short = formatter(label), long = formatter(titleFormat)
        let chart = BarChart(
            title: title, series: ["succeeded", "failed"],
            groups: slots.map { slot in
                let date = Date(timeIntervalSince1970: Double(slot.start) / 1000)
                return BarChart.Group(label: short.string(from: date), title: long.string(from: date), values: [slot.succeeded, slot.failed])
            })
        var rows: [[String]] = []
        for slot in slots where slot.succeeded + slot.failed > 0 {
            let when = HTML.esc(long.string(from: Date(timeIntervalSince1970: Double(slot.start) / 1000)))
            for kind in slot.byKind.keys.sorted() {
                let figures = slot.byKind[kind]!
                rows.append([when, HTML.esc(kind), "\(figures.succeeded)", "\(figures.failed)"])
            }
            if slot.byKind.count > 1 { rows.append([when, "all kinds", "\(slot.succeeded)", "\(slot.failed)"]) }
        }
        html += "<div class=\"chart\"><figure>\(chart.svg(id: id))\(chart.legend())</figure>\n<div class=\"table-scroll\">"
        html += HTML.table(caption: title, headers: [column, "Kind", "Succeeded", "Failed"], rows: rows, numeric: [2, 3])
        return html + "</div></div>\n</section>\n"
    }

    private func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB_POSIX")
        formatter.timeZone = zone
        formatter.dateFormat = format
        return formatter
    }
}
