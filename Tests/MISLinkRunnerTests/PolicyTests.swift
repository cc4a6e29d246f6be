import Foundation
import MISLinkRunner
import Testing
import MISLinkTestSupport

/// A catalog as a module that adds kinds would give: the runner's own, plus one daily kind.
private let daily = "daily-report"
private let catalog = BuiltInKinds.catalog.adding(KindCatalog([
    (daily, JobPolicy(
        queue: "reports", priority: 5, maxAttempts: 3, backoff: Backoff(initialMilliseconds: 60_000, maxMilliseconds: 3_600_000),
        timeoutMilliseconds: 600_000, schedule: DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London")))
]))

@Suite struct PolicyTests {
    private func load(_ files: [String: String]) throws -> PolicySet {
        try withTemporaryDirectory { dir in
            for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
            return try PolicySet.load(directory: dir, catalog: catalog)
        }
    }

    private func refusal(_ name: String, _ text: String) throws -> PolicyError {
        try #require(throws: PolicyError.self) { try load([name: text]) }
    }

    @Test("the runner knows only its own kind; a catalog adds others, in order, and a kind twice is refused")
    func catalogs() throws {
        #expect(PolicySet().kinds == [BuiltInKinds.noop])
        let set = PolicySet(catalog: catalog)
        #expect(set.kinds == [BuiltInKinds.noop, daily])
        #expect(set.policy(for: daily)?.queue == "reports")
        #expect(catalog.scheduled == [daily])
    }

    @Test("a missing directory means the defaults")
    func missingDirectory() throws {
        #expect(try PolicySet.load(directory: "/nonexistent/mislink-jobs", catalog: catalog) == PolicySet(catalog: catalog))
    }

    @Test("a file overrides only the keys it names")
    func override() throws {
        let set = try load([
            "\(daily).json": #"{"maxAttempts": 7, "backoff": {"initial": "30s"}, "schedule": {"at": "03:30"}}"#
        ])
        let policy = try #require(set.policy(for: daily))
        #expect(policy.maxAttempts == 7)
        #expect(policy.backoff.initialMilliseconds == 30_000)
        #expect(policy.backoff.maxMilliseconds == catalog.defaults[daily]!.backoff.maxMilliseconds)
        #expect(policy.schedule == DailySchedule(hour: 3, minute: 30, timeZone: "Europe/London"))
        #expect(policy.queue == "reports")
    }

    @Test("a bad file is refused naming the file, the key and the problem", arguments: [
        ("noop.json", "{not json", nil, "not valid JSON"),
        ("noop.json", "[1]", nil, "JSON object"),
        ("noop.json", #"{"maxAtempts": 3}"#, "maxAtempts", "not a policy key"),
        ("noop.json", #"{"maxAttempts": 0}"#, "maxAttempts", "whole number"),
        ("noop.json", #"{"maxAttempts": 2.5}"#, "maxAttempts", "whole number"),
        ("noop.json", #"{"priority": true}"#, "priority", "whole number"),
        ("noop.json", #"{"timeout": "soon"}"#, "timeout", "duration"),
        ("noop.json", #"{"queue": "a b"}"#, "queue", "queue name"),
        ("noop.json", #"{"backoff": {"jitter": 2}}"#, "backoff.jitter", "number from"),
        ("noop.json", #"{"backoff": {"initial": "2h", "max": "1h"}}"#, "backoff.initial", "longer than"),
        ("noop.json", #"{"schedule": {"at": "02:00"}}"#, "schedule", "only daily-report"),
        ("daily-report.json", #"{"schedule": {"at": "25:00"}}"#, "schedule.at", "HH:MM"),
        ("daily-report.json", #"{"schedule": {"timeZone": "Mars/Olympus"}}"#, "schedule.timeZone", "time zone"),
        ("nightly.json", "{}", nil, "no job kind 'nightly'"),
    ] as [(String, String, String?, String)])
    func badFile(name: String, text: String, key: String?, problem: String) throws {
        let error = try refusal(name, text)
        #expect(error.file.hasSuffix("/" + name))
        #expect(error.key == key)
        #expect(error.problem.contains(problem))
        #expect(error.description.contains(name))
    }
}
