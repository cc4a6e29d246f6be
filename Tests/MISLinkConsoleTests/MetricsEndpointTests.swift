import Foundation
import MISLinkConsole
import MISLinkHTTP
import Testing

/// `GET /metrics`: Prometheus text behind the token, read from counters that survive pruning.
struct MetricsEndpointTests {
    @Test("/metrics needs the token (401, not a sign-in page), answers text format 0.0.4, and counts what ran")
    func metrics() async throws {
        let fixture = try ConsoleFixture()
        let refused = await fixture.send("GET", "/metrics")
        #expect(refused.status == 401)
        _ = try await fixture.runToEnd(kind: "noop")
        let page = await fixture.api("GET", "/metrics")
        #expect(page.status == 200)
        #expect(page.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        let text = String(decoding: page.body, as: UTF8.self)
        #expect(text.contains("# TYPE mislink_jobs_completed_total counter"))
        #expect(text.contains(#"mislink_jobs_completed_total{kind="noop",outcome="succeeded",queue="default"} 1"#), "\(text)")
        #expect(!text.contains(ConsoleFixture.token))
        let post = await fixture.api("POST", "/metrics")
        #expect(post.status == 405)
    }
}
