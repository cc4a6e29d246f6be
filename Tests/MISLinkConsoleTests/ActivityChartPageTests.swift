import Foundation
import MISLinkQueue
import Testing

@testable import MISLinkConsole

struct ActivityChartPageTests {
    static let hour: Int64 = 3_600_000
    /// 2026-12-01T14:30:00Z.
    static let now: Int64 = 1_796_135_400_000
    static let currentHour = (now / hour) * hour
    static let utc = TimeZone(identifier: "UTC")!

    static let buckets = [
        ActivityBucket(hourStart: currentHour, kind: "noop", succeeded: 3, failed: 1),
        ActivityBucket(hourStart: currentHour, kind: "nightly-import", succeeded: 1, failed: 0),
        ActivityBucket(hourStart: currentHour - 4 * hour, kind: "noop", succeeded: 2, failed: 0),
        ActivityBucket(hourStart: currentHour - 77 * hour, kind: "noop", succeeded: 0, failed: 4),
        ActivityBucket(hourStart: currentHour - 40 * 24 * hour, kind: "noop", succeeded: 99, failed: 0),
    ]

    @Test("the hourly chart has 24 slots ending in the current hour, with each hour's totals")
    func hourlySlots() {
        let chart = ActivityChart(buckets: Self.buckets, now: Self.now, zone: Self.utc, kind: nil)
        let hours = chart.hourly
        #expect(hours.count == 24)
        #expect(hours.last?.start == Self.currentHour)
        #expect(hours.last?.succeeded == 4)
        #expect(hours.last?.failed == 1)
        #expect(hours[19].succeeded == 2)
        #expect(hours.map(\.succeeded).reduce(0, +) == 6)
        #expect(hours.map(\.failed).reduce(0, +) == 1)
    }

    @Test("the daily chart has 30 days in the zone; buckets older than 30 days are left out")
    func dailySlots() {
        let days = ActivityChart(buckets: Self.buckets, now: Self.now, zone: Self.utc, kind: nil).daily
        #expect(days.count == 30)
        #expect(days.last?.succeeded == 6)
        #expect(days.last?.failed == 1)
        #expect(days[26].failed == 4)
        #expect(days.map(\.succeeded).reduce(0, +) == 6)
    }

    @Test("days follow the school's zone: 03:00 UTC on 1 December is 30 November in New York")
    func dailyInZone() throws {
        let zone = try #require(TimeZone(identifier: "America/New_York"))
        let early = ActivityBucket(hourStart: Self.currentHour - 11 * Self.hour, kind: "noop", succeeded: 5, failed: 0)
        let days = ActivityChart(buckets: [early], now: Self.now, zone: zone, kind: nil).daily
        #expect(days.last?.succeeded == 0)
        #expect(days[28].succeeded == 5)
    }

    @Test("the SVG bars and the table beside them say the same numbers")
    func svgAgreesWithTable() {
        let html = ActivityChart(buckets: Self.buckets, now: Self.now, zone: Self.utc, kind: nil).html(zoneNote: "Times are in UTC.")
        #expect(html.contains("<title>2026-12-01 14:00 UTC: 4 succeeded</title>"))
        #expect(html.contains("<title>2026-12-01 14:00 UTC: 1 failed</title>"))
        #expect(html.contains("<title>2026-12-01 10:00 UTC: 2 succeeded</title>"))
        #expect(html.contains("<title>2026-12-01 UTC: 6 succeeded</title>"))
        #expect(html.contains("<title>2026-11-28 UTC: 4 failed</title>"))
        #expect(html.contains(#"<th scope="row">2026-12-01 14:00 UTC</th><td>noop</td><td class="num">3</td><td class="num">1</td>"#))
        #expect(html.contains(#"<th scope="row">2026-12-01 14:00 UTC</th><td>nightly-import</td><td class="num">1</td><td class="num">0</td>"#))
        #expect(html.contains(#"<th scope="row">2026-12-01 14:00 UTC</th><td>all kinds</td><td class="num">4</td><td class="num">1</td>"#))
        #expect(html.contains(#"<th scope="row">2026-12-01 UTC</th><td>all kinds</td><td class="num">6</td><td class="num">1</td>"#))
        #expect(!html.contains("99"))
        // One bar per non-zero number: three hours' worth and three days' worth.
        #expect(html.components(separatedBy: "<rect ").count - 1 == 3 + 3)
        #expect(html.contains("Times are in UTC."))
        #expect(html.contains("<ul class=\"legend\">"))
    }

    @Test("a kind narrows both charts and the table to that kind")
    func byKind() {
        let chart = ActivityChart(buckets: Self.buckets, now: Self.now, zone: Self.utc, kind: "nightly-import")
        #expect(chart.hourly.last?.succeeded == 1)
        #expect(chart.hourly.last?.failed == 0)
        let html = chart.html(zoneNote: "")
        #expect(html.contains("<title>2026-12-01 14:00 UTC: 1 succeeded</title>"))
        #expect(!html.contains("<td>noop</td>"))
    }

    @Test("no buckets: a sentence, no empty chart")
    func emptyState() {
        let html = ActivityChart(buckets: [], now: Self.now, zone: Self.utc, kind: nil).html(zoneNote: "Times are in UTC.")
        #expect(!html.contains("<svg"))
        #expect(html.components(separatedBy: "No jobs finished in this time.").count - 1 == 2)
    }
}
