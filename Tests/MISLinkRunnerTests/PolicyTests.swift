import Foundation
import MISLinkRunner
import Testing
import MISLinkTestSupport

@Suite struct PolicyTests {
    private func load(_ files: [String: String]) throws -> PolicySet {
        try withTemporaryDirectory { dir in
            for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
            return try PolicySet.load(directory: dir)
        }
    }

    private func refusal(_ name: String, _ text: String) throws -> PolicyError {
        try #require(throws: PolicyError.self) { try load([name: text]) }
    }

    @Test("every kind has a compiled-in default, and write-back has its own queue and the top priority")
    func defaults() throws {
        let set = PolicySet()
        #expect(Set(set.kinds) == Set(JobKinds.all))
        let writeBack = try #require(set.policy(for: JobKinds.writeBack))
        #expect(writeBack.queue == "write-back")
        #expect(JobKinds.all.allSatisfy { set.policy(for: $0)!.priority <= writeBack.priority })
        #expect(set.policy(for: JobKinds.nightlyImport)?.schedule == DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London"))
    }

    @Test("a missing directory means the defaults")
    func missingDirectory() throws {
        #expect(try PolicySet.load(directory: "/nonexistent/mislink-jobs") == PolicySet())
    }

    @Test("a file overrides only the keys it names")
    func override() throws {
        let set = try load([
            "nightly-import.json": #"{"maxAttempts": 7, "backoff": {"initial": "30s"}, "schedule": {"at": "03:30"}}"#
        ])
        let policy = try #require(set.policy(for: JobKinds.nightlyImport))
        #expect(policy.maxAttempts == 7)
        #expect(policy.backoff.initialMilliseconds == 30_000)
        #expect(policy.backoff.maxMilliseconds == JobKinds.defaultPolicies[JobKinds.nightlyImport]!.backoff.maxMilliseconds)
        #expect(policy.schedule == DailySchedule(hour: 3, minute: 30, timeZone: "Europe/London"))
        #expect(policy.queue == "imports")
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
        ("noop.json", #"{"schedule": {"at": "02:00"}}"#, "schedule", "only nightly-import"),
        ("nightly-import.json", #"{"schedule": {"at": "25:00"}}"#, "schedule.at", "HH:MM"),
        ("nightly-import.json", #"{"schedule": {"timeZone": "Mars/Olympus"}}"#, "schedule.timeZone", "time zone"),
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

@Suite struct ShippedPolicyTests {
    @Test("the policy files shipped in jobs/ load, one per kind, and agree with the compiled-in defaults")
    func shippedFilesLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let jobs = root.appendingPathComponent("jobs").path
        let set = try PolicySet.load(directory: jobs)
        #expect(Set(set.sources.keys) == Set(JobKinds.all))
        #expect(set.policies == PolicySet().policies)
    }
}
