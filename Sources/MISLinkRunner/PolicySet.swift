import Foundation

/// The policy of every job kind: compiled-in defaults, overridden key by key by `jobs/<kind>.json`.
public struct PolicySet: Sendable, Equatable {
    public private(set) var policies: [String: JobPolicy]
    /// The files that were read, by kind.
    public private(set) var sources: [String: String] = [:]
    /// The kinds known, in listing order, with their defaults.
    public let catalog: KindCatalog

    public init(catalog: KindCatalog = BuiltInKinds.catalog) {
        self.catalog = catalog
        self.policies = catalog.defaults
    }

    /// Policies other than the catalog's defaults (tests: quick backoff everywhere).
    public init(policies: [String: JobPolicy], catalog: KindCatalog = BuiltInKinds.catalog) {
        self.catalog = catalog
        self.policies = policies
    }

    public var kinds: [String] { catalog.kinds.filter { policies[$0] != nil } }

    public func policy(for kind: String) -> JobPolicy? { policies[kind] }

    /// Reads every `*.json` in `directory` over the defaults. A missing directory means defaults only.
    /// Any bad file is refused with the file, the key and what was wrong.
    public static func load(directory: String, catalog: KindCatalog = BuiltInKinds.catalog) throws -> PolicySet {
        var set = PolicySet(catalog: catalog)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return set }
        guard isDirectory.boolValue else {
            throw PolicyError(file: directory, key: nil, problem: "is not a directory")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            let kind = String(name.dropLast(".json".count))
            guard let base = set.policies[kind] else {
                throw PolicyError(
                    file: path, key: nil,
                    problem: "there is no job kind '\(kind)' (known: \(catalog.kinds.joined(separator: ", ")))")
            }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                throw PolicyError(file: path, key: nil, problem: "cannot be read (\(error.localizedDescription))")
            }
            set.policies[kind] = try PolicyFileParser(file: path, kind: kind, scheduled: catalog.scheduled).parse(data, over: base)
            set.sources[kind] = path
        }
        return set
    }
}

/// Names that scripts and policy files type (queues, integrations): short and plain.
public enum PlainName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }
}

/// A policy file that cannot be used.
public struct PolicyError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let key: String?
    public let problem: String

    public var description: String {
        if let key { return "\(file): key '\(key)': \(problem)" }
        return "\(file): \(problem)"
    }
}

/// Reads one policy file. Every key is optional; an unknown key is an error, so a typo never
/// silently leaves a default in place.
struct PolicyFileParser {
    let file: String
    let kind: String
    /// Kinds that take a `schedule` (their default policy has one).
    let scheduled: [String]

    private static let topKeys: Set<String> = ["queue", "priority", "maxAttempts", "backoff", "timeout", "schedule"]
    private static let backoffKeys: Set<String> = ["initial", "max", "multiplier", "jitter"]
    private static let scheduleKeys: Set<String> = ["at", "timeZone"]

    func parse(_ data: Data, over base: JobPolicy) throws -> JobPolicy {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: data) } catch {
            throw PolicyError(file: file, key: nil, problem: "is not valid JSON (\(jsonProblem(error)))")
        }
        guard let top = object as? [String: Any] else {
            throw PolicyError(file: file, key: nil, problem: "must hold a JSON object")
        }
        try rejectUnknown(top, allowed: Self.topKeys, prefix: "")
        var policy = base
        if let value = top["queue"] {
            guard let queue = value as? String, PlainName.isValid(queue) else {
                throw fail("queue", "must be a queue name: letters, digits, '-' or '_'")
            }
            policy.queue = queue
        }
        if let value = top["priority"] {
            policy.priority = try integer(value, key: "priority", range: -1000...1000)
        }
        if let value = top["maxAttempts"] {
            policy.maxAttempts = try integer(value, key: "maxAttempts", range: 1...1000)
        }
        if let value = top["timeout"] {
            policy.timeoutMilliseconds = try duration(value, key: "timeout")
        }
        if let value = top["backoff"] {
            guard let backoff = value as? [String: Any] else { throw fail("backoff", "must be an object") }
            try rejectUnknown(backoff, allowed: Self.backoffKeys, prefix: "backoff.")
            if let initial = backoff["initial"] {
                policy.backoff.initialMilliseconds = try duration(initial, key: "backoff.initial")
            }
            if let max = backoff["max"] { policy.backoff.maxMilliseconds = try duration(max, key: "backoff.max") }
            if let multiplier = backoff["multiplier"] {
                policy.backoff.multiplier = try number(multiplier, key: "backoff.multiplier", range: 1...100)
            }
            if let jitter = backoff["jitter"] {
                policy.backoff.jitter = try number(jitter, key: "backoff.jitter", range: 0...1)
            }
            if policy.backoff.initialMilliseconds > policy.backoff.maxMilliseconds {
                throw fail("backoff.initial", "is longer than backoff.max")
            }
        }
        if let value = top["schedule"] {
            guard scheduled.contains(kind) else {
                throw fail("schedule", scheduled.isEmpty ? "no job kind runs on a schedule" : "only \(scheduled.joined(separator: ", ")) runs on a schedule")
            }
            guard let schedule = value as? [String: Any] else { throw fail("schedule", "must be an object") }
            try rejectUnknown(schedule, allowed: Self.scheduleKeys, prefix: "schedule.")
            var parsed = policy.schedule ?? DailySchedule(hour: 2, minute: 0, timeZone: "Europe/London")
            if let at = schedule["at"] {
                guard let text = at as? String, let time = Self.timeOfDay(text) else {
                    throw fail("schedule.at", "must be a time of day HH:MM (24-hour)")
                }
                (parsed.hour, parsed.minute) = time
            }
            if let zone = schedule["timeZone"] {
                guard let name = zone as? String, TimeZone(identifier: name) != nil else {
                    throw fail("schedule.timeZone", "must be a time zone name such as Europe/London")
                }
                parsed.timeZone = name
            }
            policy.schedule = parsed
        }
        return policy
    }

    static func timeOfDay(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let h = Int(parts[0]), let m = Int(parts[1]),
            (0...23).contains(h), (0...59).contains(m)
        else { return nil }
        return (h, m)
    }

    private func fail(_ key: String, _ problem: String) -> PolicyError {
        PolicyError(file: file, key: key, problem: problem)
    }

    private func rejectUnknown(_ object: [String: Any], allowed: Set<String>, prefix: String) throws {
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail(prefix + unknown, "is not a policy key (known: \(allowed.sorted().map { prefix + $0 }.joined(separator: ", ")))")
        }
    }

    private func integer(_ value: Any, key: String, range: ClosedRange<Int>) throws -> Int {
        guard !JSONPayload.isBoolean(value), let number = value as? NSNumber,
            number.doubleValue == number.doubleValue.rounded(), range.contains(number.intValue)
        else { throw fail(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return number.intValue
    }

    private func number(_ value: Any, key: String, range: ClosedRange<Double>) throws -> Double {
        guard !JSONPayload.isBoolean(value), let number = value as? NSNumber, range.contains(number.doubleValue) else {
            throw fail(key, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number.doubleValue
    }

    private func duration(_ value: Any, key: String) throws -> Int64 {
        guard let text = value as? String, let ms = DurationText.milliseconds(text), ms > 0 else {
            throw fail(key, "must be a duration such as \"30s\", \"10m\" or \"2h\"")
        }
        return ms
    }

    private func jsonProblem(_ error: any Error) -> String {
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
