import MISLinkTestSupport
import Testing

/// Says once, plainly, when the PostgreSQL half did not run, and refuses to let CI skip it.
@Suite struct PostgresSkipNoticeTests {
    @Test(
        "the PostgreSQL half was skipped: set MISLINK_TEST_POSTGRES=postgresql://USER@HOST:PORT/DB, or run .ci/with-postgres swift test",
        .enabled(if: !TestPostgres.isAvailable))
    func skipped() {
        print(TestPostgres.skipNotice)
        #expect(!TestPostgres.isCI, "CI must run the PostgreSQL half: run the tests under .ci/with-postgres")
    }
}
