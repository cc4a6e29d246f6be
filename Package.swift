// swift-tools-version:6.0
import PackageDescription

// Upcoming features every target opts into (the swift-log way: one loop, no drift between targets).
let upcoming: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

var package = Package(
    name: "MISLink",
    products: [
        .executable(name: "mislink", targets: ["mislink"]),
        .executable(name: "mislink-bench", targets: ["mislink-bench"]),
        .library(name: "MISLinkKit", targets: ["MISLinkKit"]),
        .library(name: "MISLinkHTTPClient", targets: ["MISLinkHTTPClient"]),
    ],
    targets: [
        // The system SQLite (libsqlite3-dev). Only SQLiteDB imports it.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "SQLiteDB", dependencies: ["CSQLite"]),
        // The system libpq (libpq-dev), for the PostgreSQL back end. Only PostgresDB imports it.
        .systemLibrary(name: "CLibPQ", path: "Sources/CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "PostgresDB", dependencies: ["CLibPQ"]),
        // The plugin protocol: Foundation only, so plugin authors import this and nothing else.
        .target(name: "MISLinkKit"),
        .target(name: "MISLinkQueue", dependencies: ["SQLiteDB"]),
        // The queue's QueueBackend on PostgreSQL, for workers on many hosts (issue 10, in progress).
        .target(name: "MISLinkQueuePostgres", dependencies: ["MISLinkQueue", "PostgresDB", "SQLiteDB"]),
        // The small HTTP/1.1 server the console and its API run on: POSIX sockets and Dispatch only.
        .target(name: "MISLinkHTTP", dependencies: ["MISLinkKit"]),
        // The plugins' HTTP client: URLSession (FoundationNetworking), failures classified as PluginErrors.
        .target(name: "MISLinkHTTPClient", dependencies: ["MISLinkKit"]),
        // Plugins in any language: processes speaking JSON lines, behind the kit's protocols.
        .target(name: "MISLinkExec", dependencies: ["MISLinkKit"]),
        // The admin console's router, access control and JSON API: a pure request handler over the service layer.
        .target(name: "MISLinkConsole", dependencies: ["MISLinkHTTP", "MISLinkSync", "MISLinkQueue", "MISLinkRunner", "MISLinkKit"]),
        .target(name: "MISLinkRunner", dependencies: ["MISLinkQueue", "MISLinkQueuePostgres", "MISLinkKit", "SQLiteDB"]),
        // Integrations, matching, intake, import history: what each job kind means.
        .target(name: "MISLinkSync", dependencies: ["MISLinkRunner", "MISLinkQueue", "MISLinkQueuePostgres", "PostgresDB", "MISLinkKit", "SQLiteDB"]),
        // The generated demo school for the quickstart, benchmarks and tests: not the product, so not
        // in MISLinkSync. It writes the CSV connector's layout (`ExportFile`), defined there once.
        .target(name: "MISLinkDemo", dependencies: ["MISLinkSync", "MISLinkKit", "CSVConnector"]),
        .executableTarget(
            name: "mislink",
            dependencies: [
                "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "MISLinkKit", "SQLiteDB", "CSVConnector", "DirectoryTarget",
                "MISLinkDemo", "MISLinkConsole", "MISLinkHTTP", "MISLinkTestSupport", "WondeConnector",
                "SCIMTarget", "OneRosterConnector", "MISLinkExec", "MISLinkQueuePostgres", "PostgresDB",
            ]
        ),
        .executableTarget(
            name: "mislink-bench",
            dependencies: [
                "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "MISLinkKit", "SQLiteDB", "CSVConnector", "DirectoryTarget",
                "MISLinkDemo", "MISLinkConsole", "MISLinkHTTP", "MISLinkTestSupport", "MISLinkExec", "WondeConnector",
                "MISLinkQueuePostgres", "PostgresDB",
            ]
        ),

        // Plugins: one target each, depending on the kit alone.
        .target(name: "CSVConnector", dependencies: ["MISLinkKit"], path: "Plugins/CSVConnector"),
        // The directory target stands in for a library or visitor system that keeps its own SQLite
        // file; it uses the generic SQLite wrapper, never the queue's database.
        .target(name: "DirectoryTarget", dependencies: ["MISLinkKit", "SQLiteDB"], path: "Plugins/DirectoryTarget"),
        // Wonde (api.wonde.com): one school's students, staff, contacts and leavers; session attendance write-back.
        .target(name: "WondeConnector", dependencies: ["MISLinkKit", "MISLinkHTTPClient"], path: "Plugins/WondeConnector"),
        // SCIM 2.0 provisioning into identity systems and SaaS.
        .target(name: "SCIMTarget", dependencies: ["MISLinkKit", "MISLinkHTTPClient"], path: "Plugins/SCIMTarget"),
        // OneRoster 1.1: a CSV bundle or the REST binding (OAuth2); pupils, staff and contacts.
        .target(name: "OneRosterConnector", dependencies: ["MISLinkKit", "MISLinkHTTPClient"], path: "Plugins/OneRosterConnector"),

        // Helpers the test targets share (a scoped temporary directory).
        .target(name: "MISLinkTestSupport", dependencies: ["PostgresDB"], path: "Tests/MISLinkTestSupport"),
        .testTarget(name: "SQLiteDBTests", dependencies: ["SQLiteDB", "MISLinkTestSupport"]),
        // Runs against a real server when MISLINK_TEST_POSTGRES is set (.ci/with-postgres sets it).
        .testTarget(name: "PostgresDBTests", dependencies: ["PostgresDB", "MISLinkTestSupport"]),
        .testTarget(name: "MISLinkKitTests", dependencies: ["MISLinkKit"]),
        .testTarget(name: "MISLinkExecTests", dependencies: ["MISLinkExec", "MISLinkKit", "MISLinkTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "MISLinkHTTPTests", dependencies: ["MISLinkHTTP", "MISLinkTestSupport"]),
        .testTarget(name: "MISLinkHTTPClientTests", dependencies: ["MISLinkHTTPClient", "MISLinkHTTP", "MISLinkKit", "MISLinkTestSupport"]),
        .testTarget(
            name: "MISLinkConsoleTests",
            dependencies: [
                "MISLinkConsole", "MISLinkHTTP", "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "MISLinkKit", "CSVConnector",
                "DirectoryTarget", "MISLinkTestSupport",
            ]),
        .testTarget(name: "CSVConnectorTests", dependencies: ["CSVConnector", "MISLinkKit", "MISLinkTestSupport"]),
        .testTarget(
            name: "OneRosterConnectorTests",
            dependencies: [
                "OneRosterConnector", "MISLinkKit", "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "DirectoryTarget", "SQLiteDB",
                "MISLinkTestSupport",
            ]),
        .testTarget(name: "DirectoryTargetTests", dependencies: ["DirectoryTarget", "MISLinkKit"]),
        .testTarget(name: "WondeConnectorTests", dependencies: ["WondeConnector", "MISLinkKit", "MISLinkHTTPClient", "MISLinkTestSupport"]),
        // Runs against the real scim2-server (.ci/install-deps puts it in .build/scim-venv).
        .testTarget(
            name: "SCIMTargetTests",
            dependencies: [
                "SCIMTarget", "MISLinkKit", "MISLinkHTTPClient", "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "CSVConnector",
                "SQLiteDB", "MISLinkTestSupport",
            ]),
        .testTarget(name: "MISLinkQueueTests", dependencies: ["MISLinkQueue", "SQLiteDB", "MISLinkTestSupport"]),
        // Each test written once, run against SQLite and (with MISLINK_TEST_POSTGRES) PostgreSQL.
        .testTarget(
            name: "MISLinkQueueConformanceTests",
            dependencies: ["MISLinkQueue", "MISLinkQueuePostgres", "PostgresDB", "SQLiteDB", "MISLinkTestSupport"]),
        .testTarget(
            name: "MISLinkRunnerTests",
            dependencies: ["MISLinkRunner", "MISLinkQueue", "MISLinkQueuePostgres", "PostgresDB", "MISLinkKit", "MISLinkTestSupport"]),
        .testTarget(
            name: "MISLinkSyncTests",
            dependencies: [
                "MISLinkSync", "MISLinkRunner", "MISLinkQueue", "MISLinkKit", "SQLiteDB", "CSVConnector", "DirectoryTarget",
                "MISLinkTestSupport", "WondeConnector", "MISLinkQueuePostgres", "PostgresDB",
            ]),
        .testTarget(
            name: "MISLinkDemoTests",
            dependencies: ["MISLinkDemo", "MISLinkSync", "MISLinkKit", "CSVConnector", "MISLinkTestSupport"]),
        // End-to-end: runs the built `mislink` binary.
        .testTarget(
            name: "MISLinkCLITests",
            dependencies: [
                "MISLinkQueue", "MISLinkQueuePostgres", "PostgresDB", "MISLinkSync", "MISLinkDemo", "SQLiteDB", "MISLinkTestSupport",
            ]),
    ],
    swiftLanguageModes: [.v6]
)

for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + upcoming
}
