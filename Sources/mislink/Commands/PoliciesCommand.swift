import Foundation
import MISLinkRunner

/// `mislink policies`: the effective policy of every kind, which also checks the files in jobs/.
enum PoliciesCommand {
    static let command = Command(
        "policies", summary: "each job kind's effective policy (from jobs/ over the defaults)",
        details: """
            Each job kind's effective policy: the compiled-in defaults with jobs/<kind>.json laid over them.
            A bad policy file is refused with the file, the key and what was wrong (exit 2).
            """, run: run)

    static func run(_ arguments: Arguments, _ context: CLIContext) throws -> Int32 {
        try arguments.expectPositionals(atMost: 0)
        let set = try context.loadPolicies()
        let rows: [(String, JobPolicy)] = set.kinds.compactMap { kind in set.policy(for: kind).map { (kind, $0) } }
        if context.json {
            context.printJSON(Dictionary(uniqueKeysWithValues: rows.map { kind, policy in
                var entry: [String: Any] = [
                    "queue": policy.queue, "priority": policy.priority, "maxAttempts": policy.maxAttempts,
                    "timeout": DurationText.format(milliseconds: policy.timeoutMilliseconds),
                    "backoff": [
                        "initial": DurationText.format(milliseconds: policy.backoff.initialMilliseconds),
                        "max": DurationText.format(milliseconds: policy.backoff.maxMilliseconds),
                        "multiplier": policy.backoff.multiplier, "jitter": policy.backoff.jitter,
                    ] as [String: Any],
                    "source": set.sources[kind] ?? "default",
                ]
                if let schedule = policy.schedule {
                    entry["schedule"] = ["at": schedule.timeText, "timeZone": schedule.timeZone]
                }
                return (kind, entry)
            }))
            return 0
        }
        print(Output.table(
            ["KIND", "QUEUE", "PRIORITY", "ATTEMPTS", "TIMEOUT", "BACKOFF", "SCHEDULE", "SOURCE"],
            rows.map { kind, policy in
                [kind, policy.queue, String(policy.priority), String(policy.maxAttempts),
                 DurationText.format(milliseconds: policy.timeoutMilliseconds),
                 "\(DurationText.format(milliseconds: policy.backoff.initialMilliseconds))..\(DurationText.format(milliseconds: policy.backoff.maxMilliseconds)) x\(policy.backoff.multiplier) ±\(Int(policy.backoff.jitter * 100))%",
                 policy.schedule.map { "\($0.timeText) \($0.timeZone)" } ?? "-", set.sources[kind] ?? "default"]
            }))
        return 0
    }
}
