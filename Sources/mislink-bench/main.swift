import Foundation
import PostgresDB
import SQLiteDB

// mislink-bench: queue, worker and sync figures on this machine. Run in release mode:
//     swift run -c release mislink-bench [--quick] [--synchronous normal|full|both] [--queue-only | --sync-only]
//     swift run -c release mislink-bench --console [JOBS]   # the console's server times, requests/s, throughput while scraped
//     swift run -c release mislink-bench --exec [--quick]   # process plugins against the same connector built in
//     swift run -c release mislink-bench --sync-only --sync-sizes 110000   # chosen sync sizes only
// The sync figures run each school size, and each phase of it (upload, nightly import), in a child
// process of its own, so that each peak memory figure is that phase's alone.

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains("--help") || arguments.contains("-h") {
    print("""
        usage: mislink-bench [--quick] [--synchronous normal|full|both] [--queue-only | --sync-only]
                             [--sync-sizes PEOPLE,PEOPLE,…]
               mislink-bench --noop-only [CONCURRENCY [RUNS]] | --metrics-scrape | --console [JOBS] | --retry-wake-up
               mislink-bench --backend postgres --db postgresql://USER@HOST:PORT/DB [--quick] [--e2e-only]
               mislink-bench --sync-postgres postgresql://USER@HOST:PORT/DB [--sync-sizes PEOPLE,…]
               mislink-bench --plan-apply [--sync-sizes PEOPLE,…] [--rounds N]
               mislink-bench --history   # the person history after a year of nightly imports, and its look-up time
               mislink-bench --exec [--quick] | --vendor-night [--quick | --schools N] [--concurrency N [--imports-limit N] [--handler-threads N]] [--no-write-backs]
          --sync-sizes   people (pupils + staff) per sync run, comma-separated (default \(SyncBenchmarks.defaultSizes.map(String.init).joined(separator: ",")))
        """)
    exit(0)
}
if let index = arguments.firstIndex(of: "--import-child") {
    // --import-child PHASE PEOPLE FOLDER: one phase of a sync run (see SyncBenchmarks.child).
    try await SyncBenchmarks.child(
        phase: arguments[index + 1], people: Int(arguments[index + 2])!, root: URL(fileURLWithPath: arguments[index + 3]))
    exit(0)
}
if let index = arguments.firstIndex(of: "--exec-child") {
    try await ExecBenchmarks.child(people: Int(arguments[index + 1])!, mode: arguments[index + 2])
    exit(0)
}
if let index = arguments.firstIndex(of: "--worker-child") {
    // --worker-child LOCATION CONCURRENCY: one draining worker process of BackendBenchmarks.
    try await BackendBenchmarks.child(location: arguments[index + 1], concurrency: Int(arguments[index + 2])!)
    exit(0)
}
if let index = arguments.firstIndex(of: "--sync-postgres") {
    // mislink-bench --sync-postgres postgresql://USER@HOST:PORT/DB [--sync-sizes N,…]: the sync benchmark's
    // upload and nightly with the queue and sync tables on PostgreSQL, beside SQLite (default 2,200 people).
    let sizes = arguments.firstIndex(of: "--sync-sizes").map { arguments[$0 + 1].split(separator: ",").compactMap { Int($0) } }
    try SyncBenchmarks.runOnPostgres(server: arguments[index + 1], sizes: sizes ?? [2_200])
    exit(0)
}
if arguments.contains("--plan-apply") {
    // mislink-bench --plan-apply [--sync-sizes N,…] [--rounds N]: plan then apply against the same nightly at once.
    let sizes = arguments.firstIndex(of: "--sync-sizes").map { arguments[$0 + 1].split(separator: ",").compactMap { Int($0) } }
    let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 2
    try SyncBenchmarks.runPlanApply(sizes: sizes ?? [110_000], rounds: rounds)
    exit(0)
}
if let index = arguments.firstIndex(of: "--backend") {
    // mislink-bench --backend postgres --db postgresql://USER@HOST:PORT/DB [--quick]: PostgreSQL beside SQLite.
    guard arguments.dropFirst(index + 1).first == "postgres", let db = arguments.firstIndex(of: "--db").map({ arguments[$0 + 1] }) else {
        FileHandle.standardError.write(Data("usage: mislink-bench --backend postgres --db postgresql://USER@HOST:PORT/DB [--quick]\n".utf8))
        exit(2)
    }
    try await BackendBenchmarks.run(
        server: try PostgresURL(db), quick: arguments.contains("--quick"), endToEndOnly: arguments.contains("--e2e-only"))
    exit(0)
}
if arguments.contains("--exec") {
    // mislink-bench --exec [--quick]: the process protocol's overhead, a 2,000-pupil school and a 100,000-person trust.
    try ExecBenchmarks.run(quick: arguments.contains("--quick"))
    exit(0)
}
if let index = arguments.firstIndex(of: "--noop-only") {
    // mislink-bench --noop-only [CONCURRENCY [RUNS]]: the end-to-end noop figure alone, for A/B runs.
    let concurrency = arguments.dropFirst(index + 1).first.flatMap { Int($0) } ?? 4
    let runs = arguments.dropFirst(index + 2).first.flatMap { Int($0) } ?? 5
    try await runNoopOnly(concurrency: concurrency, runs: runs, count: 100_000)
    exit(0)
}
if arguments.contains("--history") {
    // mislink-bench --history: the person history after a year of a 2,000-pupil school's nightly imports.
    try HistoryBenchmark.run()
    exit(0)
}
if arguments.contains("--metrics-scrape") {
    try await MetricsBenchmark.run()
    exit(0)
}
if let index = arguments.firstIndex(of: "--console") {
    // mislink-bench --console [JOBS]: JOBS (at least 110,000; default 1,000,000) for a quicker look.
    let jobs = arguments.dropFirst(index + 1).first.flatMap { Int($0) } ?? 1_000_000
    try await ConsoleBenchmarks.run(jobs: max(jobs, 110_000))
    exit(0)
}
if arguments.contains("--vendor-night") {
    // mislink-bench --vendor-night [--quick | --schools N] [--concurrency N [--imports-limit N] [--handler-threads N]] [--no-write-backs]: 200 Wonde schools (20 with --quick) in one night.
    try await VendorNightBenchmark.run(arguments: arguments)
    exit(0)
}
if arguments.contains("--retry-wake-up") {
    try await measureRetryWakeUp()
    exit(0)
}
let quick = arguments.contains("--quick")
let syncChoice = arguments.firstIndex(of: "--synchronous").map { arguments[$0 + 1] } ?? "both"
let modes: [SynchronousMode] = syncChoice == "both" ? [.normal, .full] : [SynchronousMode(name: syncChoice) ?? .normal]
if !arguments.contains("--sync-only") {
    try await runQueueBenchmarks(modes: modes, scale: quick ? 10 : 1, quick: quick)
}
if !arguments.contains("--queue-only") {
    let sizes = arguments.firstIndex(of: "--sync-sizes").map { index in
        arguments[index + 1].split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: ""))! }
    }
    try SyncBenchmarks.run(quick: quick, sizes: sizes)
}
